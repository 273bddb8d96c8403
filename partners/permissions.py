"""What each role may do. Views, services and FSM transitions ask here, nowhere else."""

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


def perms_for(membership: Membership | None) -> frozenset[str]:
    """The perms a membership holds right now, for templates ({% if 'review_deals' in perms_here %})."""
    if membership is None:
        return frozenset()
    return frozenset(p.value for p in ROLE_PERMS.get(membership.role, ()) if has_perm(membership, p))


class Actor:
    """Who is acting: a person in one of their memberships, or the system (beat jobs).

    FSM transition permissions receive an Actor; so do services.
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

    @classmethod
    def from_request(cls, request):
        """The actor the tenant middleware attached to the request (views can read ``request.actor``)."""
        actor = getattr(request, "actor", None)
        return actor if actor is not None else cls(request.user, request.membership)

    @property
    def organization(self):
        return self.membership.organization if self.membership else None

    def has(self, perm: Perm) -> bool:
        return self.is_system or has_perm(self.membership, perm)

    def _same_vendor(self, deal) -> bool:
        return self.membership is not None and self.membership.vendor_id == deal.vendor_id

    def may_view(self, deal) -> bool:
        if self.is_system:
            return True
        if not self._same_vendor(deal):
            return False
        if has_perm(self.membership, Perm.VIEW_VENDOR_DEALS):
            return True
        return deal_visibility_q(self.membership, self.user) is not None and _matches_visibility(self, deal)

    def may_register_for(self, deal) -> bool:
        """Edit, submit, resubmit, withdraw, post updates, ask for extensions, mark lost."""
        if not (self._same_vendor(deal) and has_perm(self.membership, Perm.REGISTER_DEALS)):
            return False
        org_id = self.membership.organization_id
        if org_id == deal.organization_id:
            return self.membership.role == Role.PARTNER_ADMIN or deal.registered_by_id == self.user.pk
        # A distributor registering on behalf of one of its resellers keeps the deals it registered.
        return org_id == deal.distributor_id and deal.registered_by_id == self.user.pk

    def may_order(self, deal) -> bool:
        if not (self._same_vendor(deal) and has_perm(self.membership, Perm.PLACE_ORDERS)):
            return False
        party = deal.vendor.program.ordering_party
        org_id = self.membership.organization_id
        by_distributor = org_id == deal.distributor_id and party in ("distributor", "either")
        by_partner = org_id == deal.organization_id and party in ("partner", "either") and self.may_view(deal)
        return by_distributor or by_partner

    def may_quote(self, deal) -> bool:
        """Issue a further quote: the registering partner, the deal's distributor, or a channel manager."""
        if self.is_system:
            return True
        if not self.may_view(deal):
            return False
        if self.has(Perm.REVIEW_DEALS) or self.may_register_for(deal):
            return True
        return self.membership.organization_id == deal.distributor_id and self.has(Perm.PLACE_ORDERS)


SYSTEM = Actor(is_system=True)


def deal_visibility_q(membership: Membership | None, user):
    """The filter of deals a membership may see, or None for none at all. One place for every list."""
    from django.db.models import Q

    if membership is None or not membership.is_active:
        return None
    if role_grants(membership.role, Perm.VIEW_VENDOR_DEALS):
        return Q(vendor_id=membership.vendor_id)
    org_id = membership.organization_id
    if membership.role == Role.PARTNER_ADMIN:
        own = Q(organization_id=org_id)
        # A distributor's admin also sees what is routed to the distributor; a reseller's admin also the
        # co-sell registrations its organisation takes part in (to look at, not to change).
        return own | _routed_q(org_id) | _participating_q(org_id)
    if membership.role == Role.PARTNER_USER:
        # Only their own registrations: co-sell deals their organisation joined are for its admins.
        return Q(organization_id=org_id, registered_by=user)
    if membership.role == Role.DISTRIBUTOR_USER:
        return _routed_q(org_id)
    return None


def _routed_q(distributor_id):
    from django.db.models import Q

    # Hidden deals show to the distributor only once approved.
    return Q(distributor_id=distributor_id) & (
        Q(hidden_from_distributor=False) | Q(approved_at__isnull=False)
    )


def _participating_q(organization_id):
    from django.db.models import Q

    from deals.models import DealParticipant  # deals imports this module

    # A subquery, not a join: a deal with several participants must not come back several times.
    # The base manager is unscoped on purpose: the outer query carries the vendor (and its scope).
    participations = DealParticipant._base_manager.filter(organization_id=organization_id)
    return Q(pk__in=participations.values("deal_id"))


def _takes_part(deal, organization_id) -> bool:
    from deals.models import DealParticipant  # deals imports this module

    return DealParticipant._base_manager.filter(deal_id=deal.pk, organization_id=organization_id).exists()


def _matches_visibility(actor: Actor, deal) -> bool:
    """Python twin of deal_visibility_q for a single loaded deal (kept beside it on purpose)."""
    m = actor.membership
    routed = deal.distributor_id == m.organization_id and (
        not deal.hidden_from_distributor or deal.approved_at is not None
    )
    if m.role == Role.PARTNER_ADMIN:
        own = deal.organization_id == m.organization_id
        return own or routed or (deal.pk is not None and _takes_part(deal, m.organization_id))
    if m.role == Role.PARTNER_USER:
        return deal.organization_id == m.organization_id and deal.registered_by_id == actor.user.pk
    if m.role == Role.DISTRIBUTOR_USER:
        return routed
    return False
