from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from portal.admin import UnscopedAdmin

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
