"""Journey: a reseller registers a deal (verifying the domain, watching the live checklist) and submits it →
a channel manager approves it from the queue → the reseller sees it approved with its expiry date."""

import re

from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from deals.models import Deal, DealState
from partners.models import Membership
from tests.browser.a11y import assert_accessible
from tests.browser.journey import person, screenshot, switch_to
from tests.factories import ProductFactory, ProspectFactory


def test_a_reseller_registers_a_deal_that_a_channel_manager_approves(
    page, log_in, vendor, reseller, distributor
):
    Role = Membership.Role
    ProductFactory(vendor=vendor, name="Endpoint Shield Business", min_quantity=100)
    ProspectFactory(vendor=vendor, name="Initech Corporation", domain="initech-corp.com")
    partner = person(Role.PARTNER_USER, organization=reseller)
    manager = person(Role.CHANNEL_MANAGER, vendor=vendor)

    # The reseller opens the form from the deal list.
    switch_to(page, log_in, partner)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Deals").click()
    page.get_by_role("link", name="Register deal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a deal")

    # Company: the domain check finds the existing prospect and shows the tick.
    page.get_by_label("Company name").fill("Initech Corporation")
    page.get_by_label("Primary domain").fill("https://www.initech-corp.com/contact")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#domain-status")).to_contain_text("Existing prospect: Initech Corporation")
    expect(page.get_by_label("Primary domain")).to_have_value("initech-corp.com")
    expect(page.locator("#domain-check .bi-check-circle-fill")).to_be_visible()

    # End user.
    page.get_by_label("First name").fill("Bill")
    page.get_by_label("Last name").fill("Lumbergh")
    page.get_by_label("Position / title").fill("VP Operations")
    page.get_by_label("Contact role").select_option(label="Decision maker")
    page.get_by_label("Email", exact=True).fill("bill@initech-corp.com")
    page.get_by_label("Phone", exact=True).fill("+1 201 555 0199")
    page.get_by_label("Address line 1").fill("1 Initech Way")
    page.get_by_label("City").fill("Austin")
    page.get_by_label("State", exact=True).fill("TX")
    page.get_by_label("ZIP code").fill("73301")
    page.get_by_label("Country").select_option("US")

    # Partner: the distributor the customer buys through.
    page.get_by_label("Distributor", exact=True).select_option(label=distributor.name)

    # Opportunity: a product line, value, close date and BANT.
    page.get_by_label("Product of line 1").select_option(label="Endpoint Shield Business")
    page.get_by_label("Quantity of line 1").fill("800")
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_label("Product of line 2")).to_be_focused()
    page.get_by_text("Remove line 2").click()  # an added line can be dropped again
    expect(page.get_by_label("Remove line 2")).to_be_checked()
    page.get_by_label("Projected value").fill("48000")
    close = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    page.get_by_label("Expected close date").fill(close)
    page.get_by_label("Budget").select_option(label="Approved")
    page.get_by_label("Decision maker / authority").fill("Bill Lumbergh, VP Operations")
    page.get_by_label("Need: what problem does it solve?").fill(
        "Replace an unsupported antivirus on 800 laptops."
    )
    page.get_by_label("Timeline", exact=True).fill("PO this quarter")
    page.get_by_label("Timeline", exact=True).blur()

    # The live checklist follows the form without a reload.
    panel = page.locator("#checklist-panel")
    expect(panel).to_contain_text("Nothing blocks submission.")
    assert_accessible(page)
    screenshot(page, "deal_form")

    page.get_by_role("button", name="Submit registration").click()
    expect(page.get_by_text(re.compile(r"DR-\d{6} was submitted for review"))).to_be_visible()
    with scopes_disabled():
        deal = Deal.objects.get(vendor=vendor)
    assert deal.state == DealState.SUBMITTED
    expect(page.locator(".stage-progress li.current")).to_contain_text("Registered")

    # The channel manager finds it in the queue and approves it.
    switch_to(page, log_in, manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Approval queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approval queue")
    row = page.get_by_role("row").filter(has_text=deal.deal_number)
    expect(row).to_contain_text("On time")
    assert_accessible(page)
    screenshot(page, "deal_queue")
    row.get_by_role("link", name=re.compile("Review")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Review {deal.deal_number}")
    assert_accessible(page)
    screenshot(page, "deal_review")
    page.locator("#approve-button").click()
    expect(page.get_by_text(re.compile(f"{deal.deal_number} was approved; protected until"))).to_be_visible()

    # The reseller sees it approved, with its expiry date.
    switch_to(page, log_in, partner)
    page.goto(f"/v/{vendor.slug}/deals/")
    row = page.get_by_role("row").filter(has_text=deal.deal_number)
    with scopes_disabled():
        deal = Deal.objects.get(pk=deal.pk)
    expiry = timezone.localtime(deal.expires_at).strftime("%-d %b %Y")
    expect(row).to_contain_text(expiry)
    row.get_by_role("link", name=deal.deal_number).click()
    expect(page.locator("#deal-expiry")).to_contain_text(expiry)
    expect(page.locator(".stage-progress li.done").first).to_contain_text("Registered")
    assert deal.state in (DealState.APPROVED, DealState.QUOTED)
    assert_accessible(page)
    screenshot(page, "deal_detail")
