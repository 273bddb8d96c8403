from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_scopes import scopes_disabled

from .models import (
    DistributorAgreement,
    Invitation,
    Membership,
    PartnerOrganization,
    PartnerTier,
    Program,
    User,
    Vendor,
)


class UnscopedAdmin(admin.ModelAdmin):
    """The Django admin is for installation staff and deliberately sees across vendors."""

    def get_queryset(self, request):
        with scopes_disabled():
            return super().get_queryset(request).all()

    @staticmethod
    def _rendered(response):
        # A TemplateResponse renders after the view returns; inline and choice querysets are evaluated
        # then, so render it while scopes are still disabled.
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        return response

    def changeform_view(self, *args, **kwargs):
        with scopes_disabled():
            return self._rendered(super().changeform_view(*args, **kwargs))

    def changelist_view(self, *args, **kwargs):
        with scopes_disabled():
            return self._rendered(super().changelist_view(*args, **kwargs))

    def delete_view(self, *args, **kwargs):
        with scopes_disabled():
            return self._rendered(super().delete_view(*args, **kwargs))

    def history_view(self, *args, **kwargs):
        with scopes_disabled():
            return self._rendered(super().history_view(*args, **kwargs))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ProgramInline(admin.StackedInline):
    model = Program
    can_delete = False


@admin.register(Vendor)
class VendorAdmin(UnscopedAdmin):
    list_display = ["name", "slug", "is_active", "accepts_applications"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgramInline]


@admin.register(PartnerTier)
class PartnerTierAdmin(UnscopedAdmin):
    list_display = ["name", "vendor", "rank", "discount_points"]
    list_filter = ["vendor"]


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(UnscopedAdmin):
    list_display = ["name", "vendor", "kind", "status", "tier", "country"]
    list_filter = ["vendor", "kind", "status"]
    search_fields = ["name"]


@admin.register(DistributorAgreement)
class DistributorAgreementAdmin(UnscopedAdmin):
    list_display = ["reseller", "distributor", "vendor", "is_active"]
    list_filter = ["vendor"]


@admin.register(Membership)
class MembershipAdmin(UnscopedAdmin):
    list_display = ["user", "vendor", "organization", "role", "is_active"]
    list_filter = ["vendor", "role"]
    search_fields = ["user__email"]


@admin.register(Invitation)
class InvitationAdmin(UnscopedAdmin):
    list_display = ["email", "vendor", "organization", "role", "expires_at", "accepted_at"]
    list_filter = ["vendor"]
