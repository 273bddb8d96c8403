"""Tests run against real PostgreSQL and Redis (see .ci/run)."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, caches_for, env

DATABASES["default"] = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/portal")
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("PORTAL_TEST_DB", "test_portal")}
IS_POSTGRES = True
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
# A key prefix per test database keeps parallel test runs from sharing counters.
CACHES = caches_for(REDIS_URL, key_prefix=DATABASES["default"]["TEST"]["NAME"])
# Unit tests run tasks in-process; the worker integration test starts a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
DEMO_MODE = False
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
ACCOUNT_RATE_LIMITS = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
