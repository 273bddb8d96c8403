"""The deal registration, its state machine, its product lines, attachments and progress updates."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField
from django_fsm import FSMField, transition
from django_scopes import ScopedManager
from phonenumber_field.modelfields import PhoneNumberField

from partners.models import PartnerOrganization, Vendor
from portal.bounds import between
from products.models import MAX_AMOUNT, QUANTITY_BOUNDS, Product

from .. import access
from .prospect import Prospect
from .states import (
    CLOCKED_STATES,
    EXTENDABLE_STATES,
    OPEN_FOR_REVIEW,
    ORDERABLE_STATES,
    PROTECTED_STATES,
    TERMINAL_STATES,
    UNDECIDED_STATES,
    DealState,
    RejectionReason,
    RevocationReason,
)

S = DealState

# The deal's fields in the groups of seed 004's registration page: the form, the deal page and the
# renewal read them from here.
COMPANY_FIELDS = ("company_name", "domain")
PARTNER_FIELDS = (
    "partner_contact_name",
    "partner_contact_email",
    "partner_contact_phone",
    "partner_sales_lead_name",
    "partner_sales_lead_email",
)
ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "state_region", "postal_code", "country")
END_USER_FIELDS = (
    "contact_first_name",
    "contact_last_name",
    "contact_title",
    "contact_role",
    "contact_email",
    "contact_phone",
    *ADDRESS_FIELDS,
)
OPPORTUNITY_FIELDS = (
    "projected_value",
    "currency",
    "expected_close_date",
    "deal_type",
    "vertical",
    "segment",
    "priority",
)
QUALIFICATION_FIELDS = ("budget_status", "authority", "need", "timeline")
DEPLOYMENT_FIELDS = ("current_tools", "migrating_to", "meeting_date", "next_actions", "evidence_notes")
DISTRIBUTION_FIELDS = ("distributor", "hidden_from_distributor")
# The locale decides how an address reads: ZIP code and state in the US, postcode and county in the UK.
ADDRESS_LABELS = {
    "en-us": {"postal_code": "ZIP code", "state_region": "State"},
    "en-gb": {"postal_code": "Postcode", "state_region": "County"},
}


def address_labels(language_code: str | None) -> dict[str, str]:
    return ADDRESS_LABELS.get((language_code or "").lower(), ADDRESS_LABELS["en-us"])


# Every label of a field, on the form, the deal page and the checklist, is its verbose_name above (the
# checklist adds whose contact it is); only the address labels follow the locale.


def checklist_label(name: str) -> str:
    """The field's label in a checklist sentence ("Still missing: End user email, ..."): whose it is."""
    label = str(Deal._meta.get_field(name).verbose_name)
    if name.startswith("partner_contact_"):
        label = f"partner {label}"
    elif name.startswith("contact_"):
        label = f"end user {label}"
    return label[:1].upper() + label[1:]


# Shown across the whole width (long text).
LONG_FIELDS = ("need", "next_actions", "evidence_notes")


class DealNumberSequence(models.Model):
    """Per-vendor counter behind human deal numbers (DR-000123)."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    objects = ScopedManager(vendor="vendor")

    def __str__(self):
        return f"{self.vendor}: DR-{self.last_number:06d}"


# Who may run a transition: deals.access decides; the actor carries user + membership.
def partner_may(deal, actor):
    return actor is not None and access.may_register_for(actor, deal)


def reviewer_may(deal, actor):
    return actor is not None and access.may_review(actor, deal)


def orderer_may(deal, actor):
    return actor is not None and access.may_order(actor, deal)


def system_only(deal, actor):
    return actor is not None and actor.is_system


def reviewer_or_system(deal, actor):
    return reviewer_may(deal, actor) or system_only(deal, actor)


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
    partner_contact_name = models.CharField("contact name", max_length=120, blank=True)
    partner_contact_email = models.EmailField("contact email", blank=True)
    partner_contact_phone = PhoneNumberField("contact phone", blank=True)
    partner_sales_lead_name = models.CharField("partner sales lead (optional)", max_length=120, blank=True)
    partner_sales_lead_email = models.EmailField("partner sales lead email (optional)", blank=True)

    # End user contact.
    contact_first_name = models.CharField("first name", max_length=80, blank=True)
    contact_last_name = models.CharField("last name", max_length=80, blank=True)
    contact_title = models.CharField("position / title", max_length=120, blank=True)
    contact_email = models.EmailField("email", blank=True)
    contact_phone = PhoneNumberField("phone", blank=True)
    contact_role = models.CharField("contact role", max_length=24, choices=ContactRole.choices, blank=True)

    # Opportunity.
    projected_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=between(Decimal("0"), MAX_AMOUNT)
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
    evidence_notes = models.TextField("pre-sales evidence notes", blank=True)

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

    # Transitions change the state only; every side effect lives in deals.services.

    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED, permission=partner_may)
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.INFO_REQUESTED, permission=reviewer_may)
    def request_info(self):
        pass

    @transition(field=state, source=S.INFO_REQUESTED, target=S.SUBMITTED, permission=partner_may)
    def resubmit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.APPROVED, permission=reviewer_may)
    def approve(self):
        pass

    @transition(field=state, source=OPEN_FOR_REVIEW, target=S.REJECTED, permission=reviewer_may)
    def reject(self):
        pass

    @transition(field=state, source=S.APPROVED, target=S.QUOTED, permission=system_only)
    def mark_quoted(self):
        pass

    @transition(field=state, source=CLOCKED_STATES, target=S.EXPIRED, permission=system_only)
    def expire(self):
        pass

    @transition(
        field=state,
        source=EXTENDABLE_STATES,
        target=S.EXTENDED,
        permission=reviewer_may,
    )
    def grant_extension(self):
        pass

    @transition(
        field=state,
        source=CLOCKED_STATES,
        target=S.REVOKED,
        permission=reviewer_or_system,
    )
    def revoke(self):
        pass

    @transition(field=state, source=ORDERABLE_STATES, target=S.ORDERED, permission=orderer_may)
    def start_order(self):
        pass

    @transition(field=state, source=S.ORDERED, target=S.WON, permission=orderer_may)
    def submit_order(self):
        pass

    @transition(
        field=state,
        source=PROTECTED_STATES,
        target=S.LOST,
        permission=partner_may,
    )
    def lose(self):
        pass

    @transition(
        field=state,
        source=UNDECIDED_STATES,
        target=S.WITHDRAWN,
        permission=partner_may,
    )
    def withdraw(self):
        pass


class DealLine(models.Model):
    """A product the partner registers, with its quantity."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(validators=QUANTITY_BOUNDS)

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
