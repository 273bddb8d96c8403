"""Vendors (the tenants), their programs, partner organisations and who belongs where."""

import secrets
from datetime import date, timedelta
from decimal import Decimal

import holidays
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField
from django_scopes import ScopedManager
from phonenumber_field.modelfields import PhoneNumberField

from portal.bounds import between


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. Logs in by email; belongs to vendors and organisations through memberships."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self):
        return self.get_full_name() or self.email


class Vendor(models.Model):
    """The tenant: a company that runs a partner program on this installation."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in every URL of this vendor.")
    website = models.URLField(blank=True)
    default_currency = models.CharField(max_length=3, default="USD")
    accepts_applications = models.BooleanField(
        default=True, help_text="Companies may apply to join this program from the portal."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# A program's clocks run for at most ten years; nobody extends a registration more than a hundred times.
MAX_DAYS = 3650
MAX_EXTENSIONS = 100


class Program(models.Model):
    """The rules of a vendor's deal registration program (defaults from the seed programs)."""

    class RegistrationMode(models.TextChoices):
        EXCLUSIVE = "exclusive", "Exclusive: one partner per prospect and product"
        MULTI_PARTNER = "multi_partner", "Multi-partner (co-sell): several partners share a deal"

    class StaleAction(models.TextChoices):
        REVOKE = "revoke", "Revoke the registration"
        FLAG = "flag", "Flag it to the channel managers"

    class OrderingParty(models.TextChoices):
        DISTRIBUTOR = "distributor", "The distributor"
        PARTNER = "partner", "The reseller"
        EITHER = "either", "The distributor or the reseller"

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, related_name="program")
    name = models.CharField(max_length=120, default="Deal Registration Program")
    two_tier = models.BooleanField(
        default=True, help_text="Resellers buy through an authorised distributor (two-tier channel)."
    )
    registration_mode = models.CharField(
        max_length=20, choices=RegistrationMode.choices, default=RegistrationMode.EXCLUSIVE
    )
    validity_days = models.PositiveIntegerField(
        default=60, validators=between(1, MAX_DAYS), help_text="Protection after approval, in days."
    )
    extension_days = models.PositiveIntegerField(default=30, validators=between(1, MAX_DAYS))
    max_extensions = models.PositiveIntegerField(default=2, validators=between(0, MAX_EXTENSIONS))
    expiry_warning_days = models.CharField(
        max_length=40,
        default="7,1",
        help_text="Days before expiry on which partners are warned, comma separated.",
    )
    stale_after_days = models.PositiveIntegerField(
        default=30, validators=between(1, MAX_DAYS), help_text="Days without a progress update."
    )
    stale_warning_day = models.PositiveIntegerField(default=23, validators=between(0, MAX_DAYS))
    stale_action = models.CharField(max_length=10, choices=StaleAction.choices, default=StaleAction.REVOKE)
    review_sla_business_days = models.PositiveIntegerField(default=3, validators=between(1, 365))
    # The business-day calendar of the review SLA (see days_off).
    holiday_country = CountryField(
        blank=True, help_text="Its public holidays are not business days. Empty: weekends only."
    )
    holiday_subdivision = models.CharField(
        max_length=10, blank=True, help_text="State or region code for its own holidays, e.g. BY, CA."
    )
    closure_days = models.JSONField(
        default=list, blank=True, help_text="The vendor's own closure days (ISO dates), not business days."
    )
    name_similarity_threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.45"),
        validators=between(Decimal("0.10"), Decimal("1.00")),
        help_text="pg_trgm similarity from which two company names count as the same prospect.",
    )
    reward_margin_points = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=between(Decimal("0"), Decimal("100")),
        help_text="Extra discount points on approved registrations.",
    )
    quote_validity_days = models.PositiveIntegerField(default=30, validators=between(1, MAX_DAYS))
    expire_with_quote = models.BooleanField(
        default=False, help_text="The registration expires when the distributor's quote expires."
    )
    addons_allowed = models.BooleanField(
        default=True, help_text="Add-on business may be registered by exception."
    )
    msp_excluded = models.BooleanField(default=True, help_text="MSP opportunities cannot be registered.")
    renewal_auto_approved = models.BooleanField(
        default=False, help_text="A won deal opens its renewal registration already approved."
    )
    ordering_party = models.CharField(
        max_length=12, choices=OrderingParty.choices, default=OrderingParty.EITHER
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(default=1, validators=between(1, 12))

    objects = ScopedManager(vendor="vendor")

    def __str__(self):
        return f"{self.vendor}: {self.name}"

    @property
    def is_multi_partner(self):
        return self.registration_mode == self.RegistrationMode.MULTI_PARTNER

    def days_off(self) -> holidays.HolidayBase:
        """Dates that are not business days besides weekends: the country's public holidays (with the
        subdivision's) and the vendor's closure days. The one place the calendar is built."""
        if self.holiday_country:
            calendar = holidays.country_holidays(
                str(self.holiday_country), subdiv=self.holiday_subdivision or None, language="en_US"
            )
        else:
            calendar = holidays.HolidayBase()
        calendar.update({date.fromisoformat(day): "Closure day" for day in self.closure_days})
        return calendar

    @property
    def expiry_warning_day_list(self) -> list[int]:
        return sorted(
            {int(d) for d in self.expiry_warning_days.split(",") if d.strip().isdigit()}, reverse=True
        )


class PartnerTier(models.Model):
    """A level of the partner program with its standard discount."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(max_length=60)
    rank = models.PositiveSmallIntegerField(default=0, help_text="Higher is better.")
    discount_points = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=between(Decimal("0"), Decimal("100")),
    )

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["vendor", "rank"]
        constraints = [models.UniqueConstraint(fields=["vendor", "name"], name="tier_unique_name_per_vendor")]

    def __str__(self):
        return self.name


class PartnerOrganization(models.Model):
    """A reseller or distributor in one vendor's program."""

    class Kind(models.TextChoices):
        RESELLER = "reseller", "Reseller"
        DISTRIBUTOR = "distributor", "Distributor"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        DECLINED = "declined", "Declined"

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="organizations")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RESELLER)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.APPLIED)
    tier = models.ForeignKey(PartnerTier, on_delete=models.PROTECT, null=True, blank=True)
    website = models.URLField(blank=True)
    country = CountryField()
    address = models.TextField(blank=True)
    phone = PhoneNumberField(blank=True)
    contact_email = models.EmailField()
    application_note = models.TextField(blank=True)
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    distributors = models.ManyToManyField(
        "self", through="DistributorAgreement", symmetrical=False, related_name="resellers", blank=True
    )

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="organization_unique_name_per_vendor")
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_distributor(self):
        return self.kind == self.Kind.DISTRIBUTOR


