"""Out-of-range numbers are refused with a clear message, never a server error (a quantity of 10^26
overflowed the database integer in the deal form and the decimal context in the quote form)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from deals.models import Deal, Quote
from partners.models import Program
from products.models import Product
from tests.factories import ProductFactory, quoted_deal
from tests.helpers import cosell_post, deal_url, lines_post

HUGE = str(10**26)


def assert_refused_with(response, message):
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("quantity", [HUGE, "2147483648", "10000001"])
def test_a_huge_quantity_in_the_deal_form_is_refused_and_nothing_saved(login, partner_user, vendor, quantity):
    product = ProductFactory(vendor=vendor)
    response = login(partner_user).post(
        reverse("deal_create", args=[vendor.slug]),
        lines_post(product, quantity, company_name="Contoso", intent="save"),
    )
    assert_refused_with(response, "less than or equal to 10,000,000")
    with scopes_disabled():
        assert not Deal.objects.exists()


def test_a_huge_projected_value_is_refused(login, partner_user, vendor):
    product = ProductFactory(vendor=vendor)
    response = login(partner_user).post(
        reverse("deal_create", args=[vendor.slug]),
        lines_post(product, 10, company_name="Contoso", projected_value=HUGE, intent="save"),
    )
    assert_refused_with(response, "less than or equal to 999,999,999,999.99")


@pytest.mark.parametrize("quantity", [HUGE, "2147483648", "10000001"])
def test_a_huge_quantity_in_the_quote_form_is_refused_and_no_quote_issued(
    login, reseller, distributor, vendor, quantity
):
    product = ProductFactory(vendor=vendor, list_price=D("10.00"))
    deal = quoted_deal(organization=reseller, distributor=distributor, lines=[(product, 100)])
    response = login(deal.registered_by).post(deal_url("quote_new", deal), lines_post(product, quantity))
    assert_refused_with(response, "less than or equal to 10,000,000")
    with scopes_disabled():
        assert Quote.objects.filter(deal=deal).count() == 1


PROGRAM_POST = {
    "name": "Partner program",
    "registration_mode": "exclusive",
    "ordering_party": "either",
    "fiscal_year_start_month": "1",
    "validity_days": "60",
    "extension_days": "30",
    "max_extensions": "2",
    "expiry_warning_days": "7,1",
    "stale_after_days": "30",
    "stale_warning_day": "23",
    "stale_action": "revoke",
    "review_sla_business_days": "3",
    "name_similarity_threshold": "0.45",
    "reward_margin_points": "10",
    "quote_validity_days": "30",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("validity_days", HUGE, "less than or equal to 3,650"),
        ("extension_days", HUGE, "less than or equal to 3,650"),
        ("max_extensions", HUGE, "less than or equal to 100"),
        ("stale_after_days", HUGE, "less than or equal to 3,650"),
        ("stale_warning_day", HUGE, "less than or equal to 3,650"),
        ("review_sla_business_days", HUGE, "less than or equal to 365"),
        ("quote_validity_days", HUGE, "less than or equal to 3,650"),
        ("reward_margin_points", HUGE, "less than or equal to 100"),
        ("reward_margin_points", "-1", "greater than or equal to 0"),
        ("fiscal_year_start_month", HUGE, "less than or equal to 12"),
        ("expiry_warning_days", HUGE, "at most 3,650 days"),
    ],
)
def test_out_of_range_program_settings_are_refused(login, vendor_admin, vendor, field, value, message):
    response = login(vendor_admin).post(
        reverse("program_settings", args=[vendor.slug]), {**PROGRAM_POST, field: value}
    )
    assert_refused_with(response, message)
    with scopes_disabled():
        assert Program.objects.get(vendor=vendor).validity_days == 60


PRODUCT_POST = {
    "sku": "X-1",
    "name": "Widget",
    "unit": "users",
    "list_price": "10",
    "currency": "USD",
    "min_quantity": "0",
    "is_active": "on",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("list_price", HUGE, "less than or equal to 1,000,000"),
        ("min_quantity", HUGE, "less than or equal to 10,000,000"),
        ("min_value", HUGE, "less than or equal to 999,999,999,999.99"),
        ("min_value", "-5", "greater than or equal to 0"),
    ],
)
def test_out_of_range_product_numbers_are_refused(login, vendor_admin, vendor, field, value, message):
    response = login(vendor_admin).post(
        reverse("product_create", args=[vendor.slug]), {**PRODUCT_POST, field: value}
    )
    assert_refused_with(response, message)
    with scopes_disabled():
        assert not Product.objects.filter(vendor=vendor).exists()


@pytest.mark.parametrize(
    ("share", "message"), [("0", "A share is more than 0%."), (HUGE, "A share is at most 100%.")]
)
def test_an_out_of_range_co_sell_share_is_refused(
    login, partner_user, co_sell_vendor, other_reseller, share, message
):
    """A share of 0 gave a server error: the message's “%” was taken for a format placeholder."""
    product = ProductFactory(vendor=co_sell_vendor)
    response = login(partner_user).post(
        reverse("deal_create", args=[co_sell_vendor.slug]),
        {
            **lines_post(product, 10, company_name="Contoso", intent="save"),
            **cosell_post(other_reseller, share),
        },
    )
    assert_refused_with(response, message)
    with scopes_disabled():
        assert not Deal.objects.exists()
