"""Installation staff's admin for deals. Deals are read-only here: their state changes only through
deals.services (the portal), so that every change is checked, locked and recorded."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from portal.admin import UnscopedAdmin

from .domains import normalize_domain
from .models import Deal, DealEvent, DealLine, DealParticipant, PipelineEntry, Prospect, Protection, Quote


class _NormalisedDomainForm(forms.ModelForm):
    """Domains are stored as registrable domains, as the portal's "Verify domain" stores them."""

    domain_required = True

    def clean_domain(self):
        raw = self.cleaned_data.get("domain", "")
        if not raw and not self.domain_required:
            return ""
        return normalize_domain(raw)


class ProspectAdminForm(_NormalisedDomainForm):
    """No Meta: the ModelAdmin supplies the model and its fields."""


@admin.register(Prospect)
class ProspectAdmin(UnscopedAdmin):
    form = ProspectAdminForm
    list_display = ["name", "domain", "vendor", "country", "created_at"]
    list_filter = ["vendor", "country"]
    search_fields = ["name", "domain"]


class PipelineEntryAdminForm(_NormalisedDomainForm):
    domain_required = False

    # No Meta: the ModelAdmin supplies the model and its fields.

    def clean(self):
        cleaned = super().clean()
        product, vendor = cleaned.get("product"), cleaned.get("vendor")
        if product and vendor and product.vendor_id != vendor.pk:
            raise ValidationError({"product": "This product belongs to another vendor."})
        return cleaned


@admin.register(PipelineEntry)
class PipelineEntryAdmin(UnscopedAdmin):
    form = PipelineEntryAdminForm
    list_display = [
        "company_name",
        "domain",
        "product",
        "owner",
        "stage",
        "external_id",
        "vendor",
        "is_active",
    ]
    list_filter = ["vendor", "is_active", "stage"]
    search_fields = ["company_name", "domain", "external_id", "owner"]
    raw_id_fields = ["product"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(UnscopedAdmin):
    """View-only: these records change only through the portal's services (audit trail, exclusivity)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DealLineInline(_ReadOnlyInline):
    model = DealLine
    fields = ["product", "quantity"]


class DealParticipantInline(_ReadOnlyInline):
    model = DealParticipant
    fields = ["organization", "role", "share", "created_at"]
    verbose_name_plural = "co-sell partners"


class DealEventInline(_ReadOnlyInline):
    model = DealEvent
    fields = ["created_at", "action", "from_state", "to_state", "reason", "actor", "note"]
    verbose_name_plural = "timeline"


class ProtectionInline(_ReadOnlyInline):
    model = Protection
    fields = ["product", "prospect", "started_at", "ended_at"]


class QuoteInline(_ReadOnlyInline):
    model = Quote
    fields = ["sequence", "issue_date", "valid_until", "currency", "discount_points", "net_total"]
    readonly_fields = fields
    ordering = ["-sequence"]


@admin.register(Deal)
class DealAdmin(_ReadOnlyAdmin):
    """View-only: approve, reject and every other change happen in the portal, through the services."""

    list_display = [
        "deal_number",
        "company_name",
        "vendor",
        "organization",
        "state",
        "submitted_at",
        "expires_at",
    ]
    list_filter = ["vendor", "state", "deal_type"]
    search_fields = ["company_name", "domain", "prospect__name", "organization__name"]
    list_select_related = ["vendor", "organization"]
    inlines = [DealLineInline, DealParticipantInline, QuoteInline, DealEventInline, ProtectionInline]

    @admin.display(description="deal number", ordering="number")
    def deal_number(self, deal):
        return deal.deal_number


@admin.register(Protection)
class ProtectionAdmin(_ReadOnlyAdmin):
    list_display = ["prospect", "product", "deal", "vendor", "started_at", "ended_at"]
    list_filter = ["vendor"]
    search_fields = ["prospect__name", "prospect__domain"]