class DistributorAgreement(models.Model):
    """A reseller may buy through this distributor (two-tier programs)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+")
    reseller = models.ForeignKey(PartnerOrganization, on_delete=models.CASCADE, related_name="agreements")
    distributor = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="reseller_agreements"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reseller", "distributor"], name="agreement_unique_pair"),
            models.CheckConstraint(condition=~Q(reseller=models.F("distributor")), name="agreement_not_self"),
        ]

    def __str__(self):
        return f"{self.reseller} → {self.distributor}"


class Membership(models.Model):
    """A person's role at a vendor (staff) or in one of its partner organisations."""

    class Role(models.TextChoices):
        CHANNEL_MANAGER = "channel_manager", "Channel manager"
        VENDOR_ADMIN = "vendor_admin", "Vendor admin"
        PARTNER_USER = "partner_user", "Partner user"
        PARTNER_ADMIN = "partner_admin", "Partner admin"
        DISTRIBUTOR_USER = "distributor_user", "Distributor user"

    VENDOR_ROLES = (Role.CHANNEL_MANAGER, Role.VENDOR_ADMIN)
    RESELLER_ROLES = (Role.PARTNER_USER, Role.PARTNER_ADMIN)
    DISTRIBUTOR_ROLES = (Role.DISTRIBUTOR_USER, Role.PARTNER_ADMIN)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["vendor__name", "organization__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "vendor"],
                condition=Q(organization__isnull=True),
                name="membership_one_staff_role",
            ),
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(organization__isnull=False),
                name="membership_one_role_per_org",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=["channel_manager", "vendor_admin"], organization__isnull=True)
                    | Q(
                        role__in=["partner_user", "partner_admin", "distributor_user"],
                        organization__isnull=False,
                    )
                ),
                name="membership_role_matches_place",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} at {self.place_name}"

    @property
    def is_vendor_staff(self):
        return self.organization_id is None

    @property
    def place_name(self):
        return self.organization.name if self.organization_id else self.vendor.name


def _invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An emailed link that makes its recipient a member of an organisation (or vendor staff)."""

    VALID_FOR = timedelta(days=7)

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_open(self):
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired
