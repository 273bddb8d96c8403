"""``manage.py seed_demo``: the demo installation of demo/data.py, created or brought up to date.

Idempotent: every record is looked up by its natural key and updated in place, so running the command
twice leaves the same rows (demo passwords are reset to the known one on every run).
"""

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from demo.data import DEMO_VENDORS, PEOPLE, VendorSpec
from demo.deals import seed_deals
from demo.logins import login_table, seed_members, seed_people, seed_staff_totp
from demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET
from partners.models import DistributorAgreement, PartnerOrganization, PartnerTier, Program, Vendor
from products.models import Product, Territory


def _points(value: Decimal) -> str:
    return format(value.normalize(), "f")


def seed_vendor(spec: VendorSpec) -> Vendor:
    vendor, _ = Vendor.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "website": spec.website,
            "default_currency": spec.currency,
            "is_active": True,
        },
    )
    return vendor


def seed_program(vendor: Vendor, spec: VendorSpec) -> str:
    program, _ = Program.objects.update_or_create(vendor=vendor, defaults=spec.program)
    rules = [
        f"{program.validity_days}-day validity",
        "two-tier" if program.two_tier else "single-tier",
        "multi-partner (co-sell)" if program.is_multi_partner else "exclusive",
        f"stale after {program.stale_after_days} days",
        f"reward margin {_points(program.reward_margin_points)} points",
    ]
    if program.expire_with_quote:
        rules.append("expires with the distributor's quote")
    if program.msp_excluded:
        rules.append("MSP excluded")
    if program.renewal_auto_approved:
        rules.append("renewals auto-approved")
    return "program: " + ", ".join(rules)


def seed_tiers(vendor: Vendor, spec: VendorSpec) -> str:
    for tier in spec.tiers:
        PartnerTier.objects.update_or_create(
            vendor=vendor,
            name=tier.name,
            defaults={"rank": tier.rank, "discount_points": tier.discount_points},
        )
    return "tiers: " + ", ".join(f"{t.name} {_points(t.discount_points)} points" for t in spec.tiers)


def seed_territories(vendor: Vendor, spec: VendorSpec) -> str:
    for territory in spec.territories:
        Territory.objects.update_or_create(
            vendor=vendor,
            code=territory.code,
            defaults={"name": territory.name, "countries": list(territory.countries)},
        )
    return "territories: " + ", ".join(t.code for t in spec.territories)


def seed_products(vendor: Vendor, spec: VendorSpec) -> str:
    territories = {t.code: t for t in Territory.objects.filter(vendor=vendor)}
    for item in spec.products:
        product, _ = Product.objects.update_or_create(
            vendor=vendor,
            sku=item.sku,
            defaults={
                "name": item.name,
                "family": item.family,
                "unit": item.unit,
                "list_price": item.list_price,
                "currency": spec.currency,
                "min_quantity": item.min_quantity,
                "min_value": item.min_value,
                "is_active": True,
            },
        )
        product.eligible_territories.set([territories[code] for code in item.territories])
    restricted = [p.name for p in spec.products if len(p.territories) < len(spec.territories)]
    note = f" ({', '.join(restricted)} restricted by territory)" if restricted else ""
    return f"{len(spec.products)} products{note}"


def seed_organizations(vendor: Vendor, spec: VendorSpec) -> str:
    tiers = {t.name: t for t in PartnerTier.objects.filter(vendor=vendor)}
    organizations = {}
    for item in spec.organizations:
        decided = item.status != PartnerOrganization.Status.APPLIED
        details = {
            "kind": item.kind,
            "status": item.status,
            "tier": tiers[item.tier] if item.tier else None,
            "country": item.country,
            "website": item.website,
            "contact_email": f"partners@{item.website.removeprefix('https://')}",
            "application_note": item.application_note,
        }
        organizations[item.name], _ = PartnerOrganization.objects.update_or_create(
            vendor=vendor,
            name=item.name,
            defaults=details,
            # The decision date is history: set when the row is created, not moved by every re-run.
            create_defaults={**details, "decided_at": timezone.now() if decided else None},
        )
    agreements = 0
    for item in spec.organizations:
        for distributor_name in item.distributors:
            DistributorAgreement.objects.update_or_create(
                reseller=organizations[item.name],
                distributor=organizations[distributor_name],
                defaults={"vendor": vendor, "is_active": True},
            )
            agreements += 1
    resellers = sum(item.kind == PartnerOrganization.Kind.RESELLER for item in spec.organizations)
    distributors = len(spec.organizations) - resellers
    summary = f"{resellers} resellers"
    if distributors:
        summary += f", {distributors} distributor(s), {agreements} distributor agreements"
    return summary


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo vendors, partners and one login per role."

    def handle(self, *args, **options):
        # One transaction: a failed seed leaves no half-built demo behind.
        # scopes_disabled: seeding builds several tenants in one go, which is exactly the cross-tenant
        # access django-scopes forbids everywhere else.
        # The demo's history sends ~150 emails (submissions, approvals, quotes...): they go through the
        # outbox like any other, but into memory instead of flooding the console of `make run`.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
            scopes_disabled(),
        ):
            users = seed_people(PEOPLE, DEMO_PASSWORD)
            self.step(f"{len(users)} demo logins (password {DEMO_PASSWORD!r})")
            for spec in DEMO_VENDORS:
                vendor = seed_vendor(spec)
                self.step(f"{vendor.name} (/v/{vendor.slug}/) — {spec.modelled_on}")
                self.step(seed_program(vendor, spec), indent=True)
                self.step(seed_tiers(vendor, spec), indent=True)
                self.step(seed_territories(vendor, spec), indent=True)
                self.step(seed_products(vendor, spec), indent=True)
                self.step(seed_organizations(vendor, spec), indent=True)
                self.step(seed_members(vendor, spec, users), indent=True)
                # Deals go through deals.services, so the demo obeys the same rules as the product.
                self.step(seed_deals(vendor), indent=True)
            self.step(seed_staff_totp(users, DEMO_TOTP_SECRET))
            self.print_logins()

    def step(self, text: str, *, indent: bool = False):
        self.stdout.write(("    " if indent else "") + self.style.SUCCESS("✓ ") + text)

    def print_logins(self):
        lines = login_table(PEOPLE)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins (every password: {DEMO_PASSWORD})"))
        for line in lines:
            self.stdout.write(line)
