"""Prospects, deal registrations and their state machine, protection rows and the audit trail."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField
from django_fsm import FSMField, transition
from django_scopes import ScopedManager

from partners.models import PartnerOrganization, Vendor
from partners.permissions import Perm
from products.models import Product


class Prospect(models.Model):
    """An end-customer company of one vendor, identified by its registrable domain."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="prospects")
    name = models.CharField("company name", max_length=200)
    domain = models.CharField("primary domain", max_length=253)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField("state / county", max_length=100, blank=True)
    postal_code = models.CharField("ZIP code / postcode", max_length=20, blank=True)
    country = CountryField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "domain"], name="prospect_unique_domain_per_vendor")
        ]

    def __str__(self):
        return f"{self.name} ({self.domain})"


class PipelineEntry(models.Model):
    """An account / opportunity the vendor's own sales team already works (imported by CSV)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="pipeline")
    company_name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, blank=True)
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True)
    owner = models.CharField("sales owner", max_length=120, blank=True)
    stage = models.CharField(max_length=60, blank=True)
    external_id = models.CharField("CRM id", max_length=60, blank=True)
    is_active = models.BooleanField(default=True)
    imported_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["company_name"]
        verbose_name = "pipeline entry"
        verbose_name_plural = "pipeline entries"

    def __str__(self):
        return self.company_name


class DealNumberSequence(models.Model):
    """Per-vendor counter behind human deal numbers (DR-000123)."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    objects = ScopedManager(vendor="vendor")

    def __str__(self):
        return f"{self.vendor}: DR-{self.last_number:06d}"


class DealState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    INFO_REQUESTED = "info_requested", "More information requested"
    APPROVED = "approved", "Approved"
    QUOTED = "quoted", "Quoted"
    EXTENDED = "extended", "Extended"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    REJECTED = "rejected", "Rejected"
    ORDERED = "ordered", "Order started"
    WON = "won", "Won"
    LOST = "lost", "Lost"
    WITHDRAWN = "withdrawn", "Withdrawn"


S = DealState
PROTECTED_STATES = (S.APPROVED, S.QUOTED, S.EXTENDED, S.ORDERED)
TERMINAL_STATES = (S.REJECTED, S.REVOKED, S.WON, S.LOST, S.WITHDRAWN)
OPEN_FOR_REVIEW = (S.SUBMITTED, S.INFO_REQUESTED)


class RejectionReason(models.TextChoices):
    INSUFFICIENT_INFORMATION = "insufficient_information", "Insufficient information"
    ALREADY_REGISTERED = "already_registered", "Already registered by a different partner"
    KNOWN_TO_VENDOR = "known_to_vendor", "Already known to / worked by our sales team"
    NO_IMMEDIATE_NEED = "no_immediate_need", "No immediate need or project"
    BELOW_THRESHOLD = "below_threshold", "Below the minimum threshold"
    EXCLUDED_SEGMENT = "excluded_segment", "Excluded segment (MSP opportunity)"
    RENEWAL = "renewal", "Renewals are not eligible"
    IMPROPER_CONDUCT = "improper_conduct", "Improper business conduct"
    OTHER = "other", "Other"


class RevocationReason(models.TextChoices):
    STALE = "stale", "No progress update within the program's limit"
    CRITERIA_NOT_MET = "criteria_not_met", "Program criteria no longer met"
    IMPROPER_CONDUCT = "improper_conduct", "Improper business conduct"
    OTHER = "other", "Other"


# Transition permission checks: the roles module decides; the actor carries user + membership.
def _partner_may(deal, actor):
    return actor is not None and actor.may_register_for(deal)


def _reviewer_may(deal, actor):
    # may_view: a channel manager of another vendor holds REVIEW_DEALS too, but not for this deal.
    return actor is not None and actor.has(Perm.REVIEW_DEALS) and actor.may_view(deal)


def _orderer_may(deal, actor):
    return actor is not None and actor.may_order(deal)


def _system_only(deal, actor):
    return actor is not None and actor.is_system


def _reviewer_or_system(deal, actor):
    return _reviewer_may(deal, actor) or _system_only(deal, actor)


