"""Program eligibility rules: small named objects returning a verdict its reader understands.

The checklist the partner sees live, and the channel manager sees on review, is their output unchanged.
Each rule has a `name` (the checklist's title) and `check(deal, viewer) -> Verdict`; the viewer
(`audience.Viewer`) changes only the wording ("Your organisation" or the organisation's name, the
advice about a conflict), never the verdict. Rules read the deal as it
is — saved, or an unsaved candidate built from the form with its lines in `deal.pending_lines` — and
never change it. A rule whose input is still missing says "not checked yet" as a warning and leaves
the failure to "Complete information", so one gap shows up once.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scope

from partners.models import DistributorAgreement, PartnerOrganization
from products.selectors import territory_for_country

from ..clock import fiscal_quarter_end
from ..domains import normalize_domain
from ..models import DealLine
from ..models.deal import QUALIFICATION_FIELDS, checklist_label
from . import co_sell, conflicts
from .audience import Viewer, organisation_as, organisations, viewer_of


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Verdict:
    rule: str  # short title, e.g. "Minimum threshold"
    status: Status
    reason: str  # a sentence for the viewer it was worded for


@dataclass
class Checklist:
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def failures(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == Status.FAIL]

    @property
    def warnings(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == Status.WARN]

    @property
    def blocks_submission(self) -> bool:
        return bool(self.failures)


# The BANT fields (budget, authority, need, timeline): judged by BantRule.
BANT_FIELDS = {name: checklist_label(name) for name in QUALIFICATION_FIELDS}

# Every Deal field a submission needs, with its label. The deal form marks each one missing; the
# product lines and the distributor (two-tier programs) are required too, checked separately.
SUBMISSION_REQUIRED_FIELDS = {
    name: checklist_label(name)
    for name in (
        "company_name",
        "domain",
        "address_line1",
        "city",
        "country",
        "partner_contact_name",
        "partner_contact_email",
        "contact_first_name",
        "contact_last_name",
        "contact_title",
        "contact_email",
        "contact_phone",
        "contact_role",
        "projected_value",
        "expected_close_date",
        *QUALIFICATION_FIELDS,
    )
}


def _is_blank(value) -> bool:
    value = getattr(value, "code", value)  # a CountryField gives a Country even when empty
    return value is None or (isinstance(value, str) and not value.strip())


def lines_of(deal) -> list:
    """The deal's product lines: those being edited in the form, else the saved ones."""
    pending = getattr(deal, "pending_lines", None)
    if pending is not None:
        return [line for line in pending if line.product_id]
    if deal.pk is None:
        return []
    with scope(vendor=deal.vendor_id):
        if "lines" in getattr(deal, "_prefetched_objects_cache", {}):
            return list(deal.lines.all())  # evaluate() loaded them once for every rule
        return list(deal.lines.select_related("product"))


def today() -> datetime.date:
    return timezone.localdate()


def _money(amount, currency: str) -> str:
    return f"{currency} {Decimal(amount):,.2f}"


def _names(products) -> str:
    return ", ".join(p.name for p in products)


def _pass(rule, reason: str) -> Verdict:
    return Verdict(rule.name, Status.PASS, reason)


def _warn(rule, reason: str) -> Verdict:
    return Verdict(rule.name, Status.WARN, reason)


def _fail(rule, reason: str) -> Verdict:
    return Verdict(rule.name, Status.FAIL, reason)


def _uses_distribution(deal) -> bool:
    """A two-tier program's reseller buys through a distributor chosen on the deal."""
    organization = deal.organization
    return deal.vendor.program.two_tier and organization.kind == PartnerOrganization.Kind.RESELLER


class CompleteInformationRule:
    """Seed 000: "enough information about the deal at the time of submitting" — every required field."""

    name = "Complete information"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        non_bant = {f: label for f, label in SUBMISSION_REQUIRED_FIELDS.items() if f not in BANT_FIELDS}
        missing = [label for f, label in non_bant.items() if _is_blank(getattr(deal, f, None))]
        if deal.domain and not _is_verified_domain(deal.domain):
            missing.append("a valid primary domain")
        if not lines_of(deal):
            missing.append("at least one product with its quantity")
        if _uses_distribution(deal) and not deal.distributor_id:
            missing.append("the distributor the customer buys through")
        if missing:
            return _fail(self, f"Still missing: {', '.join(missing)}.")
        return _pass(self, "Everything the program asks for is filled in.")


def _is_verified_domain(domain: str) -> bool:
    try:
        return normalize_domain(domain) == domain
    except ValidationError:
        return False


