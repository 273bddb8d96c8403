"""Production is secure by default: with only the three required variables, Django's deployment checklist
has nothing to warn about; a plain-HTTP setup has to say so."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.com",
    "DATABASE_URL": "postgres://portal:portal@127.0.0.1:5432/portal",
}


def run(*args, **env):
    # Only the variables given: nothing of the test run's environment may make production look safer.
    environ = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "portal.settings.production", **env}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_checklist_passes_with_only_the_required_variables():
    done = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **REQUIRED)
    assert done.returncode == 0, done.stderr + done.stdout


SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
)


def test_https_redirect_hsts_and_secure_cookies_are_on_by_default():
    done = run("-c", SHOW, **REQUIRED)
    redirect, hsts, session_secure, csrf_secure = done.stdout.split()
    assert (redirect, session_secure, csrf_secure) == ("True", "True", "True")
    assert int(hsts) >= 31536000


def test_a_plain_http_setup_turns_them_off_with_variables():
    plain = {"SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0", "SECURE_COOKIES": "false"}
    done = run("-c", SHOW, **REQUIRED, **plain)
    assert done.stdout.split() == ["False", "0", "False", "False"], done.stderr