class Deal(models.Model):
    """A deal registration. Its state changes only through the transitions below, called by services."""

    class DealType(models.TextChoices):
        NET_NEW = "net_new", "Net new"
        ADD_ON = "add_on", "Add-on"
        RENEWAL = "renewal", "Renewal"

    class Vertical(models.TextChoices):
        COMMERCIAL = "commercial", "Commercial"
        ACADEMIC = "academic", "Academic"
        GOVERNMENT = "government", "Government"
        NON_PROFIT = "non_profit", "Non-profit"

    class Segment(models.TextChoices):
        END_CUSTOMER = "end_customer", "End customer (own use)"
        MSP = "msp", "Managed service provider (MSP) opportunity"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class BudgetStatus(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending approval"
        NONE = "none", "No budget yet"

    class ContactRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", "Decision maker"
        ECONOMIC_BUYER = "economic_buyer", "Economic buyer"
        TECHNICAL_EVALUATOR = "technical_evaluator", "Technical evaluator"
        INFLUENCER = "influencer", "Influencer"
        PROJECT_LEAD = "project_lead", "Project lead"
        OTHER = "other", "Other"

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="deals")
    number = models.PositiveIntegerField(editable=False)
    state = FSMField(default=S.DRAFT, choices=DealState.choices, protected=True)

    # Who registers, and through whom it is bought.
    organization = models.ForeignKey(PartnerOrganization, on_delete=models.PROTECT, related_name="deals")
    distributor = models.ForeignKey(
        PartnerOrganization, on_delete=models.PROTECT, null=True, blank=True, related_name="routed_deals"
    )
    hidden_from_distributor = models.BooleanField("hide from the distributor until approval", default=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Company (prospect).
    prospect = models.ForeignKey(
        Prospect, on_delete=models.PROTECT, null=True, blank=True, related_name="deals"
    )
    company_name = models.CharField(max_length=200, blank=True)
    domain = models.CharField("primary domain", max_length=253, blank=True)
    address_line1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state_region = models.CharField("state / county", max_length=100, blank=True)
    postal_code = models.CharField("ZIP code / postcode", max_length=20, blank=True)
    country = CountryField(blank=True)

    # Partner contact.
    partner_contact_name = models.CharField(max_length=120, blank=True)
    partner_contact_email = models.EmailField(blank=True)
    partner_contact_phone = models.CharField(max_length=40, blank=True)
    partner_sales_lead_name = models.CharField("partner sales lead (optional)", max_length=120, blank=True)
    partner_sales_lead_email = models.EmailField("partner sales lead email (optional)", blank=True)

    # End user contact.
    contact_first_name = models.CharField("first name", max_length=80, blank=True)
    contact_last_name = models.CharField("last name", max_length=80, blank=True)
    contact_title = models.CharField("title / position", max_length=120, blank=True)
    contact_email = models.EmailField("email", blank=True)
    contact_phone = models.CharField("phone", max_length=40, blank=True)
    contact_role = models.CharField("role", max_length=24, choices=ContactRole.choices, blank=True)

    # Opportunity.
    projected_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, blank=True)
    expected_close_date = models.DateField(null=True, blank=True)
    deal_type = models.CharField(max_length=10, choices=DealType.choices, default=DealType.NET_NEW)
    vertical = models.CharField(max_length=12, choices=Vertical.choices, default=Vertical.COMMERCIAL)
    segment = models.CharField(max_length=14, choices=Segment.choices, default=Segment.END_CUSTOMER)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    budget_status = models.CharField("budget", max_length=10, choices=BudgetStatus.choices, blank=True)
    authority = models.CharField("decision maker / authority", max_length=200, blank=True)
    need = models.TextField("need: what problem does it solve?", blank=True)
    timeline = models.CharField("timeline", max_length=200, blank=True)
    current_tools = models.CharField("current deployment tools", max_length=200, blank=True)
    migrating_to = models.CharField("migrating to", max_length=120, blank=True)
    meeting_date = models.DateField("meeting / WebEx date", null=True, blank=True)
    next_actions = models.TextField(blank=True)
    evidence_notes = models.TextField("pre-sales evidence", blank=True)

    # Clocks and decisions (set by services, never by forms).
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_progress_at = models.DateTimeField(null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(default=0)
    rejection_reason = models.CharField(max_length=30, choices=RejectionReason.choices, blank=True)
    revocation_reason = models.CharField(max_length=30, choices=RevocationReason.choices, blank=True)
    decision_note = models.TextField(blank=True)
    lost_reason = models.CharField(max_length=200, blank=True)
    po_number = models.CharField("purchase order number", max_length=60, blank=True)
    renewal_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals"
    )

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "number"], name="deal_unique_number_per_vendor")
        ]
        indexes = [
            models.Index(fields=["vendor", "state"]),
            models.Index(fields=["vendor", "organization", "state"]),
            models.Index(fields=["state", "expires_at"]),
            # The deal lists: newest first within a vendor, without sorting all of its deals.
            models.Index(fields=["vendor", "-created_at", "-number"], name="deal_vendor_newest_first"),
        ]

    def __str__(self):
        return f"{self.deal_number} {self.company_name}".strip()

    @property
    def deal_number(self):
        return f"DR-{self.number:06d}"

    @property
    def is_protected(self):
        return self.state in PROTECTED_STATES

    @property
    def is_terminal(self):
        return self.state in TERMINAL_STATES

    # --- transitions: state only; every side effect lives in deals.services ---

    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED, permission=_partner_may)
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.INFO_REQUESTED, permission=_reviewer_may)
    def request_info(self):
        pass

    @transition(field=state, source=S.INFO_REQUESTED, target=S.SUBMITTED, permission=_partner_may)
    def resubmit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.APPROVED, permission=_reviewer_may)
    def approve(self):
        pass

    @transition(
        field=state, source=[S.SUBMITTED, S.INFO_REQUESTED], target=S.REJECTED, permission=_reviewer_may
    )
    def reject(self):
        pass

    @transition(field=state, source=S.APPROVED, target=S.QUOTED, permission=_system_only)
    def mark_quoted(self):
        pass

    @transition(
        field=state, source=[S.APPROVED, S.QUOTED, S.EXTENDED], target=S.EXPIRED, permission=_system_only
    )
    def expire(self):
        pass

    @transition(
        field=state,
        source=[S.APPROVED, S.QUOTED, S.EXTENDED, S.EXPIRED],
        target=S.EXTENDED,
        permission=_reviewer_may,
    )
    def grant_extension(self):
        pass

    @transition(
        field=state,
        source=[S.APPROVED, S.QUOTED, S.EXTENDED],
        target=S.REVOKED,
        permission=_reviewer_or_system,
    )
    def revoke(self):
        pass

    @transition(field=state, source=[S.QUOTED, S.EXTENDED], target=S.ORDERED, permission=_orderer_may)
    def start_order(self):
        pass

    @transition(field=state, source=S.ORDERED, target=S.WON, permission=_orderer_may)
    def submit_order(self):
        pass

    @transition(
        field=state,
        source=[S.APPROVED, S.QUOTED, S.EXTENDED, S.ORDERED],
        target=S.LOST,
        permission=_partner_may,
    )
    def lose(self):
        pass

    @transition(
        field=state,
        source=[S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED],
        target=S.WITHDRAWN,
        permission=_partner_may,
    )
    def withdraw(self):
        pass


