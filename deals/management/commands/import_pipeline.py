"""manage.py import_pipeline <vendor-slug> <file.csv>: load the vendor's sales pipeline (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deals.services.pipeline import COLUMNS, import_pipeline_file
from partners.models import Vendor


class Command(BaseCommand):
    help = (
        "Import the accounts and opportunities a vendor's sales team already works, from a CSV with the "
        f"columns {', '.join(COLUMNS)}. Every bad row is reported; if any row is bad nothing is imported. "
        "Rows are matched on external_id, so importing the same export again updates them."
    )

    def add_arguments(self, parser):
        parser.add_argument("vendor_slug")
        parser.add_argument("csv_path", type=Path)
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="The file is the whole pipeline: deactivate the vendor's entries that are not in it.",
        )

    def handle(self, vendor_slug, csv_path, deactivate_missing, **options):
        vendor = Vendor.objects.filter(slug=vendor_slug).first()
        if vendor is None:
            raise CommandError(f"No vendor with the slug “{vendor_slug}”.")
        try:
            data = csv_path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {csv_path}: {exc.strerror or exc}.") from exc

        result = import_pipeline_file(vendor=vendor, data=data, deactivate_missing=deactivate_missing)

        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"{csv_path.name}, {error}")
            rows = "row has" if len(result.errors) == 1 else "rows have"
            raise CommandError(f"Nothing was imported: {len(result.errors)} {rows} errors (listed above).")
        summary = (
            f"Imported {result.imported} pipeline entries for {vendor.name}: "
            f"{result.created} new, {result.updated} updated"
        )
        if deactivate_missing:
            summary += f", {result.deactivated} no longer in the file deactivated"
        self.stdout.write(self.style.SUCCESS(summary + "."))
