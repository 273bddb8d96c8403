"""Delivery of the email outbox: claim → send → mark, with a lease, retries and exponential backoff.

Why not exactly-once? SMTP cannot take part in a database transaction: a worker can have an email
accepted by the server and crash before it records that. So delivery is *at-least-once*, made as
close to exactly-once as the protocol allows:

1. Claim (short transaction): due rows are locked with ``SELECT ... FOR UPDATE SKIP LOCKED`` and set to
   ``sending`` with a fresh claim token and a lease. A second worker skips locked rows and, after the
   commit, no longer sees them as due — two workers never send one row at the same time.
2. Send, outside any transaction (an SMTP call must not hold row locks).
3. Mark (one row per transaction, right after its send): ``sent``, conditional on still holding the
   claim token; an email that ``holds_secret`` (a live password-reset or invitation link) has its bodies
   replaced by ``REDACTED`` in the same update: a delivered one leaves no readable secret behind.
   A failure sets the row back to ``pending`` with ``next_attempt_at`` pushed out
   exponentially, and after MAX_ATTEMPTS to ``failed`` (visible in the admin).

A crash before step 3 leaves the row ``sending``; when the lease expires another worker sends it
again. That is the one window where an email can go out twice, and it is as small as one SMTP call;
the Message-ID derived from the idempotency key lets mail servers and clients recognise the repeat.
A crash anywhere else loses nothing and repeats nothing: the row was committed with the change it
reports, and the unique idempotency key keeps a replayed event or job from queueing it twice.
"""

import hashlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxEmail

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # far longer than one SMTP call (EMAIL_TIMEOUT)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)

Status = OutboxEmail.Status

# What a delivered secret-bearing email's body becomes: the subject, recipient and status are all that
# staff need to see what was sent.
REDACTED = "[body removed after delivery]"


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 1, 2, 4, 8 … minutes, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # will be retried
    given_up: int = 0

    def __add__(self, other):
        return DeliveryReport(
            self.sent + other.sent, self.failed + other.failed, self.given_up + other.given_up
        )

    @property
    def handled(self):
        return self.sent + self.failed + self.given_up


# Reports collecting every delivery made in this thread while a `recording()` block is open.
_recordings: ContextVar[tuple["DeliveryReport", ...]] = ContextVar("outbox_recordings", default=())


@contextmanager
def recording() -> Iterator[DeliveryReport]:
    """A report of everything this thread delivers inside the block, whoever asks for the delivery.

    Why: with eager Celery (no broker) each job's after-commit hook delivers its emails at once, so a
    caller's own delivery step finds nothing left and its report alone would say "0 sent".
    """
    report = DeliveryReport()
    token = _recordings.set((*_recordings.get(), report))
    try:
        yield report
    finally:
        _recordings.reset(token)


def _record(report: DeliveryReport) -> None:
    for recording_report in _recordings.get():
        recording_report.sent += report.sent
        recording_report.failed += report.failed
        recording_report.given_up += report.given_up


def _due(now: datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_expires_at__lte=now
    )


def claim(*, now: datetime, limit: int) -> list[OutboxEmail]:
    """Take up to `limit` due emails for this worker (rows another worker has locked are skipped)."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        # Conditional as well as locked: on a database without row locks (SQLite) the condition
        # alone decides who owns a row.
        OutboxEmail.objects.filter(_due(now), pk__in=ids).update(
            status=Status.SENDING,
            claim_token=token,
            lease_expires_at=now + LEASE,
            attempts=F("attempts") + 1,
        )
    return list(OutboxEmail.objects.filter(claim_token=token, status=Status.SENDING).order_by("id"))


def message_for(email: OutboxEmail) -> EmailMultiAlternatives:
    digest = hashlib.sha256(email.idempotency_key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">").strip() or "localhost"
    message = EmailMultiAlternatives(
        email.subject,
        email.text,
        settings.DEFAULT_FROM_EMAIL,
        [email.to],
        headers={"Message-ID": f"<{digest}@{domain}>"},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def _mark_sent(email: OutboxEmail, now: datetime) -> None:
    redacted = {"text": REDACTED, "html": ""} if email.holds_secret else {}
    OutboxEmail.objects.filter(pk=email.pk, claim_token=email.claim_token, status=Status.SENDING).update(
        status=Status.SENT, sent_at=now, lease_expires_at=None, last_error="", **redacted
    )


def _mark_failed(email: OutboxEmail, now: datetime, error: Exception) -> bool:
    """Back to pending with a later attempt, or failed for good; True when given up."""
    give_up = email.attempts >= MAX_ATTEMPTS
    OutboxEmail.objects.filter(pk=email.pk, claim_token=email.claim_token, status=Status.SENDING).update(
        status=Status.FAILED if give_up else Status.PENDING,
        next_attempt_at=now + backoff(email.attempts),
        lease_expires_at=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    return give_up


def deliver_due(*, now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """One pass: claim up to `limit` due emails, send each, record the outcome of each."""
    now = now or timezone.now()
    report = DeliveryReport()
    emails = claim(now=now, limit=limit)
    if not emails:
        return report
    connection = get_connection(fail_silently=False)
    for email in emails:
        try:
            connection.send_messages([message_for(email)])
        except Exception as exc:  # any SMTP / network failure: retry later
            logger.warning("Sending email %s to %s failed: %s", email.pk, email.to, exc)
            if _mark_failed(email, now, exc):
                report.given_up += 1
            else:
                report.failed += 1
        else:
            _mark_sent(email, now)
            report.sent += 1
    _record(report)
    return report


def deliver_all_due(
    *, now: datetime | None = None, batch: int = 100, max_batches: int = 50
) -> DeliveryReport:
    """Passes until nothing due is left (bounded, so one call never runs forever)."""
    total = DeliveryReport()
    for _ in range(max_batches):
        report = deliver_due(now=now, limit=batch)
        total += report
        if report.handled < batch:
            break
    return total
