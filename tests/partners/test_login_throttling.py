"""Login throttling: wrong passwords lock the account they were tried on, not everyone behind one address,
and the counters live in Redis, shared by every worker process.

test.py turns rate limits off for the rest of the suite; these tests turn on the ones every other
environment runs with.
"""

import json
import os
import subprocess
import sys
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.urls import reverse

from portal.settings import base
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
TOO_MANY = "Too many failed login attempts"
PROXY = "10.0.0.2"


@pytest.fixture
def rate_limited(settings):
    """The rate limits outside tests (allauth's defaults where the project sets none), counted in a
    cache namespace of this test's own, so no earlier run or other test shares its counters."""
    settings.ACCOUNT_RATE_LIMITS = getattr(base, "ACCOUNT_RATE_LIMITS", {})
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"{config.get('KEY_PREFIX', '')}:{uuid.uuid4().hex}"}
        for alias, config in django_settings.CACHES.items()
    }
    return settings


def person(email):
    user = UserFactory(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(client, email, password=PASSWORD, **meta):
    client.logout()
    response = client.post(reverse("account_login"), {"login": email, "password": password}, **meta)
    return response, "_auth_user_id" in client.session


def test_the_redis_cache_holds_the_counters(rate_limited):
    assert django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_after_a_scanner_hammered_one_account_another_person_at_that_address_logs_in(
    client, db, rate_limited
):
    person("a@example.com")
    person("b@example.com")
    for _ in range(12):
        log_in(client, "a@example.com", "guess")

    response, logged_in = log_in(client, "a@example.com")
    assert not logged_in and TOO_MANY in response.content.decode()  # the account is locked …

    _, logged_in = log_in(client, "b@example.com")
    assert logged_in  # … not everyone behind the address


def test_behind_the_proxy_each_client_address_counts_on_its_own(client, db, rate_limited):
    rate_limited.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    person("b@example.com")
    scanner = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for n in range(40):
        log_in(client, f"victim{n}@example.com", "guess", **scanner)
    response, logged_in = log_in(client, "b@example.com", **scanner)
    assert response.status_code == 429 and not logged_in  # the scanning address is slowed down

    colleague = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    _, logged_in = log_in(client, "b@example.com", **colleague)
    assert logged_in


GUESS_IN_ANOTHER_PROCESS = """
import json, sys
import django
django.setup()
from allauth.account.adapter import get_adapter
from django.test import RequestFactory, override_settings
limits, caches, email = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
with override_settings(ACCOUNT_RATE_LIMITS=limits, CACHES=caches):
    request = RequestFactory().post("/accounts/login/")
    for _ in range(5):
        get_adapter().pre_authenticate(request, email=email, password="guess")
"""


def test_guesses_counted_by_another_worker_process_count_here(client, db, rate_limited):
    person("a@example.com")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    subprocess.run(
        [
            sys.executable,
            "-c",
            GUESS_IN_ANOTHER_PROCESS,
            json.dumps(rate_limited.ACCOUNT_RATE_LIMITS),
            json.dumps(rate_limited.CACHES),
            "a@example.com",
        ],
        check=True,
        env=env,
        cwd=django_settings.BASE_DIR,
        timeout=60,
    )

    response, logged_in = log_in(client, "a@example.com")

    assert not logged_in and TOO_MANY in response.content.decode()
