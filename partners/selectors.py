"""Read queries about vendors, organisations and memberships."""

from django_scopes import scopes_disabled

from .models import Membership, PartnerOrganization, Vendor


def vendors_open_for_applications():
    return Vendor.objects.filter(is_active=True, accepts_applications=True).order_by("name")


def organization_members(*, organization):
    return Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")


def vendor_staff(*, vendor):
    return (
        Membership.objects.filter(vendor=vendor, organization__isnull=True)
        .select_related("user")
        .order_by("user__email")
    )


def partner_organizations(*, vendor, kind=None, status=None):
    qs = PartnerOrganization.objects.filter(vendor=vendor).select_related("tier")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def pending_applications(*, vendor):
    return partner_organizations(vendor=vendor, status=PartnerOrganization.Status.APPLIED).order_by("created_at")


def authorised_distributors(*, reseller):
    return PartnerOrganization.objects.filter(
        vendor=reseller.vendor,
        kind=PartnerOrganization.Kind.DISTRIBUTOR,
        status=PartnerOrganization.Status.ACTIVE,
        reseller_agreements__reseller=reseller,
        reseller_agreements__is_active=True,
    ).distinct()


def user_has_any_membership(user) -> bool:
    with scopes_disabled():
        return Membership.objects.filter(user=user, is_active=True).exists()
