"""Installation staff's admin for catalogues; vendors edit theirs in the portal (vendor admin pages)."""

from django import forms
from django.contrib import admin

from portal.admin import UnscopedAdmin

from .models import Product, Territory
from .services import clash_message, country_clashes


class ProductAdminForm(forms.ModelForm):
    # No Meta: the ModelAdmin supplies the model and its fields.

    def clean(self):
        cleaned = super().clean()
        vendor = cleaned.get("vendor")
        foreign = [
            t.code for t in cleaned.get("eligible_territories") or [] if vendor and t.vendor_id != vendor.pk
        ]
        if foreign:
            self.add_error("eligible_territories", f"Territories of another vendor: {', '.join(foreign)}.")
        return cleaned


@admin.register(Product)
class ProductAdmin(UnscopedAdmin):
    form = ProductAdminForm
    list_display = [
        "name", "sku", "vendor", "family", "unit", "list_price", "currency", "min_quantity", "min_value",
        "is_active",
    ]  # fmt: skip
    list_filter = ["vendor", "is_active", "unit"]
    search_fields = ["name", "sku", "family"]
    filter_horizontal = ["eligible_territories"]


class TerritoryAdminForm(forms.ModelForm):
    # No Meta: the ModelAdmin supplies the model and its fields.

    def clean(self):
        cleaned = super().clean()
        vendor = cleaned.get("vendor")
        if vendor and cleaned.get("countries"):
            codes = {getattr(c, "code", c) for c in cleaned["countries"]}
            clashes = country_clashes(vendor_id=vendor.pk, codes=codes, territory_pk=self.instance.pk)
            if clashes:
                self.add_error("countries", clash_message(clashes))
        return cleaned


class EligibleProductInline(admin.TabularInline):
    """The territory's column of the eligibility matrix: which products may be registered here."""

    model = Product.eligible_territories.through
    extra = 0
    verbose_name = "eligible product"
    verbose_name_plural = "eligible products"
    autocomplete_fields = ["product"]


@admin.register(Territory)
class TerritoryAdmin(UnscopedAdmin):
    form = TerritoryAdminForm
    list_display = ["code", "name", "vendor", "country_count"]
    list_filter = ["vendor"]
    search_fields = ["code", "name"]
    inlines = [EligibleProductInline]

    @admin.display(description="countries")
    def country_count(self, territory):
        return len(territory.countries)
