"""Every change to partner organisations, memberships and invitations. Views call these; nothing else writes.

The acting party is always the keyword-only ``actor`` (a partners.permissions.Actor, as the tenant
middleware sets on ``request.actor``); the services check its permissions themselves.
Each function is one transaction. Emails go through notifications.services.send_email, which delivers
after commit, so a rolled-back change sends nothing.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import absolute_url, send_email

from . import selectors
from .models import (
    DistributorAgreement,
    Invitation,
    Membership,
    PartnerOrganization,
    PartnerTier,
    User,
    Vendor,
)
from .permissions import Actor, Perm, require_perm, team_perm

Role = Membership.Role
Status = PartnerOrganization.Status


def _lock(organization: PartnerOrganization) -> PartnerOrganization:
    """Re-read the organisation under a row lock: two admins deciding at once cannot both win."""
    return PartnerOrganization.objects.select_for_update().get(pk=organization.pk, vendor=organization.vendor)


def _require_status(organization: PartnerOrganization, *allowed: str, doing: str) -> None:
    if organization.status not in allowed:
        raise ValidationError(
            f"{organization.name} is {organization.get_status_display().lower()}; it cannot be {doing}."
        )


# ---------------------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def apply_for_program(
    *,
    vendor: Vendor,
    applicant: User,
    name: str,
    kind: str,
    country: str,
    contact_email: str,
    website: str = "",
    address: str = "",
    phone: str = "",
    note: str = "",
    distributors: Iterable[PartnerOrganization] = (),
) -> PartnerOrganization:
    """A company applies to a vendor's program; the applicant becomes its partner admin.

    The organisation, the applicant's membership and the distributor agreements are saved together
    or not at all.
    """
    if not (vendor.is_active and vendor.accepts_applications):
        raise ValidationError(f"{vendor.name} does not take applications at the moment.")
    name = " ".join(name.split())
    if PartnerOrganization.objects.filter(vendor=vendor, name__iexact=name).exists():
        raise ValidationError({"name": f"A company called “{name}” has already applied to {vendor.name}."})
    distributors = list(distributors)
    if kind == PartnerOrganization.Kind.DISTRIBUTOR and distributors:
        raise ValidationError({"distributors": "Distributors do not buy through other distributors."})
    allowed = set(selectors.active_distributors(vendor=vendor).values_list("pk", flat=True))
    if any(d.pk not in allowed for d in distributors):
        raise ValidationError({"distributors": "Choose among the program's active distributors."})
    if kind == PartnerOrganization.Kind.RESELLER and vendor.program.two_tier and allowed and not distributors:
        raise ValidationError(
            {"distributors": "This is a two-tier program: choose at least one distributor you buy through."}
        )

    try:
        with transaction.atomic():  # savepoint: a concurrent twin trips the unique constraint
            organization = PartnerOrganization.objects.create(
                vendor=vendor,
                name=name,
                kind=kind,
                status=Status.APPLIED,
                country=country,
                website=website,
                address=address,
                phone=phone,
                contact_email=contact_email,
                application_note=note,
            )
    except IntegrityError:
        raise ValidationError(
            {"name": f"A company called “{name}” has already applied to {vendor.name}."}
        ) from None
    Membership.objects.create(
        user=applicant, vendor=vendor, organization=organization, role=Role.PARTNER_ADMIN
    )
    for distributor in distributors:
        DistributorAgreement.objects.create(vendor=vendor, reseller=organization, distributor=distributor)

    admins = selectors.admins_of_place(vendor=vendor, organization=None)
    if admins:
        send_email(
            to=admins,
            template="partner_application_received",
            context={
                "organization": organization,
                "applicant": applicant,
                "queue_url": absolute_url(reverse("partner_applications", args=[vendor.slug])),
            },
            vendor=vendor,
            event_key=f"partner_application_received:{organization.pk}",
        )
    return organization


def _notify_partner_admins(organization: PartnerOrganization, *, template: str) -> None:
    """Tell the organisation's admins (or, without any, its contact address) about a decision."""
    recipients = selectors.admins_of_place(vendor=organization.vendor, organization=organization)
    if not recipients:
        recipients = [organization.contact_email]
    send_email(
        to=recipients,
        template=template,
        context={
            "organization": organization,
            "dashboard_url": absolute_url(reverse("dashboard", args=[organization.vendor.slug])),
        },
        vendor=organization.vendor,
        event_key=f"{template}:{organization.pk}:{organization.decided_at.isoformat()}",
    )


def _record_decision(
    organization: PartnerOrganization,
    *,
    status: str,
    actor: Actor,
    note: str,
    template: str,
    also_saving: tuple[str, ...] = (),
) -> PartnerOrganization:
    """Save a decision on the organisation (its new status, who, when and why) and tell its admins."""
    organization.status = status
    organization.decision_note = note
    organization.decided_by = actor.user
    organization.decided_at = timezone.now()
    organization.save(update_fields=["status", *also_saving, "decision_note", "decided_by", "decided_at"])
    _notify_partner_admins(organization, template=template)
    return organization


