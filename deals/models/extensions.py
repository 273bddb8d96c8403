"""Extension requests: a partner asks for more time, a channel manager decides."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager


class ExtensionRequest(models.Model):
    """A partner's request to extend a registration (also after expiry), decided by a channel manager.

    At most one request per deal is open at a time — the database refuses a second one.
    """

    class Decision(models.TextChoices):
        GRANTED = "granted", "Granted"
        DECLINED = "declined", "Declined"

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="extension_requests")
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
