"""What a vendor sells, where, and the minimums for registering it."""

from decimal import Decimal

from django.db import models
from django_countries.fields import CountryField
from django_scopes import ScopedManager

from partners.models import Vendor
from portal.bounds import between

# The largest numbers a registration or a product may carry: a quantity of ten million units at a list price
# of a million stays far inside the quote's amounts (18 digits), even on twenty lines.
MAX_QUANTITY = 10_000_000
MAX_LIST_PRICE = Decimal("1000000.00")
MAX_AMOUNT = Decimal("999999999999.99")  # what a 14-digit, 2-decimal value column holds
QUANTITY_BOUNDS = between(1, MAX_QUANTITY)


class Territory(models.Model):
    """A sales region of a vendor (NAM, LATAM, EMEA, APAC by default) and the countries in it."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="territories")
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=80)
    countries = CountryField(multiple=True, blank=True)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["vendor", "code"]
        verbose_name_plural = "territories"
        constraints = [
            models.UniqueConstraint(fields=["vendor", "code"], name="territory_unique_code_per_vendor")
        ]

    def __str__(self):
        return self.code


class Product(models.Model):
    class Unit(models.TextChoices):
        USERS = "users", "Users"
        HOSTS = "hosts", "Hosts"
        ENDPOINTS = "endpoints", "Endpoints"
        LICENCES = "licences", "Licences"

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="products")
    sku = models.CharField("SKU", max_length=40)
    name = models.CharField(max_length=160)
    family = models.CharField("product set / family", max_length=120, blank=True)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.USERS)
    list_price = models.DecimalField(
        "list price per unit",
        max_digits=12,
        decimal_places=2,
        validators=between(Decimal("0"), MAX_LIST_PRICE),
    )
    currency = models.CharField(max_length=3, default="USD")
    min_quantity = models.PositiveIntegerField(
        "minimum quantity",
        default=0,
        validators=between(0, MAX_QUANTITY),
        help_text="Registrations below this quantity are not eligible (0: none).",
    )
    min_value = models.DecimalField(
        "minimum value",
        max_digits=14,
        decimal_places=2,
        validators=between(Decimal("0"), MAX_AMOUNT),
        null=True,
        blank=True,
        help_text="Registrations below this list value are not eligible (empty: none).",
    )
    eligible_territories = models.ManyToManyField(Territory, blank=True, related_name="eligible_products")
    is_active = models.BooleanField(default=True)

    objects = ScopedManager(vendor="vendor")

    class Meta:
        ordering = ["vendor", "family", "name"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "sku"], name="product_unique_sku_per_vendor")
        ]

    def __str__(self):
        return self.name
