"""Who hears about what happens to a deal: the deal side of notifications.

An event reaches *audiences* (notifications.events.EVENT_TYPES names them): the partner (who registered
the deal, plus the organisation's admins), the vendor's channel managers, the distributor (when the deal
is routed through one and it may see the deal), or one participating organisation's admins. This module
turns a deal and an audience into people and hands notifications.services.deliver() one Delivery per
person; notifications renders, stores and emails without knowing what a deal is.

Why nothing is lost: a deal's change and its DealEvent commit together; the event's notifications and
emails commit together with a DispatchedEvent row; an event without that row (a crash between the two
commits) is dispatched by the sweep job (deals.jobs.dispatch_missed_events). Why nothing is sent twice:
every notification and email has a unique idempotency key, and the dispatch row is claimed first.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from notifications.events import CHANNEL_MANAGERS, DISTRIBUTOR, EVENT_TYPES, PARTICIPANT, PARTNER
from notifications.models import DispatchedEvent
from notifications.services import Delivery, claim_keys, deliver
from partners.models import Membership

from .. import access
from ..models import Action, DealEvent, DealState

logger = logging.getLogger(__name__)
Role = Membership.Role

# DealEvent.action → event type. Actions not listed (created, edited, progress updates, the automatic
# approved → quoted step) notify nobody.
ACTION_EVENTS = {
    Action.SUBMIT: "deal_submitted",
    Action.RESUBMIT: "deal_submitted",
    Action.REQUEST_INFO: "deal_info_requested",
    Action.APPROVE: "deal_approved",
    Action.REJECT: "deal_rejected",
    Action.QUOTE_ISSUED: "quote_issued",
    Action.EXTENSION_REQUESTED: "extension_requested",
    Action.GRANT_EXTENSION: "extension_granted",
    Action.EXTENSION_DECLINED: "extension_declined",
    Action.EXPIRE: "deal_expired",
    Action.REVOKE: "deal_revoked",
    Action.START_ORDER: "order_started",
    Action.SUBMIT_ORDER: "order_submitted",
    Action.LOSE: "deal_lost",
    Action.WITHDRAW: "deal_withdrawn",
    Action.RENEWAL_OPENED: "renewal_opened",  # told on the renewal, not on the won deal (see below)
}


@dataclass
class DealNotice:
    """One thing to tell about one deal: an event type, its extra context, and a key unique to it."""

    deal: object
    event_type: str
    key: str
    context: dict = field(default_factory=dict)
    event: object = None  # the DealEvent behind it, if any
    exclude_user_id: int | None = None  # the person who acted does not need to hear about it
    organization_id: int | None = None  # whom a one-organisation audience (a co-sell partner) means


class RecipientDirectory:
    """Who hears about a batch of deals, loaded with one query whatever the batch size."""

    def __init__(self, deals, *, organization_ids=()):
        vendor_ids = {d.vendor_id for d in deals}
        org_ids = {d.organization_id for d in deals} | {d.distributor_id for d in deals if d.distributor_id}
        org_ids |= set(organization_ids)  # audiences of one named organisation (PARTICIPANT)
        self._staff = defaultdict(lambda: defaultdict(list))  # vendor → role → users
        self._members = defaultdict(list)  # organisation → memberships
        with scopes_disabled():
            memberships = Membership.objects.filter(
                Q(vendor_id__in=vendor_ids, organization__isnull=True) | Q(organization_id__in=org_ids),
                is_active=True,
                user__is_active=True,
            ).select_related("user")
            for m in memberships:
                if m.organization_id is None:
                    self._staff[m.vendor_id][m.role].append(m.user)
                else:
                    self._members[m.organization_id].append(m)

    def audience(self, deal, audience: str, *, organization_id=None) -> list:
        if audience == PARTNER:
            return self._partner(deal)
        if audience == PARTICIPANT:
            return [m.user for m in self._members[organization_id] if m.role == Role.PARTNER_ADMIN]
        if audience == CHANNEL_MANAGERS:
            staff = self._staff[deal.vendor_id]
            return list(staff[Role.CHANNEL_MANAGER] or staff[Role.VENDOR_ADMIN])
        if audience == DISTRIBUTOR:
            if not access.distributor_sees(deal):
                return []
            return [m.user for m in self._members[deal.distributor_id]]
        raise ValueError(f"Unknown audience {audience}")

    def _partner(self, deal) -> list:
        """The person who registered (while still a member there) and the organisation's admins."""
        users = [m.user for m in self._members[deal.organization_id] if m.role == Role.PARTNER_ADMIN]
        places = [deal.organization_id, deal.distributor_id]
        registrant = next(
            (
                m.user
                for org_id in places
                if org_id
                for m in self._members[org_id]
                if m.user_id == deal.registered_by_id
            ),
            None,
        )
        if registrant is not None and all(u.pk != registrant.pk for u in users):
            users.insert(0, registrant)
        return users


