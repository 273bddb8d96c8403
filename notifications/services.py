"""The one way the portal tells people things: in-app notifications and the email outbox.

Other apps call ``send_email()`` (one-off emails such as invitations), ``queue_prepared_email()``
(emails rendered elsewhere: allauth's verification and password-reset emails) or record a DealEvent, whose
notifications ``deal_event_recorded()`` writes; the periodic jobs call ``notify_deals()``. Nothing
else sends mail: emails become OutboxEmail rows inside a transaction and ``notifications.outbox``
delivers them.

Why nothing is lost: a deal's change and its DealEvent commit together; the event's notifications
and emails commit together with a DispatchedEvent row; an event without that row (a crash between
the two commits) is dispatched by the sweep job. Why nothing is sent twice: every notification and
email has a unique idempotency key, and the dispatch row is claimed before any work is done.
"""

import logging
import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from .events import ACTION_EVENTS, CHANNEL_MANAGERS, EVENT_TYPES, RecipientDirectory
from .models import DispatchedEvent, Notification, NotificationPreference, OutboxEmail

logger = logging.getLogger(__name__)


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """email/<template>_subject.txt, email/<template>.txt and email/<template>.html → subject, text, html."""
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    text = render_to_string(f"email/{template}.txt", context)
    html = render_to_string(f"email/{template}.html", context)
    return subject, text, html


def absolute_url(path: str) -> str:
    return urljoin(settings.SITE_URL, path)


def _schedule_delivery() -> None:
    """After the commit, ask a worker to deliver (the periodic sweep catches anything this misses)."""
    transaction.on_commit(_request_delivery)


def _request_delivery() -> None:
    from .tasks import deliver_outbox  # noqa: PLC0415 — tasks import this module

    try:
        deliver_outbox.delay()
    except Exception:
        # The change is committed and its emails are safe in the outbox; a broker outage must not turn
        # the person's successful action into an error page. The beat's delivery run sends them.
        logger.exception("Could not queue outbox delivery; the periodic run will send the emails.")


def _outbox_rows(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str,
    vendor,
    event_type: str,
    key: str,
    prefix: bool = True,
):
    """One outbox row per distinct address; `prefix=False` for subjects that already carry the prefix."""
    subject_prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX if prefix else ""
    return [
        OutboxEmail(
            vendor=vendor,
            to=address,
            subject=(subject_prefix + subject)[:255],
            text=text,
            html=html,
            event_type=event_type,
            idempotency_key=f"{key}:{address.lower()}"[:200],
        )
        for address in dict.fromkeys(a.strip() for a in to if a and a.strip())
    ]


@transaction.atomic
def send_email(
    *, to: list[str], template: str, context: dict, vendor=None, event_key: str | None = None
) -> int:
    """Queue one email per address in the outbox; returns how many were new.

    `event_key` makes it idempotent: the same key and address is queued once, however often this runs.
    """
    subject, text, html = render_email(template, {**context, "vendor": vendor})
    rows = _outbox_rows(
        to=to,
        subject=subject,
        text=text,
        html=html,
        vendor=vendor,
        event_type=template,
        key=event_key or f"{template}:{uuid.uuid4().hex}",
    )
    created = OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    _schedule_delivery()
    return len(created)


@transaction.atomic
def queue_prepared_email(
    *,
    to: str | list[str],
    subject: str,
    text: str,
    html: str = "",
    idempotency_key: str,
    vendor=None,
    event_type: str = "",
) -> int:
    """Queue an email rendered elsewhere (allauth's account emails) exactly as given; returns rows written.

    The subject is used as it is (allauth already prefixed it). Like send_email, the row commits with the
    caller's transaction and is delivered by the outbox worker after the commit.
    """
    rows = _outbox_rows(
        to=[to] if isinstance(to, str) else list(to),
        subject=subject,
        text=text,
        html=html,
        vendor=vendor,
        event_type=event_type[:40],
        key=idempotency_key,
        prefix=False,
    )
    created = OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    _schedule_delivery()
    return len(created)


