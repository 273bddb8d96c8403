"""Who may see a deal, and who may act on it: the one place every page, service, transition and list asks.

Each rule exists twice on purpose, side by side: as a query filter for lists (`deal_visibility_q`) and
as a check of one loaded deal (`may_view`). Roles and their perms are partners.permissions'; what a
role means for a deal is decided here.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django_scopes import scopes_disabled

from partners.models import Membership
from partners.permissions import Actor, Perm, has_perm, role_grants

from .models.participants import DealParticipant
from .models.states import DealState

Role = Membership.Role


# --- the distributor -------------------------------------------------------------------------------


def routed_q(distributor_id) -> Q:
    """Deals routed through this distributor that it may see: hidden ones only once approved."""
    return Q(distributor_id=distributor_id) & (
        Q(hidden_from_distributor=False) | Q(approved_at__isnull=False)
    )


def distributor_sees(deal) -> bool:
    """Python twin of routed_q: the deal's distributor (if any) may see it now."""
    return bool(deal.distributor_id) and (not deal.hidden_from_distributor or deal.approved_at is not None)


# --- the draft ---------------------------------------------------------------------------------------


def past_draft_q(user) -> Q:
    """A draft belongs to its organisation until it is submitted: anyone else sees a deal only once it
    left the draft, except the person who registers it (a distributor registering for a reseller)."""
    return ~Q(state=DealState.DRAFT) | Q(registered_by=user)


def past_draft(deal, user) -> bool:
    """Python twin of past_draft_q."""
    return deal.state != DealState.DRAFT or deal.registered_by_id == user.pk


# --- seeing ------------------------------------------------------------------------------------------


def _participating_q(organization_id) -> Q:
    # A subquery, not a join: a deal with several participants must not come back several times.
    # Unscoped on purpose: the outer query carries the vendor (and its scope).
    with scopes_disabled():
        participations = DealParticipant.objects.filter(organization_id=organization_id)
    return Q(pk__in=participations.values("deal_id"))


def deal_visibility_q(membership: Membership | None, user) -> Q | None:
    """The filter of deals a membership may see, or None for none at all. One place for every list."""
    if membership is None or not membership.is_active:
        return None
    if role_grants(membership.role, Perm.VIEW_VENDOR_DEALS):
        return Q(vendor_id=membership.vendor_id) & past_draft_q(user)
    org_id = membership.organization_id
    if membership.role == Role.PARTNER_ADMIN:
        # A distributor's admin also sees what is routed to the distributor; a reseller's admin also the
        # co-sell registrations its organisation takes part in (to look at, not to change).
        # Co-sell partners the lead names on its draft see it already (to look at, not to change).
        return Q(organization_id=org_id) | (routed_q(org_id) & past_draft_q(user)) | _participating_q(org_id)
    if membership.role == Role.PARTNER_USER:
        # Only their own registrations: co-sell deals their organisation joined are for its admins.
        return Q(organization_id=org_id, registered_by=user)
    if membership.role == Role.DISTRIBUTOR_USER:
        return routed_q(org_id) & past_draft_q(user)
    return None


def _same_vendor(actor: Actor, deal) -> bool:
    return actor.membership is not None and actor.membership.vendor_id == deal.vendor_id


def _takes_part(deal, organization_id) -> bool:
    if deal.pk is None:
        return False
    with scopes_disabled():  # the deal itself is already this vendor's
        return DealParticipant.objects.filter(deal_id=deal.pk, organization_id=organization_id).exists()


def may_view(actor: Actor, deal) -> bool:
    """Python twin of deal_visibility_q for one loaded deal."""
    if actor.is_system:
        return True
    if not _same_vendor(actor, deal):
        return False
    membership = actor.membership
    if has_perm(membership, Perm.VIEW_VENDOR_DEALS):
        return past_draft(deal, actor.user)
    if deal_visibility_q(membership, actor.user) is None:
        return False
    org_id = membership.organization_id
    routed = deal.distributor_id == org_id and distributor_sees(deal) and past_draft(deal, actor.user)
    if membership.role == Role.PARTNER_ADMIN:
        return deal.organization_id == org_id or routed or _takes_part(deal, org_id)
    if membership.role == Role.PARTNER_USER:
        return deal.organization_id == org_id and deal.registered_by_id == actor.user.pk
    if membership.role == Role.DISTRIBUTOR_USER:
        return routed
    return False


# --- acting ------------------------------------------------------------------------------------------


def may_register_for(actor: Actor, deal) -> bool:
    """Edit, submit, resubmit, withdraw, post updates, add attachments, ask for extensions, mark lost."""
    if not (_same_vendor(actor, deal) and has_perm(actor.membership, Perm.REGISTER_DEALS)):
        return False
    org_id = actor.membership.organization_id
    if org_id == deal.organization_id:
        return actor.membership.role == Role.PARTNER_ADMIN or deal.registered_by_id == actor.user.pk
    # A distributor registering on behalf of one of its resellers keeps the deals it registered.
    return org_id == deal.distributor_id and deal.registered_by_id == actor.user.pk


def may_review(actor: Actor, deal) -> bool:
    """Approve, reject, ask for information, extend, revoke, decide extension requests."""
    # may_view: a channel manager of another vendor holds REVIEW_DEALS too, but not for this deal.
    return actor.has(Perm.REVIEW_DEALS) and may_view(actor, deal)


def may_order(actor: Actor, deal) -> bool:
    """Start and submit the order: the program's ordering party (Program.ordering_party)."""
    if not (_same_vendor(actor, deal) and has_perm(actor.membership, Perm.PLACE_ORDERS)):
        return False
    party = deal.vendor.program.ordering_party
    org_id = actor.membership.organization_id
    by_distributor = org_id == deal.distributor_id and party in ("distributor", "either")
    by_partner = org_id == deal.organization_id and party in ("partner", "either") and may_view(actor, deal)
    return by_distributor or by_partner


def may_quote(actor: Actor, deal) -> bool:
    """Issue a further quote: the registering partner, the deal's distributor, or a channel manager."""
    if actor.is_system:
        return True
    if not may_view(actor, deal):
        return False
    if actor.has(Perm.REVIEW_DEALS) or may_register_for(actor, deal):
        return True
    return actor.membership.organization_id == deal.distributor_id and actor.has(Perm.PLACE_ORDERS)


# --- finding a deal for a page -------------------------------------------------------------------------


def visible_deals(actor: Actor):
    """Every deal of the actor's vendor that the actor may see, for lists (run inside the vendor's scope)."""
    membership = actor.membership
    condition = deal_visibility_q(membership, actor.user)
    deals = membership.vendor.deals
    return deals.filter(condition) if condition is not None else deals.none()


def deal_for(actor: Actor, number: int):
    """The one way a page gets a deal: this vendor's deal with this number, if the actor may see it; else 404.

    "Missing" and "not yours" are the same 404, so a URL never confirms that a deal exists.
    """
    deal = (
        actor.membership.vendor.deals.filter(number=number)
        .select_related("vendor__program", "organization", "distributor", "prospect", "registered_by")
        .first()
    )
    if deal is None or not may_view(actor, deal):
        raise Http404("No such deal registration.")
    return deal


def registrant_deal_for(actor: Actor, number: int):
    """A deal the actor may change as its registering partner: 404 if unseen, 403 if only seen."""
    deal = deal_for(actor, number)
    if not may_register_for(actor, deal):
        raise PermissionDenied("Only the partner who registered this deal, or their admin, can change it.")
    return deal