def _check_tier(organization: PartnerOrganization, tier: PartnerTier | None) -> None:
    if tier is not None and tier.vendor_id != organization.vendor_id:
        raise ValidationError({"tier": "Choose one of this program's tiers."})


@transaction.atomic
def approve_application(
    *, organization: PartnerOrganization, actor: Actor, tier: PartnerTier | None, note: str = ""
) -> PartnerOrganization:
    require_perm(actor.membership, Perm.MANAGE_PARTNERS)
    organization = _lock(organization)
    _require_status(organization, Status.APPLIED, doing="approved")
    _check_tier(organization, tier)
    organization.tier = tier
    return _record_decision(
        organization,
        status=Status.ACTIVE,
        actor=actor,
        note=note,
        template="partner_application_approved",
        also_saving=("tier",),
    )


@transaction.atomic
def decline_application(*, organization: PartnerOrganization, actor: Actor, note: str) -> PartnerOrganization:
    require_perm(actor.membership, Perm.MANAGE_PARTNERS)
    if not note.strip():
        raise ValidationError({"note": "Tell the applicant why their application is declined."})
    organization = _lock(organization)
    _require_status(organization, Status.APPLIED, doing="declined")
    return _record_decision(
        organization,
        status=Status.DECLINED,
        actor=actor,
        note=note.strip(),
        template="partner_application_declined",
    )


# ---------------------------------------------------------------------------------------------------------
# Managing active partners
# ---------------------------------------------------------------------------------------------------------


def _change_status(
    organization: PartnerOrganization, *, to: str, frm: str, doing: str, actor: Actor, note: str
) -> PartnerOrganization:
    require_perm(actor.membership, Perm.MANAGE_PARTNERS)
    if not note.strip():
        raise ValidationError({"note": "Give the partner a reason; they see it on their dashboard."})
    organization = _lock(organization)
    _require_status(organization, frm, doing=doing)
    return _record_decision(
        organization, status=to, actor=actor, note=note.strip(), template="partner_status_changed"
    )


@transaction.atomic
def suspend_organization(
    *, organization: PartnerOrganization, actor: Actor, note: str
) -> PartnerOrganization:
    """A suspended organisation keeps its data and can look, but cannot register, order or invite."""
    return _change_status(
        organization,
        to=Status.SUSPENDED,
        frm=Status.ACTIVE,
        doing="suspended",
        actor=actor,
        note=note,
    )


@transaction.atomic
def reactivate_organization(
    *, organization: PartnerOrganization, actor: Actor, note: str
) -> PartnerOrganization:
    return _change_status(
        organization,
        to=Status.ACTIVE,
        frm=Status.SUSPENDED,
        doing="reactivated",
        actor=actor,
        note=note,
    )


@transaction.atomic
def change_tier(
    *, organization: PartnerOrganization, tier: PartnerTier | None, actor: Actor
) -> PartnerOrganization:
    require_perm(actor.membership, Perm.MANAGE_PARTNERS)
    organization = _lock(organization)
    _check_tier(organization, tier)
    organization.tier = tier
    organization.save(update_fields=["tier"])
    return organization


@transaction.atomic
def add_distributor_agreement(
    *, reseller: PartnerOrganization, distributor: PartnerOrganization, actor: Actor
) -> DistributorAgreement:
    """Authorise a reseller to buy through a distributor (re-activates an ended agreement)."""
    require_perm(actor.membership, Perm.MANAGE_PARTNERS)
    if reseller.is_distributor:
        raise ValidationError("Only resellers buy through distributors.")
    if (
        distributor.vendor_id != reseller.vendor_id
        or not distributor.is_distributor
        or distributor.status != Status.ACTIVE
    ):
        raise ValidationError({"distributor": "Choose one of the program's active distributors."})
    agreement, created = DistributorAgreement.objects.select_for_update().get_or_create(
        vendor=reseller.vendor, reseller=reseller, distributor=distributor
    )
    if not created:
        if agreement.is_active:
            raise ValidationError({"distributor": f"{reseller} already buys through {distributor}."})
        agreement.is_active = True
        agreement.save(update_fields=["is_active"])
    return agreement


@transaction.atomic
def end_distributor_agreement(*, agreement: DistributorAgreement, actor: Actor) -> DistributorAgreement:
    """Ends an agreement; the row stays so deals already routed through it keep their history."""
    require_perm(actor.membership, Perm.MANAGE_PARTNERS)
    agreement.is_active = False
    agreement.save(update_fields=["is_active"])
    return agreement


