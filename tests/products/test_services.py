"""Catalogue services: default territories, territory countries and the eligibility matrix."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from products.models import Territory
from products.selectors import eligibility_matrix, eligible_products, territory_for_country
from products.services import create_default_territories, set_eligibility_matrix, territory_set_countries
from tests.factories import ProductFactory, TerritoryFactory


def test_it_creates_the_four_default_territories_once(vendor):
    first = create_default_territories(vendor=vendor)
    again = create_default_territories(vendor=vendor)

    assert [t.code for t in first] == ["NAM", "LATAM", "EMEA", "APAC"]
    assert [t.pk for t in again] == [t.pk for t in first]
    with scopes_disabled():
        assert Territory.objects.filter(vendor=vendor).count() == 4


def test_it_keeps_a_vendor_edited_default_territory(vendor):
    TerritoryFactory(vendor=vendor, code="NAM", name="US only", countries=["US"])
    create_default_territories(vendor=vendor)
    with scopes_disabled():
        nam = Territory.objects.get(vendor=vendor, code="NAM")
    assert nam.name == "US only"
    assert [c.code for c in nam.countries] == ["US"]


def test_it_finds_the_territory_of_a_country(vendor, other_vendor):
    create_default_territories(vendor=vendor)
    create_default_territories(vendor=other_vendor)

    assert territory_for_country(vendor, "DE").code == "EMEA"
    assert territory_for_country(vendor, "DE").vendor == vendor
    assert territory_for_country(vendor, "BR").code == "LATAM"
    assert territory_for_country(vendor, "") is None


def test_it_finds_no_territory_for_a_country_the_vendor_does_not_cover(vendor):
    TerritoryFactory(vendor=vendor, code="DACH", countries=["DE", "AT", "CH"])
    assert territory_for_country(vendor, "FR") is None


def test_it_refuses_a_country_that_already_belongs_to_another_territory(vendor):
    TerritoryFactory(vendor=vendor, code="DACH", countries=["DE", "AT", "CH"])
    benelux = TerritoryFactory(vendor=vendor, code="BNL", countries=["BE"])

    with pytest.raises(ValidationError) as caught:
        territory_set_countries(territory=benelux, countries=["BE", "NL", "DE"])

    assert "DE (in DACH)" in caught.value.messages[0]
    benelux.refresh_from_db()
    assert [c.code for c in benelux.countries] == ["BE"]


def test_it_sets_a_territorys_countries(vendor):
    benelux = TerritoryFactory(vendor=vendor, code="BNL", countries=["BE"])
    territory_set_countries(territory=benelux, countries=["LU", "BE", "NL", "BE"])
    benelux.refresh_from_db()
    assert [c.code for c in benelux.countries] == ["BE", "LU", "NL"]


@pytest.fixture
def catalogue(vendor):
    by_code = {t.code: t for t in create_default_territories(vendor=vendor)}
    nam, emea, apac = by_code["NAM"], by_code["EMEA"], by_code["APAC"]
    desktop = ProductFactory(vendor=vendor, name="Desktop", eligible_in=[nam, emea])
    ras = ProductFactory(vendor=vendor, name="RAS", eligible_in=[])
    return {"nam": nam, "emea": emea, "apac": apac, "desktop": desktop, "ras": ras}


def test_it_replaces_the_whole_eligibility_matrix(vendor, catalogue):
    c = catalogue
    set_eligibility_matrix(vendor=vendor, eligible={c["ras"].pk: {c["apac"].pk, c["emea"].pk}})

    assert list(eligible_products(c["apac"])) == [c["ras"]]
    assert list(eligible_products(c["emea"])) == [c["ras"]]
    assert list(eligible_products(c["nam"])) == []  # desktop was left out: eligible nowhere now


def test_it_refuses_a_matrix_with_another_vendors_territory_and_changes_nothing(
    vendor, other_vendor, catalogue
):
    foreign = TerritoryFactory(vendor=other_vendor, code="NAM", countries=["US"])
    with pytest.raises(ValidationError):
        set_eligibility_matrix(vendor=vendor, eligible={catalogue["desktop"].pk: {foreign.pk}})
    assert list(eligible_products(catalogue["nam"])) == [catalogue["desktop"]]


def test_it_refuses_a_matrix_with_another_vendors_product(vendor, other_vendor, catalogue):
    foreign = ProductFactory(vendor=other_vendor, eligible_in=[])
    with pytest.raises(ValidationError):
        set_eligibility_matrix(vendor=vendor, eligible={foreign.pk: {catalogue["nam"].pk}})


def test_it_lists_only_active_eligible_products(vendor, catalogue):
    ProductFactory(vendor=vendor, name="Retired", eligible_in=[catalogue["nam"]], is_active=False)
    assert list(eligible_products(catalogue["nam"])) == [catalogue["desktop"]]
    assert len(eligible_products(catalogue["nam"], active_only=False)) == 2


def test_it_shows_the_matrix_with_a_tick_per_eligible_cell(vendor, catalogue):
    matrix = eligibility_matrix(vendor)

    assert [t.code for t in matrix.territories] == ["APAC", "EMEA", "LATAM", "NAM"]
    ticks = {row.product.name: [t.code for t, ok in row.cells if ok] for row in matrix.rows}
    assert ticks == {"Desktop": ["EMEA", "NAM"], "RAS": []}