class DealLine(models.Model):
    """A product the partner registers, with its quantity."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    objects = ScopedManager(vendor="deal__vendor")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "product"], name="dealline_one_line_per_product")
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product}"


def attachment_path(instance, filename):
    return f"deals/{instance.deal.vendor_id}/{instance.deal_id}/{filename}"


class DealAttachment(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="deal__vendor")

    def __str__(self):
        return self.original_name


class DealUpdate(models.Model):
    """A progress update posted by the partner; each one restarts the staleness clock."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="deal__vendor")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Update on {self.deal} at {self.created_at:%Y-%m-%d}"


class DealEvent(models.Model):
    """The audit trail: every transition (and other notable change) of a deal, who, when, why."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="deal__vendor")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.deal} {self.action}"

    @property
    def actor_name(self):
        return self.actor.display_name if self.actor else "System"


class Protection(models.Model):
    """One partner's protection of one product at one prospect.

    The partial unique constraint makes the database refuse a second active protection, even when two
    approvals race; rows are written in the approving transaction and ended when protection ends.
    """

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+")
    prospect = models.ForeignKey(Prospect, on_delete=models.PROTECT, related_name="protections")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="protections")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "prospect", "product"],
                condition=Q(ended_at__isnull=True),
                name="protection_one_active_per_prospect_product",
            )
        ]

    def __str__(self):
        return f"{self.deal} protects {self.product} at {self.prospect}"


# --- quotes (issue 4): priced offers of an approved registration; amounts are rounded per deals.money ---


class Quote(models.Model):
    """A priced offer for a protected registration: one line per product, tier discount + reward margin.

    Quotes are immutable once issued; a change (quantities, products) is a new quote with the next
    sequence number. The latest one is the current quote of the deal.
    """

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="quotes")
    sequence = models.PositiveSmallIntegerField(editable=False)
    currency = models.CharField(max_length=3)
    issued_at = models.DateTimeField(default=timezone.now)
    issue_date = models.DateField()
    valid_until = models.DateField("valid until (inclusive)")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the portal issued it on approval.",
    )
    # The terms as they were when the quote was issued (tiers and programs change later).
    tier_name = models.CharField(max_length=60, blank=True)
    tier_discount_points = models.DecimalField(max_digits=5, decimal_places=2)
    reward_points = models.DecimalField("deal registration reward points", max_digits=5, decimal_places=2)
    # Sums of the rounded lines (deals.money); stored so lists need no join.
    list_total = models.DecimalField(max_digits=18, decimal_places=3)
    net_total = models.DecimalField(max_digits=18, decimal_places=3)
    note = models.CharField("what changed", max_length=300, blank=True)

    objects = ScopedManager(vendor="deal__vendor")

    class Meta:
        ordering = ["deal", "-sequence"]
        get_latest_by = "sequence"
        constraints = [
            models.UniqueConstraint(fields=["deal", "sequence"], name="quote_unique_sequence_per_deal"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issue_date")), name="quote_valid_after_issue"
            ),
            models.CheckConstraint(
                condition=Q(net_total__lte=models.F("list_total")), name="quote_net_within_list"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self):
        return f"{self.deal.deal_number}-Q{self.sequence}"

    @property
    def discount_points(self):
        """Tier discount and reward margin add up (seed 001: "additional margin points")."""
        return self.tier_discount_points + self.reward_points

    @property
    def discount_total(self):
        return self.list_total - self.net_total

    @property
    def expires_at(self):
        """The first instant after the validity date (the quote is valid through `valid_until`)."""
        end = datetime.combine(self.valid_until + timedelta(days=1), time.min)
        return timezone.make_aware(end)

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at


class QuoteLine(models.Model):
    """One product of a quote, with the amounts computed and rounded by deals.money."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField("SKU", max_length=40)
    product_name = models.CharField(max_length=160)
    unit = models.CharField(max_length=12)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    list_price = models.DecimalField("list price per unit", max_digits=16, decimal_places=3)
    # Exact, never rounded (deals.money): list price × (100 − points) / 100 needs at most 7 decimals.
    net_unit_price = models.DecimalField(max_digits=20, decimal_places=8)
    list_amount = models.DecimalField(max_digits=18, decimal_places=3)
    net_amount = models.DecimalField(max_digits=18, decimal_places=3)

    objects = ScopedManager(vendor="quote__deal__vendor")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "product"], name="quoteline_one_line_per_product"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="quoteline_positive_quantity"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_name}"

    @property
    def discount_amount(self):
        return self.list_amount - self.net_amount


