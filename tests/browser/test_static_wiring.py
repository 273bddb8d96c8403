"""What the templates used to carry inline (scripts, style=, <style>) comes from static/ and still works."""

from decimal import Decimal as D

from playwright.sync_api import expect

from partners.models import Membership
from tests.browser.journey import person, switch_to
from tests.factories import ProductFactory, quoted_deal


def _css(page, selector, prop):
    return page.locator(selector).evaluate(f"el => getComputedStyle(el).getPropertyValue('{prop}')")


def test_the_quote_page_print_button_prints(page, log_in, reseller, distributor, vendor):
    product = ProductFactory(vendor=vendor, name="Endpoint Shield", list_price=D("10.00"))
    user = person(Membership.Role.PARTNER_USER, organization=reseller)
    lines = [(product, 100)]
    deal = quoted_deal(organization=reseller, distributor=distributor, registered_by=user, lines=lines)
    switch_to(page, log_in, user)
    page.goto(f"/v/{vendor.slug}/deals/{deal.number}/quotes/1/")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1


def test_the_moved_styles_apply(page, log_in, reseller, vendor):
    # Entrance pages (signup) keep their narrow column; the login page spans the container.
    page.goto("/accounts/signup/")
    assert _css(page, "#main", "max-width") == "512px"  # 32rem
    page.goto("/accounts/login/")
    assert _css(page, "#main", "max-width") != "512px"

    user = person(Membership.Role.PARTNER_USER, organization=reseller)
    switch_to(page, log_in, user)
    page.goto("/notifications/preferences/")
    assert _css(page, "main form.card", "max-width") == "640px"  # 40rem
    page.goto("/accounts/email/")  # account settings: the medium column
    assert _css(page, "#main", "max-width") == "736px"  # 46rem

    # The deal form's checklist sticks 1rem below the top of the window on a wide screen.
    page.goto(f"/v/{vendor.slug}/deals/new/")
    expect(page.locator(".checklist-card")).to_be_visible()
    assert _css(page, ".checklist-card", "position") == "sticky"
    assert _css(page, ".checklist-card", "top") == "16px"