# --- deal notifications ------------------------------------------------------------------------


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
    notifications, emails = [], []
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
                    "vendor": deal.vendor,
                    "program": deal.vendor.program,
                    "recipient": user,
                    "audience": audience,
                    "deal_url": absolute_url(path),
                    "site_url": settings.SITE_URL,
                }
                key = f"{notice.key}:{user.pk}"
                subject, text, html = render_email(template, context)
                notifications.append(
                    Notification(
                        vendor=deal.vendor,
                        user=user,
                        deal=deal,
                        event_type=event_type.key,
                        title=subject[:200],
                        body=event_type.render_summary(context),
                        url=path,
                        idempotency_key=key,
                    )
                )
                if directory.wants_email(user, event_type.key):
                    emails += _outbox_rows(
                        to=[user.email],
                        subject=subject,
                        text=text,
                        html=html,
                        vendor=deal.vendor,
                        event_type=event_type.key,
                        key=key,
                    )
    with scopes_disabled():
        Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=500)
    OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True, batch_size=500)
    if emails:
        _schedule_delivery()
    return len(notifications)


def notify_participants_added(*, deal, participants, actor=None) -> int:
    """Tell the partner admins of each organisation newly on a co-sell registration.

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


def claim_keys(table: str, columns: tuple[str, ...], rows: list[tuple]) -> set[tuple]:
    """INSERT rows, skipping those whose unique key exists; returns the rows this call inserted.

    The unique index is the lock: a second worker inserting the same key waits for the first to
    commit, then skips it. Rows are sorted so two workers take the index locks in the same order.
    Works on PostgreSQL and SQLite (both know ON CONFLICT ... RETURNING).
    """
    if not rows:
        return set()
    rows = sorted(set(rows))
    quote = connection.ops.quote_name
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES {placeholders} "
        f"ON CONFLICT DO NOTHING RETURNING {', '.join(quote(c) for c in columns)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
        return {tuple(r) for r in cursor.fetchall()}


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
    from deals.models import DealEvent  # noqa: PLC0415 — deals imports this module

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
        notices = [
            DealNotice(
                deal=event.deal,
                event_type=ACTION_EVENTS[event.action],
                key=f"event:{event.pk}",
                event=event,
                context={"quote": _latest_quote(event.deal)},
                exclude_user_id=None
                if EVENT_TYPES[ACTION_EVENTS[event.action]].include_actor
                else event.actor_id,
            )
            for event in events
            if not _is_first_quote(event) and not _is_won_side_of_renewal(event)
        ]
        notify_deals(notices)
    return len(claimed_ids)


def _latest_quote(deal):
    quotes = getattr(deal, "quotes", None)
    return quotes.order_by("-sequence").first() if quotes is not None else None


def _is_won_side_of_renewal(event) -> bool:
    """A win records the renewal it opened on both deals; the news is the renewal, the deal to act on."""
    from deals.models import DealState  # noqa: PLC0415 — deals imports this module

    return event.action == "renewal_opened" and event.deal.state == DealState.WON


def _is_first_quote(event) -> bool:
    """The first quote is issued by the approval itself; the approval email already carries it."""
    if event.action != "quote_issued" or event.actor_id is not None:
        return False
    previous = (
        event.deal.events.filter(pk__lt=event.pk).order_by("-pk").values_list("action", flat=True).first()
    )
    return previous == "approve"


# --- in-app inbox and preferences -------------------------------------------------------------


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's notifications read; False when it is not theirs (or does not exist)."""
    with scopes_disabled():
        updated = Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return updated == 1 or Notification.objects.filter(pk=notification_id, user=user).exists()


def notification_mark_all_read(*, user, vendor=None) -> int:
    with scopes_disabled():
        unread = Notification.objects.filter(user=user, read_at__isnull=True)
        if vendor is not None:
            unread = unread.filter(vendor=vendor)
        return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, email_on: set[str]) -> None:
    """Email for exactly the event types in `email_on`; unknown keys are refused."""
    unknown = set(email_on) - EVENT_TYPES.keys()
    if unknown:
        raise ValueError(f"Unknown event types: {', '.join(sorted(unknown))}")
    for key in EVENT_TYPES:
        NotificationPreference.objects.update_or_create(
            user=user, event_type=key, defaults={"email": key in email_on}
        )
