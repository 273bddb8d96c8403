"""Journey (seed 003): a reseller adds a co-sell partner on the form (the lead's share follows, the total
shows 100%) and saves the draft → the partner's admin finds it in the deal list with a co-sell badge and
sees its role and share on the deal page, without any way to change it."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from deals.models import Deal, DealParticipant
from partners.models import Membership
from tests.browser.a11y import assert_accessible
from tests.browser.journey import person, screenshot, switch_to
from tests.factories import make_co_sell


def test_a_reseller_shares_a_deal_with_a_consulting_partner(page, log_in, vendor, reseller, other_reseller):
    Role = Membership.Role
    make_co_sell(vendor)
    partner = person(Role.PARTNER_USER, organization=reseller)
    beta_admin = person(Role.PARTNER_ADMIN, organization=other_reseller)

    switch_to(page, log_in, partner)
    page.goto(f"/v/{vendor.slug}/deals/new/")
    page.get_by_label("Company name").fill("Initech Corporation")
    cosell = page.get_by_role("group", name="Co-sell partners")
    lead_share = cosell.get_by_label("Share of the lead partner (%)")
    expect(lead_share).to_have_value("100.00")
    expect(page.locator("#cosell-total")).to_have_text("100")

    cosell.get_by_label("Co-sell partner 1", exact=True).select_option(label="Beta Resellers")
    cosell.get_by_label("Role of co-sell partner 1").select_option(label="Consulting partner")
    cosell.get_by_label("Share of co-sell partner 1 (%)").fill("40")
    expect(lead_share).to_have_value("60")  # the lead's share follows until the partner edits it
    expect(page.locator("#cosell-total")).to_have_text("100")
    cosell.get_by_role("button", name="Add partner").click()
    expect(cosell.get_by_label("Co-sell partner 2", exact=True)).to_be_focused()
    assert_accessible(page)
    screenshot(page, "co_sell_form")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile(r"Draft DR-\d{6} saved"))).to_be_visible()
    panel = page.locator("#participants-panel")
    expect(panel).to_contain_text("Beta Resellers")
    expect(panel).to_contain_text("Consulting partner")
    expect(panel).to_contain_text("40%")
    expect(panel).to_contain_text("60%")
    with scopes_disabled():
        deal = Deal.objects.get(vendor=vendor)
        assert DealParticipant.objects.filter(deal=deal).count() == 2

    # The consulting partner's admin follows it, but cannot change it.
    switch_to(page, log_in, beta_admin)
    page.goto(f"/v/{vendor.slug}/deals/")
    row = page.get_by_role("row").filter(has_text=deal.deal_number)
    expect(row).to_contain_text("co-sell")
    expect(row).to_contain_text("led by Alpha Resellers")
    row.get_by_role("link", name=deal.deal_number).click()
    expect(page.locator("#participants-panel")).to_contain_text("You take part as consulting partner (40%).")
    expect(page.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Submit"))).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "co_sell_deal_for_partner")
