"""Default territories: every inhabited country lands in exactly one of NAM, LATAM, EMEA, APAC."""

from collections import Counter

from django_countries import countries

from products.territories import DEFAULT_TERRITORIES

UNINHABITED = {"AQ", "BV", "GS", "HM", "TF"}


def _all_codes():
    return [code for _name, codes in DEFAULT_TERRITORIES.values() for code in codes]


def test_it_puts_each_country_in_one_territory_only():
    duplicates = [code for code, n in Counter(_all_codes()).items() if n > 1]
    assert duplicates == []


def test_it_covers_every_inhabited_country():
    known = {c.code for c in countries}
    assert known - set(_all_codes()) == UNINHABITED
    assert set(_all_codes()) <= known


def test_it_places_well_known_countries_where_sales_teams_expect_them():
    where = {code: t for t, (_n, codes) in DEFAULT_TERRITORIES.items() for code in codes}
    assert [where[c] for c in ("US", "CA", "MX", "BR", "GB", "DE", "ZA", "AE", "JP", "AU", "IN")] == [
        "NAM", "NAM", "LATAM", "LATAM", "EMEA", "EMEA", "EMEA", "EMEA", "APAC", "APAC", "APAC",
    ]  # fmt: skip