class ExtensionRequest(models.Model):
    """A partner's request to extend a registration (also after expiry), decided by a channel manager.

    At most one request per deal is open at a time — the database refuses a second one.
    """

    class Decision(models.TextChoices):
        GRANTED = "granted", "Granted"
        DECLINED = "declined", "Declined"

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_note = models.TextField(blank=True)

    objects = ScopedManager(vendor="deal__vendor")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal"],
                condition=Q(decided_at__isnull=True),
                name="extension_request_one_open_per_deal",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, decision="")
                | Q(decided_at__isnull=False, decision__in=["granted", "declined"]),
                name="extension_request_decision_with_date",
            ),
        ]

    def __str__(self):
        return f"Extension of {self.deal}"

    @property
    def is_open(self):
        return self.decided_at is None


# --- multi-partner (co-sell) registrations (seed 003) -----------------------------------------------


class DealParticipant(models.Model):
    """A partner organisation on a co-sell registration, with its role and attribution share.

    Only in multi-partner programs. The registering organisation is the lead participant; the shares
    of a deal add up to exactly 100 (deals.services.deal_set_participants refuses anything else, and
    AttributionRule checks it again on submission). The database guards each share's range and that
    an organisation takes part once.
    """

    class Role(models.TextChoices):
        LEAD = "lead", "Lead partner"
        SOFTWARE = "software", "Software / ISV partner"
        CONSULTING = "consulting", "Consulting partner"
        IMPLEMENTATION = "implementation", "Implementation / services partner"
        REFERRAL = "referral", "Referral partner"
        OTHER = "other", "Other"

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(
        PartnerOrganization, on_delete=models.PROTECT, related_name="co_sell_participations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    share = models.DecimalField("attribution share (%)", max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="deal__vendor")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "organization"], name="dealparticipant_one_row_per_organization"
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="dealparticipant_share_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()}, {self.share_display}%) on {self.deal}"

    @property
    def is_lead(self):
        return self.role == self.Role.LEAD

    @property
    def role_phrase(self) -> str:
        """For sentences: "added you as consulting partner", "as software / ISV partner"."""
        if self.role == self.Role.OTHER:
            return "co-sell partner"
        label = self.get_role_display()
        return label[:1].lower() + label[1:]

    @property
    def share_display(self) -> str:
        """60.00 → "60", 33.50 → "33.5": how people write percentages."""
        return format_share(self.share)


def format_share(share) -> str:
    text = f"{share:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
