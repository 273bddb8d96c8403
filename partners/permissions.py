"""What each role may do, and who is acting. What a role means for one deal is deals.access's."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from .models import Membership

Role = Membership.Role


class Perm(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    # partners
    REGISTER_DEALS = "register_deals"  # create, edit, submit, withdraw own organisation's drafts
    VIEW_ORGANIZATION_DEALS = "view_organization_deals"  # every deal of the organisation
    VIEW_ROUTED_DEALS = "view_routed_deals"  # distributor: deals routed through it
    PLACE_ORDERS = "place_orders"
    MANAGE_ORGANIZATION_USERS = "manage_organization_users"
    # vendor staff
    VIEW_VENDOR_DEALS = "view_vendor_deals"
    REVIEW_DEALS = "review_deals"  # approve, reject, request info, extend, revoke
    VIEW_PARTNERS = "view_partners"  # the vendor's partner list and every organisation's page
    MANAGE_PARTNERS = "manage_partners"  # partner applications, suspension, tiers, agreements
    CONFIGURE_PROGRAM = "configure_program"  # products, territories, thresholds, program settings
    MANAGE_VENDOR_STAFF = "manage_vendor_staff"


# Perms that need the member's organisation to be active (a suspended partner can only look).
ACTING_PERMS = frozenset({Perm.REGISTER_DEALS, Perm.PLACE_ORDERS, Perm.MANAGE_ORGANIZATION_USERS})

_CHANNEL_MANAGER = {Perm.VIEW_DASHBOARD, Perm.VIEW_VENDOR_DEALS, Perm.REVIEW_DEALS, Perm.VIEW_PARTNERS}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.PARTNER_USER: frozenset({Perm.VIEW_DASHBOARD, Perm.REGISTER_DEALS, Perm.PLACE_ORDERS}),
    Role.PARTNER_ADMIN: frozenset(
        {
            Perm.VIEW_DASHBOARD,
            Perm.REGISTER_DEALS,
            Perm.PLACE_ORDERS,
            Perm.VIEW_ORGANIZATION_DEALS,
            Perm.MANAGE_ORGANIZATION_USERS,
        }
    ),
    Role.DISTRIBUTOR_USER: frozenset(
        {Perm.VIEW_DASHBOARD, Perm.VIEW_ROUTED_DEALS, Perm.PLACE_ORDERS, Perm.REGISTER_DEALS}
    ),
    Role.CHANNEL_MANAGER: frozenset(_CHANNEL_MANAGER),
    Role.VENDOR_ADMIN: frozenset(
        _CHANNEL_MANAGER | {Perm.MANAGE_PARTNERS, Perm.CONFIGURE_PROGRAM, Perm.MANAGE_VENDOR_STAFF}
    ),
}


def role_grants(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())


def has_perm(membership: Membership | None, perm: Perm) -> bool:
    """True when this membership may do `perm` right now (inactive organisations may only look)."""
    if membership is None or not membership.is_active or not membership.vendor.is_active:
        return False
    if not role_grants(membership.role, perm):
        return False
    inactive_organization = membership.organization_id and not membership.organization.is_active
    return not (perm in ACTING_PERMS and inactive_organization)


def require_perm(membership: Membership | None, perm: Perm) -> None:
    if not has_perm(membership, perm):
        raise PermissionDenied(denial_reason(membership, perm))


def denial_reason(membership: Membership | None, perm: Perm) -> str:
    if membership and membership.organization_id and role_grants(membership.role, perm):
        status = membership.organization.get_status_display().lower()
        return (
            f"Your organisation's membership in this program is {status}; "
            "it cannot do this until it is active."
        )
    return "Your role does not allow this."


def team_perm(membership: Membership) -> Perm:
    """The perm that manages the people of this membership's place: vendor staff or its organisation."""
    return Perm.MANAGE_VENDOR_STAFF if membership.is_vendor_staff else Perm.MANAGE_ORGANIZATION_USERS


def must_use_mfa(membership: Membership | None) -> bool:
    """Vendor staff decide on every partner's deals: their logins need a second factor (TOTP).
    Partners may opt in."""
    return membership is not None and membership.is_vendor_staff


def perms_for(membership: Membership | None) -> frozenset[str]:
    """The perms a membership holds right now, for templates ({% if 'review_deals' in perms_here %})."""
    if membership is None:
        return frozenset()
    return frozenset(p.value for p in ROLE_PERMS.get(membership.role, ()) if has_perm(membership, p))


class Actor:
    """Who is acting: a person in one of their memberships, or the system (beat jobs).

    The tenant middleware attaches one to every vendor request (``request.actor``); FSM transition
    permissions and services receive it.
    """

    def __init__(self, user=None, membership: Membership | None = None, *, is_system: bool = False):
        self.user = user
        self.membership = membership
        self.is_system = is_system

    def __repr__(self):
        return (
            "Actor(system)"
            if self.is_system
            else f"Actor({self.user}, {self.membership and self.membership.role})"
        )

    @property
    def organization(self):
        return self.membership.organization if self.membership else None

    def has(self, perm: Perm) -> bool:
        return self.is_system or has_perm(self.membership, perm)


SYSTEM = Actor(is_system=True)
