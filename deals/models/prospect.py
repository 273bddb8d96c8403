"""End customers (prospects, by registrable domain) and the vendor's own pipeline."""

from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField
from django_scopes import ScopedManager

from partners.models import Vendor
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
