"""Reads of a vendor's catalogue: territories, products and where each product may be registered.

Each function runs inside the vendor's scope, so commands and jobs can call it as views do.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django_scopes import scope

from partners.models import Program

from .models import Product, Territory


def territories_of(vendor) -> list[Territory]:
    with scope(vendor=vendor):
        return list(Territory.objects.filter(vendor=vendor).order_by("code"))


def territory_for_country(vendor, country) -> Territory | None:
    """The vendor's territory containing `country` (an ISO code or a Country), or None.

    Territories are few per vendor, so their country lists are compared in Python; this keeps
    one code path on PostgreSQL and SQLite.
    """
    code = getattr(country, "code", country) or ""
    if not code:
        return None
    for territory in territories_of(vendor):
        if code in territory_country_codes(territory):
            return territory
    return None


def territory_country_codes(territory: Territory) -> set[str]:
    return {c.code for c in territory.countries}


def products_of(vendor, *, active_only: bool = False):
    with scope(vendor=vendor):
        products = Product.objects.filter(vendor=vendor)
        if active_only:
            products = products.filter(is_active=True)
        return products.prefetch_related("eligible_territories")


def eligible_products(territory: Territory, *, active_only: bool = True):
    """Products a partner may register in `territory`."""
    with scope(vendor=territory.vendor_id):
        products = Product.objects.filter(vendor_id=territory.vendor_id, eligible_territories=territory)
        if active_only:
            products = products.filter(is_active=True)
        return products.order_by("family", "name")


@dataclass(frozen=True)
class MatrixRow:
    product: Product
    cells: list[tuple[Territory, bool]]  # in the order of EligibilityMatrix.territories


@dataclass(frozen=True)
class EligibilityMatrix:
    territories: list[Territory]
    rows: list[MatrixRow]


def eligibility_matrix(vendor) -> EligibilityMatrix:
    """Products × territories with a tick where the product is eligible (the vendor admin edits it whole)."""
    territories = territories_of(vendor)
    with scope(vendor=vendor):
        through = Product.eligible_territories.through
        ticked = set(through.objects.filter(product__vendor=vendor).values_list("product_id", "territory_id"))
        products = list(Product.objects.filter(vendor=vendor).order_by("family", "name"))
    rows = [
        MatrixRow(product, [(t, (product.pk, t.pk) in ticked) for t in territories]) for product in products
    ]
    return EligibilityMatrix(territories=territories, rows=rows)


@dataclass(frozen=True)
class BusinessCalendar:
    """The calendar the review SLA counts with, as the program settings page shows it."""

    description: str
    upcoming: list[tuple[date, str]]  # the coming days off and their names


def business_calendar(program: Program, *, today: date, within_days: int = 365) -> BusinessCalendar:
    days_off = program.days_off()
    closures = len(program.closure_days)
    own = f"{closures} closure day{'s' if closures > 1 else ''} of your own"
    if program.holiday_country:
        region = f" ({program.holiday_subdivision})" if program.holiday_subdivision else ""
        description = f"Public holidays of {program.holiday_country.name}{region}"
        description += f" and {own}" if closures else ""
    else:
        description = f"No public holidays; {own}" if closures else "Weekends only: no public holidays"
    upcoming = days_off[today : today + timedelta(days=within_days)]
    return BusinessCalendar(description, [(day, days_off[day]) for day in upcoming])
