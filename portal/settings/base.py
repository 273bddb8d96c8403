"""Settings shared by every environment; values come from the environment.

With nothing set this is the *embedded default*: a SQLite file, Celery tasks run
eagerly in-process and emails are printed to the console.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_countries",
    "phonenumber_field",
    "django_scopes",
    "django_fsm",
    "csp",
    "partners",
    "products",
    "deals",
    "notifications",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.tenancy.TenantMiddleware",
]

# Content-Security-Policy (django-csp): everything from this origin, nothing inline. The templates carry no
# inline script, handler or style (tests/test_templates.py), and htmx is told not to inject its indicator
# <style> (base.html's htmx-config; the rule lives in portal.css), so neither scripts nor styles need
# 'unsafe-inline'. data: images are Bootstrap's form-control icons and allauth's TOTP QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): the portal uses none of these device features; an
# injected or third-party script must not get them either.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.tenancy.tenant_context",
                "notifications.context_processors.unread_notifications",
            ],
            # The project package is no app, so its filters are named here ({% load portal_tags %}).
            "libraries": {"portal_tags": "portal.templatetags.portal_tags"},
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: login by email, verified addresses.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "partners.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Deal registration] "
# Login throttling. Wrong passwords count against the account tried, wherever they come from (five per
# five minutes); login attempts count against the client address (thirty a minute). No limit on wrong
# passwords per address: that one locked out everyone behind a shared address, correct passwords too.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key", "login": "30/m/ip"}
# The client address is taken from X-Forwarded-For as set by this many proxies of ours (0: the
# connection's address; behind one proxy, 1). More than there are lets a client pick its address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en-us", "English (US)"), ("en-gb", "English (UK)")]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: console by default; SMTP when EMAIL_URL is given (e.g. smtp://mailpit:1025).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Deal registration <no-reply@dealreg.localhost>")
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20

# Celery: eager in-process without REDIS_URL (embedded default), Redis broker with it.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"


def caches_for(redis_url: str, key_prefix: str = "portal") -> dict:
    """Redis when there is one: rate-limit counters must be shared by every worker process."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    backend = "django.core.cache.backends.redis.RedisCache"
    return {"default": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": key_prefix}}


CACHES = caches_for(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="portal")
CELERY_TIMEZONE = TIME_ZONE
# The lifecycle clocks (deals.jobs) and email delivery (notifications.outbox); every job is idempotent,
# so a schedule that runs one twice, or two beat instances, changes nothing. Intervals in seconds.
CELERY_BEAT_SCHEDULE: dict = {
    "deliver-outbox": {"task": "notifications.tasks.deliver_outbox", "schedule": 60},
    "dispatch-missed-events": {"task": "deals.tasks.dispatch_missed_events", "schedule": 300},
    "expire-registrations": {"task": "deals.tasks.expire_registrations", "schedule": 900},
    "review-sla-alerts": {"task": "deals.tasks.review_sla_alerts", "schedule": 900},
    "check-staleness": {"task": "deals.tasks.check_staleness", "schedule": 3600},
    "update-reminders": {"task": "deals.tasks.send_update_reminders", "schedule": 3600},
}

SITE_NAME = "Deal Registration Portal"
# Where links in emails point (jobs have no request to take the host from).
SITE_URL = env("SITE_URL", default="http://localhost:8000")
DEMO_MODE = env.bool("DEMO_MODE", default=False)

# Uploaded pre-sales evidence.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_ALLOWED_EXTENSIONS = [
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "txt",
    "csv",
    "docx",
    "xlsx",
    "pptx",
    "eml",
    "msg",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_without_traceback": {"()": "portal.log_filters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["refusals_without_traceback"]},
        "django.db.backends": {"level": "WARNING"},
        # One line per task run is noise in the embedded default, where tasks run in-process.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

# Phone numbers are stored in E.164 and shown in international format (portal/phones.py).
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
