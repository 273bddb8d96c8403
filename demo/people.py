"""The seeded demo's shared secrets, in one place: seed_demo writes them, the login page shows them.

Only ever shown when settings.DEMO_MODE is on.
"""

DEMO_PASSWORD = "demo-pass-2026"
DEMO_EMAIL_DOMAIN = "demo.example"
