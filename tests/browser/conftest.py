"""Browser tests: a real headless Chromium (Debian's, never a downloaded one) against pytest-django's live
server. Every test here is marked `browser`; on failure a screenshot lands in test-artifacts/."""

import os
import re
import time
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect, sync_playwright

from demo.people import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django would then refuse ORM calls made by
# the test itself (SynchronousOnlyOperation). The test thread is never actually async, so it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ACTION_TIMEOUT_MS = 15_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so the page fixture knows whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/services.sh does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server, transactional_db) -> Page:
    """A fresh browser context (no cookies) on the live server; screenshot saved when the test fails."""
    # Reduced motion: Bootstrap then opens collapses and modals without transitions, so a click never
    # lands on a panel that is still moving.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The seeded demo installation (`manage.py seed_demo`), as `make run` shows it."""
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def log_in(page):
    """log_in(email, password=the demo password): through the real login form, as a person would."""

    def _log_in(email: str, password: str = DEMO_PASSWORD) -> Page:
        if "@" not in email:
            email = f"{email}@{DEMO_EMAIL_DOMAIN}"
        page.goto("/accounts/login/")
        form = page.locator("main form").filter(has=page.locator("input[type=password]"))
        form.get_by_label(re.compile(r"e-?mail", re.IGNORECASE)).fill(email)
        form.get_by_label(re.compile(r"password", re.IGNORECASE)).fill(password)
        form.locator("[type=submit]").first.click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        if re.search(r"/accounts/2fa/authenticate/", page.url):
            enter_totp_code(page, email)
        return page

    return _log_in


_codes_used: set[tuple[str, str]] = set()


def enter_totp_code(page: Page, email: str) -> None:
    """Vendor staff's second step: the code their authenticator app would show now.

    allauth accepts a code once; a journey that logs one person in twice within a period waits for the next.
    """
    with scopes_disabled():
        authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    while True:
        now = time.time()
        code = format_hotp_value(hotp_value(secret, int(now) // mfa_settings.TOTP_PERIOD))
        if (email, code) not in _codes_used:
            break
        time.sleep(mfa_settings.TOTP_PERIOD - now % mfa_settings.TOTP_PERIOD + 0.1)
    _codes_used.add((email, code))
    page.get_by_label(re.compile(r"code", re.IGNORECASE)).fill(code)
    page.locator("main form [type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