# ---------------------------------------------------------------------------------------------------------
# Teams and invitations
# ---------------------------------------------------------------------------------------------------------


def roles_invitable_by(membership: Membership) -> list[tuple[str, str]]:
    """The roles someone may be invited with to this membership's place."""
    if membership.is_vendor_staff:
        roles = Membership.VENDOR_ROLES
    elif membership.organization.is_distributor:
        roles = Membership.DISTRIBUTOR_ROLES
    else:
        roles = Membership.RESELLER_ROLES
    return [(role.value, role.label) for role in roles]


@transaction.atomic
def invite_member(*, actor: Actor, email: str, role: str) -> Invitation:
    """Email a link that makes `email` a member of the actor's place (organisation or vendor staff)."""
    membership = actor.membership
    require_perm(membership, team_perm(membership))
    email = email.strip().lower()
    if role not in dict(roles_invitable_by(membership)):
        raise ValidationError({"role": "Choose one of the roles offered."})
    if selectors.team_of(membership=membership).filter(user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member here."})
    if selectors.open_invitations_of(membership=membership).filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": f"{email} already has an open invitation; revoke it first to send a new one."}
        )
    invitation = Invitation.objects.create(
        vendor=membership.vendor,
        organization=membership.organization,
        email=email,
        role=role,
        invited_by=actor.user,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    send_email(
        to=[email],
        template="invitation",
        context={
            "invitation": invitation,
            "place_name": membership.place_name,
            "role_label": invitation.get_role_display(),
            "accept_url": absolute_url(reverse("invitation_accept", args=[invitation.token])),
        },
        vendor=membership.vendor,
        event_key=f"invitation:{invitation.pk}",
        holds_secret=True,  # the accept link is the invitation
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: Actor) -> Invitation:
    membership = actor.membership
    require_perm(membership, team_perm(membership))
    if (
        invitation.vendor_id != membership.vendor_id
        or invitation.organization_id != membership.organization_id
    ):
        raise PermissionDenied("This invitation belongs to another team.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, vendor=invitation.vendor)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted; remove the member instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


class InvitationUnusable(Exception):
    """The link cannot make anyone a member (expired, revoked, used by someone else, other email)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def invitation_problem(invitation: Invitation, user: User | None = None) -> InvitationUnusable | None:
    """Why this invitation cannot be accepted (by `user`, if given), or None."""
    if invitation.revoked_at is not None:
        return InvitationUnusable("revoked", "This invitation was withdrawn by the person who sent it.")
    if invitation.accepted_at is not None and (user is None or invitation.accepted_by_id != user.pk):
        return InvitationUnusable("used", "This invitation has already been used.")
    if invitation.accepted_at is None and invitation.is_expired:
        return InvitationUnusable(
            "expired", "This invitation has expired. Ask the person who invited you to send a new one."
        )
    if user is not None and user.email.lower() != invitation.email.lower():
        return InvitationUnusable(
            "wrong_email",
            f"This invitation was sent to {invitation.email}, but you are logged in as {user.email}. "
            "Log out and sign in with that address to accept it.",
        )
    return None


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Make the invited person a member. Accepting twice returns the same membership.

    A person who is already a member keeps their role; a former member comes back with the invited one.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, vendor=invitation.vendor)
    problem = invitation_problem(invitation, user)
    if problem:
        raise problem
    membership = Membership.objects.filter(
        user=user, vendor=invitation.vendor, organization=invitation.organization
    ).first()
    if invitation.accepted_at is not None:
        # Opening the link again is harmless, but it never brings back a member who was removed since.
        if membership is None or not membership.is_active:
            raise InvitationUnusable("used", "This invitation has already been used.")
        return membership
    if membership is None:
        membership = Membership.objects.create(
            user=user, vendor=invitation.vendor, organization=invitation.organization, role=invitation.role
        )
    elif not membership.is_active:
        membership.is_active = True
        membership.role = invitation.role
        membership.save(update_fields=["is_active", "role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def remove_member(*, member: Membership, actor: Actor) -> Membership:
    """Take someone out of the team. A team always keeps at least one admin."""
    membership = actor.membership
    require_perm(membership, team_perm(membership))
    if member.vendor_id != membership.vendor_id or member.organization_id != membership.organization_id:
        raise PermissionDenied("This person belongs to another team.")
    admin_role = Role.VENDOR_ADMIN if membership.is_vendor_staff else Role.PARTNER_ADMIN
    team = selectors.team_of(membership=membership).select_for_update()
    if member.role == admin_role and not team.filter(role=admin_role).exclude(pk=member.pk).exists():
        raise ValidationError(
            f"{member.user.email} is the last {admin_role.label.lower()}; "
            "invite another one before removing them."
        )
    member.is_active = False
    member.save(update_fields=["is_active"])
    return member
