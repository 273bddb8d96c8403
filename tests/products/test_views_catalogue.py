"""The vendor admin's catalogue pages: products, territories, the eligibility matrix and program rules."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from partners.models import Program
from products.models import Product, Territory
from tests.factories import ProductFactory, TerritoryFactory


@pytest.fixture
def admin(login, vendor_admin):
    return login(vendor_admin)


def url(vendor, path):
    return f"/v/{vendor.slug}/program/{path}"


def product_post(**overrides):
    data = {
        "sku": "EP-1000",
        "name": "Endpoint Protection",
        "family": "Endpoint Security",
        "unit": "endpoints",
        "list_price": "12.50",
        "currency": "usd",
        "min_quantity": "1000",
        "min_value": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def products_of(vendor):
    with scopes_disabled():
        return list(Product.objects.filter(vendor=vendor))


def test_it_creates_a_product_with_its_territories(admin, vendor):
    emea = TerritoryFactory(vendor=vendor, code="EMEA", countries=["GB", "DE"])
    response = admin.post(url(vendor, "products/new/"), product_post(eligible_territories=[emea.pk]))
    assert response.status_code == 302
    [product] = products_of(vendor)
    with scopes_disabled():
        assert list(product.eligible_territories.all()) == [emea]
    assert product.currency == "USD"
    assert product.min_quantity == 1000
    assert product.list_price == Decimal("12.50")


def test_a_duplicate_sku_is_refused_and_nothing_is_saved(admin, vendor):
    ProductFactory(vendor=vendor, sku="EP-1000", name="Existing")
    response = admin.post(url(vendor, "products/new/"), product_post(sku="ep-1000"))
    assert response.status_code == 400
    assert "Another product already uses the SKU ep-1000." in response.content.decode()
    assert [p.name for p in products_of(vendor)] == ["Existing"]


def test_bad_price_and_currency_get_field_errors(admin, vendor):
    response = admin.post(url(vendor, "products/new/"), product_post(list_price="-1", currency="U5D"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in html
    assert "Enter a three-letter ISO currency code" in html
    assert products_of(vendor) == []


def test_it_edits_a_product_and_lists_it(admin, vendor):
    product = ProductFactory(vendor=vendor, sku="OLD-1", name="Old Name")
    admin.post(
        url(vendor, f"products/{product.pk}/"), product_post(sku="OLD-1", name="New Name", is_active="")
    )
    with scopes_disabled():
        product = Product.objects.get(pk=product.pk)
    assert product.name == "New Name"
    assert product.is_active is False
    html = admin.get(url(vendor, "products/")).content.decode()
    assert "New Name" in html and "Inactive" in html


def test_a_product_of_another_vendor_is_not_found(admin, vendor, other_vendor):
    foreign = ProductFactory(vendor=other_vendor)
    assert admin.get(url(vendor, f"products/{foreign.pk}/")).status_code == 404


def test_the_eligibility_matrix_is_saved_as_ticked(admin, vendor):
    nam = TerritoryFactory(vendor=vendor, code="NAM", countries=["US"])
    apac = TerritoryFactory(vendor=vendor, code="APAC", countries=["JP"])
    first = ProductFactory(vendor=vendor, eligible_in=[nam])
    second = ProductFactory(vendor=vendor, eligible_in=[nam, apac])
    html = admin.get(url(vendor, "eligibility/")).content.decode()
    assert f'value="{second.pk}:{apac.pk}" id="cell-{second.pk}-{apac.pk}" checked' in html
    admin.post(
        url(vendor, "eligibility/"),
        {"product": [first.pk, second.pk], "eligible": [f"{first.pk}:{apac.pk}"]},
    )
    with scopes_disabled():
        assert list(first.eligible_territories.all()) == [apac]
        assert list(second.eligible_territories.all()) == []


def test_a_forged_matrix_cell_of_another_vendor_changes_nothing(admin, vendor, other_vendor):
    nam = TerritoryFactory(vendor=vendor, code="NAM", countries=["US"])
    product = ProductFactory(vendor=vendor, eligible_in=[nam])
    foreign = TerritoryFactory(vendor=other_vendor, code="EMEA")
    response = admin.post(
        url(vendor, "eligibility/"),
        {"product": [product.pk], "eligible": [f"{product.pk}:{foreign.pk}"]},
        follow=True,
    )
    assert "Nothing was changed." in response.content.decode()
    with scopes_disabled():
        assert list(product.eligible_territories.all()) == [nam]


def test_default_territories_and_a_new_one(admin, vendor):
    admin.post(url(vendor, "territories/"), {"action": "defaults"})
    response = admin.post(url(vendor, "territories/"), {"code": "dach", "name": "DACH"})
    with scopes_disabled():
        codes = sorted(Territory.objects.filter(vendor=vendor).values_list("code", flat=True))
        dach = Territory.objects.get(vendor=vendor, code="DACH")
    assert codes == ["APAC", "DACH", "EMEA", "LATAM", "NAM"]
    assert response["Location"] == f"/v/{vendor.slug}/program/territories/{dach.pk}/"


def test_a_country_cannot_be_in_two_territories(admin, vendor):
    TerritoryFactory(vendor=vendor, code="EMEA", countries=["DE", "FR"])
    dach = TerritoryFactory(vendor=vendor, code="DACH", countries=[])
    response = admin.post(url(vendor, f"territories/{dach.pk}/"), {"countries": ["DE", "AT"]})
    assert response.status_code == 400
    assert "DE (in EMEA)" in response.content.decode()
    with scopes_disabled():
        assert list(Territory.objects.get(pk=dach.pk).countries) == []


def test_the_program_rules_are_edited_with_validation(admin, vendor):
    with scopes_disabled():
        data = {
            field: value
            for field, value in Program.objects.filter(vendor=vendor).values().get().items()
            if field not in ("id", "vendor_id")
        }
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in data.items()}
    bad = {**data, "stale_warning_day": "40", "stale_after_days": "30", "expiry_warning_days": "7,x"}
    response = admin.post(url(vendor, "settings/"), bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "must come before day 30" in html
    assert "Enter whole numbers of days separated by commas" in html
    response = admin.post(
        url(vendor, "settings/"), {**data, "validity_days": "90", "expiry_warning_days": "1, 14"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        program = Program.objects.get(vendor=vendor)
    assert program.validity_days == 90
    assert program.expiry_warning_days == "14,1"


@pytest.mark.parametrize("role", ["channel_manager", "partner_admin", "partner_user", "distributor_user"])
def test_only_the_vendor_admin_configures_the_program(role, request, login, vendor, distributor):
    client = login(request.getfixturevalue(role))
    for path in ("products/", "products/new/", "eligibility/", "territories/", "settings/"):
        assert client.get(url(vendor, path)).status_code == 403


def _program_post(vendor, **overrides) -> dict:
    with scopes_disabled():
        values = Program.objects.filter(vendor=vendor).values().get()
    data = {k: v for k, v in values.items() if k not in ("id", "vendor_id", "closure_days")}
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in data.items()}
    return {**data, **overrides}


def test_the_business_day_calendar_is_set_and_shown_on_the_program_settings(admin, vendor):
    bad = _program_post(vendor, holiday_country="DE", holiday_subdivision="CA", closure_days="24.12.")
    response = admin.post(url(vendor, "settings/"), bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "not a subdivision of Germany" in html
    assert "Enter dates as YYYY-MM-DD" in html
    good = _program_post(
        vendor,
        holiday_country="DE",
        holiday_subdivision="by",
        closure_days="2026-12-31\n2026-12-24, 2026-12-24",
    )
    assert admin.post(url(vendor, "settings/"), good).status_code == 302
    with scopes_disabled():
        program = Program.objects.get(vendor=vendor)
    assert (program.holiday_country, program.holiday_subdivision) == ("DE", "BY")
    assert program.closure_days == ["2026-12-24", "2026-12-31"]
    html = admin.get(url(vendor, "settings/")).content.decode()
    assert "Public holidays of Germany (BY) and 2 closure days of your own" in html
    assert "Christmas Day" in html  # the coming days off the review clock skips


def test_a_program_without_a_country_counts_weekends_only(admin, vendor):
    html = admin.get(url(vendor, "settings/")).content.decode()
    assert "Weekends only: no public holidays" in html
