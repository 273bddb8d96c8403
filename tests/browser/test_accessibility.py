"""WCAG 2.1 AA in a real browser: axe-core audits every main page as each role sees it in the seeded demo,
and the deal form is checked for keyboard use and a working mobile menu.

One seeded database for the whole module: the demo takes seconds to seed, and a live_server test flushes the
database after every test. So this module runs its own live server (not pytest-django's `live_server`, which
would pull in `transactional_db`) over a database seeded once, opened for the module and flushed at the end.
Every page is its own test, so a failure names the page, the role, the rule and the offending elements.
"""

import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from demo.people import DEMO_EMAIL_DOMAIN
from partners.models import User
from tests.browser.conftest import ACTION_TIMEOUT_MS, ARTIFACTS
from tests.demo_pages import PAGES, demo_paths

# The mark makes pytest-django create the test database; each test's own transaction is never written to.
pytestmark = pytest.mark.django_db

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
MAX_NODES_SHOWN = 5  # per rule: a repeated row would otherwise bury the other rules

# Runs in the page after axe is injected: one entry per violated rule, with the elements that break it.
_RUN_AXE = """
async (tags) => {
  const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}
"""


@dataclass(frozen=True)
class DemoSite:
    url: str
    paths: dict[str, str]  # page key -> path on the seeded demo


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The seeded demo behind a live server, shared by this module's tests (they only read)."""
    with django_db_blocker.unblock(), override_settings(DEMO_MODE=True):
        # Seeded here and flushed below: never anything but a test database.
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
        call_command("seed_demo", stdout=StringIO())
        try:
            paths = demo_paths()
            server = LiveServer("localhost")
            try:
                yield DemoSite(server.url, paths)
            finally:
                server.stop()
        finally:
            # Leave the database as empty as every other test expects to find it.
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def tabs(browser: Browser, demo_site):
    """tab(person, viewport): one browser tab per demo person and viewport, reused by the module's tests
    (they only read), so static files stay cached. Signed in with a session made here, up front: logging in
    through the form is tested elsewhere, and a session made inside a test's transaction would never reach
    the live server."""
    session_cookies = {person: _session_cookie(person) for person in PEOPLE if person != "anonymous"}
    host = urlsplit(demo_site.url).hostname
    opened: dict[tuple[str, int, int], Page] = {}

    def tab(person: str, viewport: dict) -> Page:
        key = (person, viewport["width"], viewport["height"])
        if key not in opened:
            context = browser.new_context(base_url=demo_site.url, viewport=viewport, reduced_motion="reduce")
            context.set_default_timeout(ACTION_TIMEOUT_MS)
            context.add_init_script(path=str(AXE))  # parsed while each page loads
            if person != "anonymous":
                cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session_cookies[person]}
                context.add_cookies([{**cookie, "domain": host, "path": "/"}])
            opened[key] = context.new_page()
        return opened[key]

    yield tab
    for page in opened.values():
        page.context.close()


def _session_cookie(person: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=f"{person}@{DEMO_EMAIL_DOMAIN}"))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def open_as(request, tabs):
    """open_as(person, viewport=DESKTOP) -> that demo person's tab (screenshot saved if the test fails)."""
    used: list[Page] = []

    def _open_as(person: str, viewport: dict = DESKTOP) -> Page:
        page = tabs(person, viewport)
        used.append(page)
        return page

    yield _open_as
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        for page in used:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _settle(page: Page) -> None:
    """Wait for the htmx fragments a page loads (checklists, counters): they are part of what is audited."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


# Panels a click opens (withdraw, mark lost, order, decision forms) are audited open, as people use them.
_REVEAL = """
() => {
  document.querySelectorAll('details').forEach((details) => { details.open = true; });
  const panels = document.querySelectorAll('.collapse:not(.navbar-collapse)');
  panels.forEach((panel) => panel.classList.add('show'));
}
"""


def reveal_panels(page: Page) -> None:
    page.evaluate(_REVEAL)


def axe_violations(page: Page) -> list[dict]:
    return page.evaluate(_RUN_AXE, WCAG_21_AA)


def horizontal_overflow(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:MAX_NODES_SHOWN]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}  — {summary}")
        if len(violation["nodes"]) > MAX_NODES_SHOWN:
            lines.append(f"    … and {len(violation['nodes']) - MAX_NODES_SHOWN} more elements")
    return "\n".join(lines)


PEOPLE = sorted({person for person, _, _ in PAGES})


@pytest.mark.parametrize(("person", "page_key", "status"), PAGES, ids=[f"{p}-{k}" for p, k, _ in PAGES])
def test_it_meets_wcag_21_aa(open_as, demo_site, person, page_key, status):
    page = open_as(person)
    response = page.goto(demo_site.paths[page_key])
    assert response.status == status, f"{page_key} as {person}: HTTP {response.status}"
    _settle(page)
    reveal_panels(page)

    violations = axe_violations(page)

    assert not violations, f"WCAG 2.1 AA violations on {page.url} as {person}:\n{describe(violations)}"
    assert horizontal_overflow(page) == 0, f"{page.url} as {person} scrolls sideways at {DESKTOP['width']} px"


# The busiest pages once more at a phone's width, where layouts reflow (WCAG 1.4.10: no sideways scrolling
# of the page; wide tables scroll inside their own box).
PHONE_PAGES = [
    ("anonymous", "login"),
    ("partner.admin", "dashboard"),
    ("partner.admin", "deal_list"),
    ("partner.user", "deal_new"),
    ("partner.admin", "deal_quoted"),
    ("partner.admin", "quote"),
    ("channel.manager", "queue"),
    ("channel.manager", "review_conflict"),
    ("partner.user", "notifications"),
    ("vendor.admin", "matrix"),
    ("vendor.admin", "program_settings"),
]


@pytest.mark.parametrize(("person", "page_key"), PHONE_PAGES, ids=[f"{p}-{k}" for p, k in PHONE_PAGES])
def test_it_meets_wcag_21_aa_at_a_phone_width(open_as, demo_site, person, page_key):
    page = open_as(person, viewport=MOBILE)
    page.goto(demo_site.paths[page_key])
    _settle(page)
    reveal_panels(page)

    violations = axe_violations(page)

    assert not violations, f"WCAG 2.1 AA violations on {page.url} as {person}, phone:\n{describe(violations)}"
    assert horizontal_overflow(page) == 0, f"{page.url} as {person} scrolls sideways at {MOBILE['width']} px"


def test_the_audit_fails_a_page_with_known_faults(open_as, demo_site):
    # Guards the guard: a silent audit (axe missing, a misspelt tag) would pass every page above.
    page = open_as("anonymous")
    page.goto(demo_site.paths["login"])
    # The faint colour goes through the CSSOM: the Content-Security-Policy refuses style= attributes.
    page.locator("main").evaluate(
        "(main) => { main.insertAdjacentHTML('beforeend',"
        ' \'<p id="faint">Faint text</p><input type="text" id="unlabelled">\');'
        " document.getElementById('faint').style.color = '#bbb'; }"
    )

    violations = {violation["id"] for violation in axe_violations(page)}

    assert {"color-contrast", "label"} <= violations


def test_it_meets_wcag_21_aa_with_the_phone_menu_and_its_dropdowns_open(open_as, demo_site):
    page = open_as("partner.admin", viewport=MOBILE)
    page.goto(demo_site.paths["deal_list"])
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.locator("#main-nav")).to_be_visible()
    # In the collapsed menu the workspace and account dropdowns open in place, below their buttons.
    page.locator("#workspace-switcher").click()
    expect(page.locator("#workspace-switcher + .dropdown-menu")).to_be_visible()
    page.locator("#account-menu + .dropdown-menu").evaluate("(menu) => menu.classList.add('show')")

    violations = axe_violations(page)

    assert not violations, f"WCAG 2.1 AA violations on {page.url} (phone menu):\n{describe(violations)}"
    assert horizontal_overflow(page) == 0, f"{page.url} scrolls sideways with the phone menu open"


def _tab_until(page: Page, matches, *, limit: int = 250) -> list[str]:
    """Press Tab until the focused element satisfies `matches` (a JS predicate); return what was passed."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(matches) => { const el = document.activeElement;"
            " return {hit: new Function('el', 'return ' + matches)(el),"
            " text: (el.innerText || el.value || el.getAttribute('aria-label') || el.tagName).trim()}; }",
            matches,
        )
        if focused["hit"]:
            return passed
        passed.append(focused["text"])
    raise AssertionError(f"Tab never reached {matches!r}; it went through: {passed[-40:]}")


def test_it_lets_a_keyboard_skip_to_the_deal_form_and_reach_verify_and_the_submit_buttons(open_as, demo_site):
    page = open_as("partner.user")
    page.goto(demo_site.paths["deal_new"])

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # shown once focused
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # From the skip target, Tab continues inside the page content, past the whole navbar.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null"), "Tab left the main content"

    _tab_until(page, "el.matches('button') && /verify/i.test(el.innerText)")
    expect(page.get_by_role("button", name="Verify")).to_be_focused()

    _tab_until(page, "el.type === 'submit' && el.value === 'save'")
    expect(page.get_by_role("button", name="Save draft")).to_be_focused()
    _tab_until(page, "el.type === 'submit' && el.value === 'submit'")
    expect(page.get_by_role("button", name="Submit registration")).to_be_focused()


def test_it_opens_the_menu_from_the_keyboard_at_a_phone_width(open_as, demo_site):
    page = open_as("partner.user", viewport=MOBILE)
    page.goto(demo_site.paths["deal_new"])
    toggler = page.get_by_role("button", name="Toggle navigation")
    expect(toggler).to_be_visible()
    expect(page.locator("#main-nav")).to_be_hidden()

    _tab_until(page, "el.classList.contains('navbar-toggler')")
    page.keyboard.press("Enter")

    expect(toggler).to_have_attribute("aria-expanded", "true")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Deals")).to_be_visible()
    expect(menu.get_by_role("link", name="Expiring soon")).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Dashboard")).to_be_focused()