class PartnerActiveRule:
    """Only active partners register; in a two-tier program, through an active authorised distributor."""

    name = "Active partner"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        organization = deal.organization
        subject = organisation_as(viewer, organization)
        if not organization.is_active:
            status = organization.get_status_display().lower()
            return _fail(
                self,
                f"{organisations(viewer, organization)} membership in the program is {status}; "
                "only active partners can register deals.",
            )
        if not _uses_distribution(deal):
            return _pass(self, f"{subject} is an active partner.")
        with scope(vendor=deal.vendor_id):
            agreements = DistributorAgreement.objects.filter(
                reseller=organization, is_active=True, distributor__status=PartnerOrganization.Status.ACTIVE
            )
            if not deal.distributor_id:
                if agreements.exists():
                    return _warn(self, "Not checked yet: choose the distributor the customer buys through.")
                return _fail(
                    self,
                    f"{subject} has no active agreement with an authorised distributor, "
                    "which this program requires.",
                )
            distributor = deal.distributor
            if not distributor.is_distributor or not distributor.is_active:
                return _fail(
                    self, f"{distributor.name} is not an active authorised distributor of this program."
                )
            if not agreements.filter(distributor=distributor).exists():
                own = "choose one of your" if viewer == Viewer.REGISTRANT else "the deal must name one of its"
                return _fail(
                    self,
                    f"{subject} has no active distribution agreement with {distributor.name}; "
                    f"{own} authorised distributors.",
                )
        return _pass(self, f"{subject} is active and authorised to buy through {distributor.name}.")


class ActiveProductsRule:
    name = "Products on sale"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        lines = lines_of(deal)
        if not lines:
            return _warn(self, "Not checked yet: add the products the customer is interested in.")
        retired = [line.product for line in lines if not line.product.is_active]
        if retired:
            return _fail(self, f"No longer sold, remove from the registration: {_names(retired)}.")
        return _pass(self, "Every product is currently sold.")


class TerritoryEligibilityRule:
    """Seed 000's matrix: each product must be eligible in the territory of the customer's country."""

    name = "Territory eligibility"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        lines = lines_of(deal)
        if not deal.country:
            return _warn(self, "Not checked yet: choose the customer's country.")
        if not lines:
            return _warn(self, "Not checked yet: add the products the customer is interested in.")
        country_name = deal.country.name
        territory = territory_for_country(deal.vendor, deal.country)
        if territory is None:
            return _fail(self, f"This program does not register deals for customers in {country_name}.")
        with scope(vendor=deal.vendor_id):
            eligible_ids = set(territory.eligible_products.values_list("pk", flat=True))
        excluded = [line.product for line in lines if line.product_id not in eligible_ids]
        if excluded:
            return _fail(
                self,
                f"Not eligible for deal registration in {territory.name} ({country_name}): "
                f"{_names(excluded)}.",
            )
        return _pass(self, f"Every product is eligible in {territory.name} ({country_name}).")


class ThresholdRule:
    """Seed 000/001: minimum thresholds per product (e.g. 1000 endpoints), by quantity and list value."""

    name = "Minimum threshold"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        lines = lines_of(deal)
        if not lines:
            return _warn(self, "Not checked yet: add the products the customer is interested in.")
        shortfalls = []
        for line in lines:
            product = line.product
            unit = product.get_unit_display().lower()
            if product.min_quantity and line.quantity < product.min_quantity:
                shortfalls.append(
                    f"{product.name} needs at least {product.min_quantity:,} {unit} "
                    f"(registered: {line.quantity:,})"
                )
            value, currency = product.list_price * line.quantity, product.currency
            if product.min_value is not None and value < product.min_value:
                shortfalls.append(
                    f"{product.name} needs a list value of at least {_money(product.min_value, currency)} "
                    f"(registered: {_money(value, currency)})"
                )
        if shortfalls:
            return _fail(self, "Below the program's minimum: " + "; ".join(shortfalls) + ".")
        return _pass(self, "Every product meets its minimum quantity and value.")


class NetNewRule:
    """Seed 000: only net-new business; renewals never, add-ons by exception."""

    name = "Net-new business"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        deal_type = deal.deal_type
        if deal_type == deal.DealType.RENEWAL:
            return _fail(self, "Renewals are not eligible for deal registration; only net-new business is.")
        if deal_type == deal.DealType.ADD_ON:
            if deal.vendor.program.addons_allowed:
                return _warn(
                    self, "Add-on business is registered only by exception: the channel manager decides."
                )
            return _fail(
                self, "This program does not accept add-on business; only net-new business is eligible."
            )
        return _pass(self, "Net-new business is eligible.")


class ExcludedSegmentRule:
    """Seed 001: MSP opportunities cannot be registered (when the program excludes them)."""

    name = "Excluded segments"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        if deal.segment == deal.Segment.MSP and deal.vendor.program.msp_excluded:
            return _fail(
                self, "MSP (managed service provider) opportunities cannot be registered in this program."
            )
        return _pass(self, f"{deal.get_segment_display()} opportunities are eligible.")


