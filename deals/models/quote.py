"""Quotes: priced offers of a protected registration; amounts are rounded per deals.money."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from products.models import QUANTITY_BOUNDS, Product


class Quote(models.Model):
    """A priced offer for a protected registration: one line per product, tier discount + reward margin.

    Quotes are immutable once issued; a change (quantities, products) is a new quote with the next
    sequence number. The latest one is the current quote of the deal.
    """

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="quotes")
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
    quantity = models.PositiveIntegerField(validators=QUANTITY_BOUNDS)
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
