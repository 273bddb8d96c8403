"""Read queries about vendors, organisations, memberships and invitations."""

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import DistributorAgreement, Invitation, Membership, PartnerOrganization, Vendor
from .permissions import Perm, has_perm


def has_totp(user) -> bool:
    """Whether the user has set up an authenticator app (allauth MFA)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def vendors_open_for_applications():
    return Vendor.objects.filter(is_active=True, accepts_applications=True).order_by("name")


def vendor_open_for_applications(*, slug: str) -> Vendor:
    vendor = vendors_open_for_applications().filter(slug=slug).select_related("program").first()
    if vendor is None:
        raise Http404("This vendor does not take applications.")
    return vendor


def organization_members(*, organization):
    return (
        Membership.objects.filter(organization=organization, is_active=True)
        .select_related("user")
        .order_by("user__email")
    )


def vendor_staff(*, vendor):
    return (
        Membership.objects.filter(vendor=vendor, organization__isnull=True, is_active=True)
        .select_related("user")
        .order_by("user__email")
    )


def team_of(*, membership: Membership):
    """The people of a membership's place: the vendor's staff, or its organisation's members."""
    if membership.is_vendor_staff:
        return vendor_staff(vendor=membership.vendor)
    return organization_members(organization=membership.organization)


def open_invitations_of(*, membership: Membership):
    return Invitation.objects.filter(
        vendor=membership.vendor,
        organization=membership.organization,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def invitation_of(*, membership: Membership, pk: int) -> Invitation:
    """An open invitation to the membership's own place, or 404."""
    invitation = open_invitations_of(membership=membership).filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def team_member_of(*, membership: Membership, pk: int) -> Membership:
    member = team_of(membership=membership).filter(pk=pk).first()
    if member is None:
        raise Http404("No such member.")
    return member


def invitation_by_token(*, token: str) -> Invitation:
    """The invitation behind an emailed link, or 404.

    The link lives outside /v/<vendor>/ (its recipient is no member yet), so no scope is active:
    the token itself is the tenant key, hence the explicit scopes_disabled().
    """
    with scopes_disabled():
        invitation = (
            Invitation.objects.filter(token=token)
            .select_related("vendor", "organization", "invited_by")
            .first()
        )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def partner_organizations(*, vendor, kind=None, status=None, tier=None, search=None):
    qs = (
        PartnerOrganization.objects.filter(vendor=vendor)
        .select_related("tier")
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if tier:
        qs = qs.filter(tier=tier)
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(contact_email__icontains=search) | Q(website__icontains=search)
        )
    return qs.order_by("name")


def pending_applications(*, vendor):
    return partner_organizations(vendor=vendor, status=PartnerOrganization.Status.APPLIED).order_by(
        "created_at"
    )


def application_of(*, vendor, pk: int) -> PartnerOrganization:
    organization = pending_applications(vendor=vendor).filter(pk=pk).first()
    if organization is None:
        raise Http404("No such application.")
    return organization


def organization_for(*, membership: Membership, pk: int) -> PartnerOrganization:
    """An organisation this membership may look at, or 404 (a foreign one looks like a missing one).

    Vendor staff see every organisation of their vendor; partners only their own.
    """
    qs = PartnerOrganization.objects.filter(vendor=membership.vendor).select_related("tier", "decided_by")
    if not has_perm(membership, Perm.VIEW_PARTNERS):
        qs = qs.filter(pk=membership.organization_id)
    organization = qs.filter(pk=pk).first()
    if organization is None:
        raise Http404("No such organisation.")
    return organization


def active_distributors(*, vendor):
    return PartnerOrganization.objects.filter(
        vendor=vendor, kind=PartnerOrganization.Kind.DISTRIBUTOR, status=PartnerOrganization.Status.ACTIVE
    ).order_by("name")


def agreements_of(*, organization: PartnerOrganization):
    """Active agreements on either side: a reseller's distributors, or a distributor's resellers."""
    side = "distributor" if organization.is_distributor else "reseller"
    return (
        DistributorAgreement.objects.filter(**{side: organization}, is_active=True)
        .select_related("reseller", "distributor")
        .order_by("distributor__name", "reseller__name")
    )


def agreement_of(*, organization: PartnerOrganization, pk: int) -> DistributorAgreement:
    agreement = agreements_of(organization=organization).filter(pk=pk).first()
    if agreement is None:
        raise Http404("No such agreement.")
    return agreement


def distributors_available_to(*, reseller: PartnerOrganization):
    """Active distributors the reseller has no active agreement with yet."""
    taken = agreements_of(organization=reseller).values("distributor_id")
    return active_distributors(vendor=reseller.vendor).exclude(pk__in=taken)


def authorised_distributors(*, reseller):
    return PartnerOrganization.objects.filter(
        vendor=reseller.vendor,
        kind=PartnerOrganization.Kind.DISTRIBUTOR,
        status=PartnerOrganization.Status.ACTIVE,
        reseller_agreements__reseller=reseller,
        reseller_agreements__is_active=True,
    ).distinct()


@dataclass(frozen=True)
class PartnerCounts:
    applied: int
    active: int
    suspended: int
    resellers: int
    distributors: int


def partner_counts(*, vendor) -> PartnerCounts:
    """Figures for the vendor staff dashboard, in one query."""
    S, K = PartnerOrganization.Status, PartnerOrganization.Kind
    row = PartnerOrganization.objects.filter(vendor=vendor).aggregate(
        applied=Count("pk", filter=Q(status=S.APPLIED)),
        active=Count("pk", filter=Q(status=S.ACTIVE)),
        suspended=Count("pk", filter=Q(status=S.SUSPENDED)),
        resellers=Count("pk", filter=Q(status=S.ACTIVE, kind=K.RESELLER)),
        distributors=Count("pk", filter=Q(status=S.ACTIVE, kind=K.DISTRIBUTOR)),
    )
    return PartnerCounts(**row)


def admins_of_place(*, vendor, organization) -> list[str]:
    """Email addresses of whoever administers a place: partner admins, or the vendor admins."""
    role = Membership.Role.PARTNER_ADMIN if organization else Membership.Role.VENDOR_ADMIN
    return list(
        Membership.objects.filter(vendor=vendor, organization=organization, role=role, is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