class BantRule:
    """Seed 000/001: proof of pre-sales effort — budget, authority (decision maker), need, timeline."""

    name = "BANT qualification"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        missing = [label for f, label in BANT_FIELDS.items() if _is_blank(getattr(deal, f, None))]
        if missing:
            return _fail(self, f"Complete the qualification (BANT): {', '.join(missing)}.")
        if deal.budget_status == deal.BudgetStatus.NONE:
            return _warn(
                self, "The customer has no budget yet; the channel manager may ask for more information."
            )
        return _pass(self, "Budget, decision maker, need and timeline are documented.")


class CloseDateRule:
    """The deal must be expected to close: not in the past; ideally inside protection and this quarter."""

    name = "Close date"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        close = deal.expected_close_date
        if close is None:
            return _warn(self, "Not checked yet: enter the expected close date.")
        current = today()
        if close < current:
            return _fail(self, f"The expected close date ({_day(close)}) is in the past.")
        program = deal.vendor.program
        notes = []
        protection_ends = current + datetime.timedelta(days=program.validity_days)
        if close > protection_ends:
            notes.append(
                f"it is after the {program.validity_days}-day protection an approval gives "
                f"(until about {_day(protection_ends)}), so an extension will be needed"
            )
        quarter_end = fiscal_quarter_end(current, program.fiscal_year_start_month)
        if close > quarter_end:
            notes.append(
                "the program expects deals to close within the current fiscal quarter "
                f"(ends {_day(quarter_end)})"
            )
        if notes:
            return _warn(self, f"Close date {_day(close)}: " + "; ".join(notes) + ".")
        return _pass(
            self, f"Close date {_day(close)} is within the protection period and the fiscal quarter."
        )


def _day(value: datetime.date) -> str:
    return date_format(value, "j M Y")


class ConflictRule:
    """Seed 000: not registered to another partner and not worked by the vendor's sales team.

    A warning, not a failure: the channel manager decides; the partner is never told who holds it.
    """

    name = "Conflicting registrations"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        if not (deal.domain or deal.company_name):
            return _warn(self, "Not checked yet: enter the company name and domain.")
        product_ids = [line.product_id for line in lines_of(deal)]
        notice = conflicts.partner_conflict_notice(deal, product_ids=product_ids, viewer=viewer)
        if notice.has_conflict:
            return _warn(self, notice.message)
        return _pass(self, "No other registration for this prospect and these products was found.")


class AttributionRule:
    """Seed 003: in a multi-partner program every co-sell partner has a share, the shares add up to 100%
    and the registering organisation takes part as the lead partner. Exclusive programs: not applicable.
    """

    name = "Co-sell attribution"

    def check(self, deal, viewer: Viewer = Viewer.REGISTRANT) -> Verdict:
        if not co_sell.is_co_sell_program(deal.vendor.program):
            return _pass(self, "This program registers one partner per deal.")
        rows = co_sell.participants_of(deal)
        lead = deal.organization
        if not any(p.organization_id == lead.pk and p.is_lead for p in rows):
            return _fail(
                self,
                f"{lead.name}, which registers this deal, must take part as the lead partner; "
                "add it under Co-sell partners.",
            )
        total_problem = co_sell.total_problem(co_sell.total_of(p.share for p in rows))
        if total_problem:
            return _fail(self, total_problem)
        inactive = [
            p.organization.name for p in rows if p.organization_id != lead.pk and not p.organization.is_active
        ]
        if inactive:
            return _fail(self, f"No longer active partners of the program: {', '.join(inactive)}.")
        if len(rows) == 1:
            return _pass(self, f"{lead.name} registers alone as the lead partner (100%).")
        return _pass(self, f"{len(rows)} partners share the attribution: {co_sell.describe(rows)}.")


# Information first, then who registers, what, where and how much, then qualification and conflicts.
RULES: list = [
    CompleteInformationRule(),
    PartnerActiveRule(),
    AttributionRule(),
    ActiveProductsRule(),
    TerritoryEligibilityRule(),
    ThresholdRule(),
    NetNewRule(),
    ExcludedSegmentRule(),
    BantRule(),
    CloseDateRule(),
    ConflictRule(),
]


def evaluate(deal, *, viewer: Viewer = Viewer.REGISTRANT) -> Checklist:
    """Run every rule of the program on the deal (saved, or an unsaved candidate from the form), worded
    for `viewer` (see `audience.viewer_of`): the verdicts are the same for everyone, only the sentences
    differ."""
    with scope(vendor=deal.vendor_id):
        if deal.pk is not None and getattr(deal, "pending_lines", None) is None:
            prefetch_related_objects(
                [deal], Prefetch("lines", queryset=DealLine.objects.select_related("product"))
            )
        return Checklist([rule.check(deal, viewer) for rule in RULES])


def evaluate_for(actor, deal) -> Checklist:
    """The checklist as this actor reads it."""
    return evaluate(deal, viewer=viewer_of(actor, deal))