def deal_path(deal, *, for_review: bool = False) -> str:
    name = "deal_review" if for_review else "deal_detail"
    try:
        return reverse(name, args=[deal.vendor.slug, deal.number])
    except NoReverseMatch:
        return reverse("dashboard", args=[deal.vendor.slug])


def notify_deals(notices: list[DealNotice], *, directory: RecipientDirectory | None = None) -> int:
    """Write the in-app notifications and outbox emails of these notices; returns notifications written.

    Must run inside the transaction that records why (the event dispatch, the reminder ledger row).
    """
    if not notices:
        return 0
    directory = directory or RecipientDirectory(
        [n.deal for n in notices], organization_ids={n.organization_id for n in notices if n.organization_id}
    )
    deliveries = []
    for notice in notices:
        event_type = EVENT_TYPES[notice.event_type]
        deal = notice.deal
        for audience, template in event_type.audiences.items():
            path = deal_path(deal, for_review=audience == CHANNEL_MANAGERS)
            for user in directory.audience(deal, audience, organization_id=notice.organization_id):
                if user.pk == notice.exclude_user_id:
                    continue
                context = {
                    **notice.context,
                    "deal": deal,
                    "event": notice.event,
                    "program": deal.vendor.program,
                    "audience": audience,
                }
                deliveries.append(
                    Delivery(
                        user=user,
                        vendor=deal.vendor,
                        event_type=event_type.key,
                        template=template,
                        context=context,
                        path=path,
                        key=f"{notice.key}:{user.pk}",
                        deal=deal,
                    )
                )
    return deliver(deliveries)


def notify_participants_added(*, deal, participants, actor=None) -> int:
    """Tell the partner admins of each organisation newly on a co-sell registration (seed 003).

    Called inside the transaction that adds them: the notice commits with the change, once per
    participant row (its key), so a retry or a second save never repeats it.
    """
    acting_user_id = actor.user.pk if actor is not None and actor.user is not None else None
    return notify_deals(
        [
            DealNotice(
                deal=deal,
                event_type="participant_added",
                key=f"participant:{participant.pk}",
                context={"participant": participant},
                exclude_user_id=acting_user_id,
                organization_id=participant.organization_id,
            )
            for participant in participants
        ]
    )


def deal_event_recorded(*, event_id: int) -> None:
    """Called after commit for every DealEvent.

    The change is already committed: a failure here must not turn it into an error page. The event
    stays undispatched and the sweep job (deals.jobs.dispatch_missed_events) retries it.
    """
    try:
        dispatch_events(event_ids=[event_id])
    except Exception:
        logger.exception("Notifications of deal event %s failed; the sweep will retry.", event_id)


@transaction.atomic
def dispatch_events(*, event_ids: list[int]) -> int:
    """Notify about these deal events, each exactly once; returns how many this call dispatched."""
    now = timezone.now()
    claimed = claim_keys(
        DispatchedEvent._meta.db_table, ("event_id", "dispatched_at"), [(pk, now) for pk in event_ids]
    )
    claimed_ids = [pk for pk, _ in claimed]
    if not claimed_ids:
        return 0
    with scopes_disabled():
        events = list(
            DealEvent.objects.filter(pk__in=claimed_ids, action__in=ACTION_EVENTS.keys()).select_related(
                "deal__vendor__program", "deal__organization"
            )
        )
        notify_deals(
            [
                DealNotice(
                    deal=event.deal,
                    event_type=ACTION_EVENTS[event.action],
                    key=f"event:{event.pk}",
                    event=event,
                    context={"quote": event.deal.quotes.order_by("-sequence").first()},
                    exclude_user_id=None
                    if EVENT_TYPES[ACTION_EVENTS[event.action]].include_actor
                    else event.actor_id,
                )
                for event in events
                if not _is_first_quote(event) and not _is_won_side_of_renewal(event)
            ]
        )
    return len(claimed_ids)


def _is_won_side_of_renewal(event) -> bool:
    """A win records the renewal it opened on both deals; the news is the renewal, the deal to act on."""
    return event.action == Action.RENEWAL_OPENED and event.deal.state == DealState.WON


def _is_first_quote(event) -> bool:
    """The first quote is issued by the approval itself; the approval email already carries it."""
    if event.action != Action.QUOTE_ISSUED or event.actor_id is not None:
        return False
    previous = (
        event.deal.events.filter(pk__lt=event.pk).order_by("-pk").values_list("action", flat=True).first()
    )
    return previous == Action.APPROVE
