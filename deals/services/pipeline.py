"""The vendor's own pipeline: accounts and opportunities its sales team already works, imported by CSV.

Conflict detection matches registrations against these rows. An import is all or nothing: every row
is validated first and each bad row is reported with its line number; if any row is bad, nothing is
written. Rows are identified by their CRM id (`external_id`), so importing the same export again
updates the rows instead of duplicating them. Used by `manage.py import_pipeline` and reusable by an
upload page.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from partners.models import Vendor
from products.models import Product

from ..domains import normalize_domain
from ..models import PipelineEntry

COLUMNS = ("company_name", "domain", "product_sku", "owner", "stage", "external_id")
REQUIRED_COLUMNS = ("company_name", "external_id")
MAX_LENGTHS = {
    "company_name": PipelineEntry._meta.get_field("company_name").max_length,
    "owner": PipelineEntry._meta.get_field("owner").max_length,
    "stage": PipelineEntry._meta.get_field("stage").max_length,
    "external_id": PipelineEntry._meta.get_field("external_id").max_length,
}
LABELS = {
    "company_name": "company_name (the account's name)",
    "external_id": "external_id (the CRM id that identifies the row on the next import)",
}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class _Row:
    line: int
    company_name: str
    domain: str
    product: Product | None
    owner: str
    stage: str
    external_id: str


def import_pipeline_file(*, vendor, data: bytes, deactivate_missing: bool = False) -> ImportResult:
    """Import an uploaded CSV file (UTF-8, with or without a byte-order mark)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ImportResult(errors=[RowError(1, "The file is not UTF-8 text; export the CSV as UTF-8.")])
    return import_pipeline(vendor=vendor, text=text, deactivate_missing=deactivate_missing)


def import_pipeline(*, vendor, text: str, deactivate_missing: bool = False) -> ImportResult:
    """Validate every row of the CSV `text`, then create or update the vendor's pipeline — or nothing.

    With `deactivate_missing`, the vendor's active entries absent from the file are deactivated (the
    file is the whole pipeline); otherwise they are left as they are.
    """
    with scope(vendor=vendor):
        rows, errors = _parse(vendor, text)
        if errors:
            return ImportResult(errors=errors)
        return _write(vendor, rows, deactivate_missing=deactivate_missing)


def _parse(vendor, text: str) -> tuple[list[_Row], list[RowError]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return [], [RowError(1, f"missing column(s): {', '.join(missing)}. Expected: {', '.join(COLUMNS)}.")]
    reader.fieldnames = header
    products = {p.sku.lower(): p for p in Product.objects.filter(vendor=vendor)}
    rows, errors, first_line_of = [], [], {}
    try:
        for raw in reader:
            line = reader.line_num
            values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
            if not any(values.values()):
                continue  # blank line
            problems = _problems(values, products, first_line_of)
            if problems:
                errors.append(RowError(line, "; ".join(p.rstrip(".") for p in problems) + "."))
                continue
            first_line_of[values["external_id"]] = line
            rows.append(
                _Row(
                    line=line,
                    company_name=values["company_name"],
                    domain=normalize_domain(values["domain"]) if values["domain"] else "",
                    product=products.get(values["product_sku"].lower()) if values["product_sku"] else None,
                    owner=values["owner"],
                    stage=values["stage"],
                    external_id=values["external_id"],
                )
            )
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, f"the CSV is malformed ({exc})."))
    if not rows and not errors:
        errors.append(RowError(1, "the file has no rows to import."))
    return rows, errors


def _problems(values: dict, products: dict, first_line_of: dict) -> list[str]:
    problems = []
    for name in REQUIRED_COLUMNS:
        if not values[name]:
            problems.append(f"{LABELS[name]} is missing")
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    if values["domain"]:
        try:
            normalize_domain(values["domain"])
        except ValidationError as exc:
            problems.append(f"bad domain: {' '.join(exc.messages)}")
    if values["product_sku"] and values["product_sku"].lower() not in products:
        problems.append(f"unknown product SKU “{values['product_sku']}”")
    if values["external_id"] in first_line_of:
        problems.append(
            f"external_id “{values['external_id']}” repeats line {first_line_of[values['external_id']]}"
        )
    return problems


@transaction.atomic
def _write(vendor, rows: list[_Row], *, deactivate_missing: bool) -> ImportResult:
    # One import per vendor at a time: the vendor row lock serialises concurrent uploads.
    Vendor.objects.select_for_update().filter(pk=vendor.pk).first()
    now = timezone.now()
    existing = {
        entry.external_id: entry
        for entry in PipelineEntry.objects.filter(
            vendor=vendor, external_id__in=[r.external_id for r in rows]
        )
    }
    to_create, to_update = [], []
    for row in rows:
        entry = existing.get(row.external_id) or PipelineEntry(vendor=vendor, external_id=row.external_id)
        entry.company_name, entry.domain, entry.product = row.company_name, row.domain, row.product
        entry.owner, entry.stage = row.owner, row.stage
        entry.is_active, entry.imported_at = True, now
        (to_update if entry.pk else to_create).append(entry)
    PipelineEntry.objects.bulk_create(to_create)
    PipelineEntry.objects.bulk_update(
        to_update, ["company_name", "domain", "product", "owner", "stage", "is_active", "imported_at"]
    )
    deactivated = 0
    if deactivate_missing:
        deactivated = (
            PipelineEntry.objects.filter(vendor=vendor, is_active=True)
            .exclude(external_id__in=[r.external_id for r in rows])
            .update(is_active=False)
        )
    return ImportResult(created=len(to_create), updated=len(to_update), deactivated=deactivated)
