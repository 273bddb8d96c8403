"""The seeded demo's shared secrets, in one place: seed_demo writes them, the login page shows them.

Only ever shown when settings.DEMO_MODE is on.
"""

DEMO_PASSWORD = "demo-pass-2026"
DEMO_EMAIL_DOMAIN = "demo.example"
# Demo vendor staff must pass TOTP like real staff (partners.permissions.must_use_mfa); they share this
# published secret, and the demo login panel shows the current code.
DEMO_TOTP_SECRET = "DEMOPASSDEMOPASSDEMOPASSDEMOPASS"
