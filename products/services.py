"""Changes to a vendor's catalogue: default territories, territory countries, the eligibility matrix."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django_scopes import scope

from .models import Product, Territory
from .selectors import territory_country_codes
from .territories import DEFAULT_TERRITORIES


@transaction.atomic
def create_default_territories(*, vendor) -> list[Territory]:
    """NAM, LATAM, EMEA and APAC with their countries. Idempotent: existing codes are left as they are."""
    territories = []
    with scope(vendor=vendor):
        for code, (name, countries) in DEFAULT_TERRITORIES.items():
            territory, _created = Territory.objects.get_or_create(
                vendor=vendor, code=code, defaults={"name": name, "countries": list(countries)}
            )
            territories.append(territory)
    return territories


def country_clashes(*, vendor_id, codes, territory_pk=None) -> list[str]:
    """The codes among `codes` that another territory of the vendor already holds, as "DE (in DACH)"."""
    with scope(vendor=vendor_id):
        others = Territory.objects.filter(vendor_id=vendor_id).exclude(pk=territory_pk)
        taken = {code: other.code for other in others for code in territory_country_codes(other)}
    return [f"{code} (in {taken[code]})" for code in sorted(codes) if code in taken]


def clash_message(clashes: list[str]) -> str:
    return (
        "A country can belong to only one territory. Remove it from the other territory first: "
        + ", ".join(clashes)
        + "."
    )


@transaction.atomic
def territory_set_countries(*, territory: Territory, countries) -> Territory:
    """Give a territory its countries; a country may belong to only one territory of the vendor,
    otherwise a deal's territory (and so its eligible products) would be ambiguous."""
    codes = sorted({getattr(c, "code", c) for c in countries if c})
    clashes = country_clashes(vendor_id=territory.vendor_id, codes=codes, territory_pk=territory.pk)
    if clashes:
        raise ValidationError(clash_message(clashes))
    territory.countries = codes
    territory.save(update_fields=["countries"])
    return territory


@transaction.atomic
def set_eligibility_matrix(*, vendor, eligible: dict[int, set[int]]) -> None:
    """Replace the whole products × territories matrix: `eligible` maps product id → territory ids.

    Products missing from `eligible` become eligible nowhere. Ids of another vendor are refused and
    nothing is changed.
    """
    with scope(vendor=vendor):
        product_ids = set(Product.objects.filter(vendor=vendor).values_list("pk", flat=True))
        territory_ids = set(Territory.objects.filter(vendor=vendor).values_list("pk", flat=True))
    unknown_products = set(eligible) - product_ids
    unknown_territories = set().union(*eligible.values()) - territory_ids if eligible else set()
    if unknown_products or unknown_territories:
        raise ValidationError("The matrix refers to products or territories that are not in this program.")
    through = Product.eligible_territories.through
    through.objects.filter(product_id__in=product_ids).delete()
    through.objects.bulk_create(
        [
            through(product_id=product_id, territory_id=territory_id)
            for product_id, territory_ids in eligible.items()
            for territory_id in territory_ids
        ]
    )


# --- catalogue and program settings pages (vendor admin) -----------------------------------------


@transaction.atomic
def product_save(*, vendor, data: dict, territories=None, product: Product | None = None) -> Product:
    """Create a product of `vendor`, or change one; `territories` (when given) is where it is eligible.

    A SKU is unique per vendor: a duplicate is refused with a message and nothing is saved.
    """
    with scope(vendor=vendor):
        sku = (data.get("sku") or "").strip()
        duplicate = Product.objects.filter(vendor=vendor, sku__iexact=sku)
        if product is not None:
            duplicate = duplicate.exclude(pk=product.pk)
        if duplicate.exists():
            raise ValidationError({"sku": f"Another product already uses the SKU {sku}."})
        if territories is not None and any(t.vendor_id != vendor.pk for t in territories):
            raise ValidationError("A territory of another program was chosen.")
        product = product or Product(vendor=vendor)
        for name, value in data.items():
            setattr(product, name, value)
        product.sku = sku
        product.full_clean(exclude=["vendor", "eligible_territories"], validate_unique=False)
        product.save()
        if territories is not None:
            product.eligible_territories.set(territories)
    return product


@transaction.atomic
def territory_create(*, vendor, code: str, name: str) -> Territory:
    code = code.strip().upper()
    with scope(vendor=vendor):
        if Territory.objects.filter(vendor=vendor, code__iexact=code).exists():
            raise ValidationError({"code": f"The territory {code} exists already."})
        return Territory.objects.create(vendor=vendor, code=code, name=name.strip(), countries=[])


@transaction.atomic
def program_update(*, program, data: dict):
    """Change the rules of a vendor's program (validity, SLA, thresholds, margins, ...)."""
    for name, value in data.items():
        setattr(program, name, value)
    program.full_clean(exclude=["vendor"])
    program.save()
    return program
