"""The one way the portal tells people things: in-app notifications and the email outbox.

Other apps call ``send_email()`` (one-off emails such as invitations), ``queue_prepared_email()``
(emails rendered elsewhere: allauth's verification and password-reset emails) or ``deliver()`` (one
event to the people the app chose: deals.services.notices decides who hears about a deal). Nothing
else sends mail: emails become OutboxEmail rows inside a transaction and ``notifications.outbox``
delivers them. This app imports no other app of the portal: they call it.

Why nothing is sent twice: every notification and email has a unique idempotency key, and
``claim_keys`` lets the callers claim a ledger row before any work is done.
"""

import logging
import uuid
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_scopes import scopes_disabled

from .events import EVENT_TYPES
from .models import Notification, NotificationPreference, OutboxEmail

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
    holds_secret: bool = False,
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
            holds_secret=holds_secret,
            idempotency_key=f"{key}:{address.lower()}"[:200],
        )
        for address in dict.fromkeys(a.strip() for a in to if a and a.strip())
    ]


@transaction.atomic
def send_email(
    *,
    to: list[str],
    template: str,
    context: dict,
    vendor=None,
    event_key: str | None = None,
    holds_secret: bool = False,
) -> int:
    """Queue one email per address in the outbox; returns how many were new.

    `event_key` makes it idempotent: the same key and address is queued once, however often this runs.
    `holds_secret`: the body carries a live link (e.g. an invitation), blanked once delivered.
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
        holds_secret=holds_secret,
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
    holds_secret: bool = False,
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
        holds_secret=holds_secret,
    )
    created = OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    _schedule_delivery()
    return len(created)


# --- notifications of one event to many people ----------------------------------------------------


@dataclass
class Delivery:
    """One person hearing about one thing: in-app always, by email unless they switched it off.

    The app that knows the thing (deals.services.notices for deals) decides who hears it and passes
    the template context; notifications renders, stores and emails it.
    """

    user: object
    vendor: object
    event_type: str  # a key of notifications.events.EVENT_TYPES
    template: str  # templates/email/<template>{_subject.txt,.txt,.html}
    context: dict
    path: str  # where the notification links to
    key: str  # unique per person and occasion: the same key twice is written once
    deal: object = None


def deliver(deliveries: list[Delivery]) -> int:
    """Write the in-app notifications and outbox emails of these deliveries; returns notifications written.

    Must run inside the transaction that records why (an event's dispatch row, a reminder ledger row).
    """
    if not deliveries:
        return 0
    email_off = set(
        NotificationPreference.objects.filter(
            user_id__in={d.user.pk for d in deliveries}, email=False
        ).values_list("user_id", "event_type")
    )
    notifications, emails = [], []
    for delivery in deliveries:
        event_type = EVENT_TYPES[delivery.event_type]
        context = {
            **delivery.context,
            "vendor": delivery.vendor,
            "recipient": delivery.user,
            "deal_url": absolute_url(delivery.path),
            "site_url": settings.SITE_URL,
        }
        subject, text, html = render_email(delivery.template, context)
        notifications.append(
            Notification(
                vendor=delivery.vendor,
                user=delivery.user,
                deal=delivery.deal,
                event_type=event_type.key,
                title=subject[:200],
                body=event_type.render_summary(context),
                url=delivery.path,
                idempotency_key=delivery.key,
            )
        )
        if (delivery.user.pk, event_type.key) not in email_off:
            emails += _outbox_rows(
                to=[delivery.user.email],
                subject=subject,
                text=text,
                html=html,
                vendor=delivery.vendor,
                event_type=event_type.key,
                key=delivery.key,
            )
    with scopes_disabled():
        Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=500)
    OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True, batch_size=500)
    if emails:
        _schedule_delivery()
    return len(notifications)


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
