"""Journey: a channel manager approves → the distributor opens the quote, downloads the PDF, starts and
submits the order → the reseller sees the deal won."""

import re
from decimal import Decimal as D

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from deals.models import Deal, DealState
from partners.models import Membership
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.browser.journey import person, screenshot, switch_to
from tests.factories import DealFactory, ProductFactory


def test_from_approval_to_a_won_deal(page, log_in, vendor, reseller, distributor):
    Role = Membership.Role
    with scopes_disabled():
        vendor.program.reward_margin_points = D("10")
        vendor.program.save()
    product = ProductFactory(vendor=vendor, name="Endpoint Shield Business", list_price=D("12.50"))
    partner = person(Role.PARTNER_USER, organization=reseller)
    manager = person(Role.CHANNEL_MANAGER, vendor=vendor)
    dist_user = person(Role.DISTRIBUTOR_USER, organization=distributor)
    deal = DealFactory(
        organization=reseller,
        distributor=distributor,
        registered_by=partner,
        state=DealState.SUBMITTED,
        company_name="Northwind Traders",
        lines=[(product, 400)],
    )
    deal_path = f"/v/{vendor.slug}/deals/{deal.number}/"

    # The channel manager approves: the first quote is issued with it.
    switch_to(page, log_in, manager)
    page.goto(f"{deal_path}review/")
    page.locator("#approve-button").click()
    expect(page.get_by_text(re.compile(f"{deal.deal_number} was approved"))).to_be_visible()

    # The distributor finds the deal in its list and opens the quote.
    switch_to(page, log_in, dist_user)
    page.goto(f"/v/{vendor.slug}/deals/")
    page.get_by_role("link", name=deal.deal_number).click()
    panel = page.locator("#quotes-panel")
    expect(panel).to_contain_text("Quoted, no order yet")
    panel.get_by_role("link", name=f"Quote {deal.deal_number}-Q1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Quote {deal.deal_number}-Q1")
    expect(page.locator("#quote-net-total")).to_have_text(
        "3,500.00 USD"
    )  # 5,000 list − (20 tier + 10 reward)
    assert_accessible(page)
    screenshot(page, "quote_page")
    page.emulate_media(media="print")
    screenshot(page, "quote_page_print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{deal.deal_number}-Q1.pdf"
    pdf_path = ARTIFACTS / download.suggested_filename
    download.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    # Start the order with the customer's PO number, then submit it once confirmed.
    page.get_by_role("link", name=deal.deal_number).click()
    screenshot(page, "deal_page_distributor")
    assert_accessible(page)
    page.get_by_role("button", name="Start order…").click()
    page.get_by_label("Customer's purchase order number").fill("PO-2026-0042")
    page.get_by_role("button", name="Start order", exact=True).click()
    expect(page.get_by_text("was started with PO PO-2026-0042")).to_be_visible()
    page.get_by_role("button", name="Submit order…").click()
    page.get_by_role("button", name="The customer confirmed: submit order").click()
    expect(page.get_by_text(re.compile(f"{deal.deal_number} is won"))).to_be_visible()

    # The reseller sees the deal won, in its list and on the deal page.
    switch_to(page, log_in, partner)
    page.goto(f"/v/{vendor.slug}/deals/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=deal.deal_number))
    expect(row).to_contain_text("Won")
    row.get_by_role("link", name=deal.deal_number).click()
    expect(page.locator("#order-status")).to_have_text("Order submitted, deal won")
    with scopes_disabled():
        assert Deal.objects.get(pk=deal.pk).state == DealState.WON
        assert Deal.objects.filter(renewal_of=deal, state=DealState.DRAFT).exists()
