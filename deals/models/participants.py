"""Multi-partner (co-sell) registrations (seed 003): the partner organisations on one deal."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from partners.models import PartnerOrganization


class DealParticipant(models.Model):
    """A partner organisation on a co-sell registration, with its role and attribution share.

    Only in multi-partner programs. The registering organisation is the lead participant; the shares
    of a deal add up to exactly 100 (deals.services.registration.deal_set_participants refuses anything
    else, and AttributionRule checks it again on submission). The database guards each share's range and that
    an organisation takes part once.
    """

    class Role(models.TextChoices):
        LEAD = "lead", "Lead partner"
        SOFTWARE = "software", "Software / ISV partner"
        CONSULTING = "consulting", "Consulting partner"
        IMPLEMENTATION = "implementation", "Implementation / services partner"
        REFERRAL = "referral", "Referral partner"
        OTHER = "other", "Other"

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="participants")
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
