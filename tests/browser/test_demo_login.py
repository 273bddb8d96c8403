"""The seeded demo, driven through a real browser: log in, land on the dashboard, switch workspace."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import enter_totp_code

pytestmark = pytest.mark.browser


def test_it_logs_a_seeded_channel_manager_in_to_their_dashboard(demo, page, log_in):
    log_in("channel.manager")

    expect(page).to_have_url(re.compile(r"/v/parallax/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Channel manager dashboard")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Parallax Virtualization")
    assert_accessible(page)


def test_it_logs_a_seeded_partner_user_in_to_their_organisations_dashboard(demo, page, log_in):
    log_in("partner.user")

    expect(page).to_have_url(re.compile(r"/v/parallax/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner user dashboard")
    expect(page.get_by_role("main")).to_contain_text("Northwind Systems")
    assert_accessible(page)


def test_it_lists_the_seeded_accounts_on_the_demo_login_page(demo, page, log_in, settings):
    settings.DEMO_MODE = True
    page.goto("/accounts/login/")
    demo_accounts = page.get_by_role("region", name="Demo accounts")
    for local_part in (
        "vendor.admin",
        "channel.manager",
        "partner.admin",
        "partner.user",
        "distributor.user",
    ):
        expect(demo_accounts).to_contain_text(f"{local_part}@demo.example")
    assert_accessible(page)

    listed = demo_accounts.locator("code", has_text="distributor.user@demo.example").inner_text()
    log_in(listed)

    expect(page).to_have_url(re.compile(r"/v/parallax/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Distributor user dashboard")


def test_it_asks_a_person_with_two_vendors_where_to_work_after_login(demo, page, log_in):
    log_in("partner.admin")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your workspaces")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Flexor Security")).click()

    expect(page).to_have_url(re.compile(r"/v/flexor/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner admin dashboard")


def test_it_lets_a_person_with_two_vendors_switch_workspace_from_the_navbar(demo, page, log_in):
    log_in("partner.admin")  # Northwind Systems at Parallax and at Flexor
    page.goto("/v/parallax/")
    navbar = page.get_by_role("navigation", name="Main")
    expect(navbar).to_contain_text("Parallax Virtualization")

    navbar.locator("#workspace-switcher").click()
    # The switcher lists the same organisation twice, once under each vendor's heading.
    navbar.locator("form[action='/v/flexor/switch/']").get_by_role("button", name="Northwind Systems").click()

    expect(page).to_have_url(re.compile(r"/v/flexor/$"))
    expect(navbar).to_contain_text("Flexor Security")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner admin dashboard")
    assert_accessible(page)


def test_it_keeps_the_wrong_password_out_with_a_clear_message(demo, page):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[type=password]"))
    form.get_by_label(re.compile(r"e-?mail", re.IGNORECASE)).fill("channel.manager@demo.example")
    form.get_by_label(re.compile(r"password", re.IGNORECASE)).fill("not-the-password")
    form.locator("[type=submit]").first.click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"not correct|incorrect", re.IGNORECASE))
    assert_accessible(page)


def test_a_demo_accounts_use_button_fills_the_login_form(demo, page, settings):
    settings.DEMO_MODE = True
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Use channel.manager@demo.example").click()
    form = page.locator("#login-form")
    expect(form.get_by_label(re.compile(r"e-?mail", re.IGNORECASE))).to_have_value(
        "channel.manager@demo.example"
    )
    form.get_by_role("button", name=re.compile("log in|sign in", re.IGNORECASE)).click()
    # Vendor staff: the second step asks for the authenticator code (the panel shows the demo's).
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("two-factor", re.IGNORECASE))
    enter_totp_code(page, "channel.manager@demo.example")

    expect(page.get_by_role("heading", level=1)).to_have_text("Channel manager dashboard")
