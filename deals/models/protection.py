"""Protection: the database's guarantee that one partner at a time protects a product at a prospect."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from partners.models import Vendor
from products.models import Product

from .prospect import Prospect


class Protection(models.Model):
    """One partner's protection of one product at one prospect.

    The partial unique constraint makes the database refuse a second active protection, even when two
    approvals race; rows are written in the approving transaction and ended when protection ends.
    """

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+")
    prospect = models.ForeignKey(Prospect, on_delete=models.PROTECT, related_name="protections")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="protections")
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
