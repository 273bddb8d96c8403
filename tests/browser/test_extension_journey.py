"""Journey: a partner asks to extend a registration → the channel manager grants it → the new expiry shows."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from deals.models import DealState
from partners.models import Membership
from tests.browser.a11y import assert_accessible
from tests.browser.journey import person, switch_to
from tests.helpers import approved_deal


def test_a_partner_asks_for_an_extension_and_the_channel_manager_grants_it(page, log_in, vendor, reseller):
    Role = Membership.Role
    partner = person(Role.PARTNER_USER, organization=reseller)
    manager = person(Role.CHANNEL_MANAGER, vendor=vendor)
    deal = approved_deal(
        organization=reseller,
        registered_by=partner,
        at=timezone.now() - timedelta(days=55),
        state=DealState.QUOTED,
        company_name="Northwind Traders",
    )
    old_expiry = deal.expires_at
    new_expiry = old_expiry + timedelta(days=vendor.program.extension_days)
    deal_path = f"/v/{vendor.slug}/deals/{deal.number}/"

    # The partner sees the countdown on the "expiring soon" list and asks for more time.
    switch_to(page, log_in, partner)
    page.goto(f"/v/{vendor.slug}/")
    page.get_by_role("link", name="Expiring soon").click()
    page.get_by_role("link", name=deal.deal_number).click()
    panel = page.locator("#extension-panel")
    expect(panel.locator("#expiry-countdown")).to_contain_text("5 days left")
    expect(panel.locator("#expiry-date")).to_have_text(f"{old_expiry:%-d %b %Y}")
    assert_accessible(page)
    panel.get_by_label("Why do you need more time?").fill(
        "The customer's board approves the budget next month."
    )
    panel.get_by_role("button", name="Request extension").click()
    expect(page.locator("#open-extension-request")).to_contain_text("board approves the budget")

    # The channel manager finds it among the pending requests and grants it.
    switch_to(page, log_in, manager)
    page.goto(f"/v/{vendor.slug}/")
    page.get_by_role("link", name="Extensions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Extension requests")
    row = page.get_by_role("row").filter(has_text=deal.deal_number)
    expect(row).to_contain_text("board approves the budget")
    assert_accessible(page)
    row.get_by_role("button", name=re.compile(r"^Grant")).click()
    expect(
        page.get_by_text(re.compile(f"{deal.deal_number} extended until {new_expiry:%-d %b %Y}"))
    ).to_be_visible()
    expect(page.get_by_text("No extension request is waiting.")).to_be_visible()

    # Back to the partner: the deal is extended and shows its new expiry.
    switch_to(page, log_in, partner)
    page.goto(deal_path)
    expect(page.locator("#expiry-date")).to_have_text(f"{new_expiry:%-d %b %Y}")
    expect(page.locator("#extension-panel")).to_contain_text("Extensions used: 1 of")
    expect(page.locator("#extension-panel")).to_contain_text("Granted")
    page.locator("#notifications-link").click()
    expect(
        page.get_by_role("button", name=re.compile(f"^Unread: Extended until .*{deal.deal_number}"))
    ).to_be_visible()
