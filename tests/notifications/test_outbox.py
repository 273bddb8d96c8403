"""The outbox: nothing lost when SMTP fails, nothing sent twice by two workers, crashed claims retried."""

import threading
from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from notifications import outbox
from notifications.models import OutboxEmail
from notifications.services import send_email
from tests.concurrency import race, raised

Status = OutboxEmail.Status


class FlakySMTP(BaseEmailBackend):
    """Fails the first `failures` sends, then accepts; records what it accepted."""

    failures = 0
    accepted: list = []
    lock = threading.Lock()

    def send_messages(self, messages):
        with FlakySMTP.lock:
            if FlakySMTP.failures > 0:
                FlakySMTP.failures -= 1
                raise ConnectionRefusedError("SMTP server unavailable")
            FlakySMTP.accepted.extend(messages)
        return len(messages)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.FlakySMTP"
    FlakySMTP.failures = 0
    FlakySMTP.accepted = []
    return FlakySMTP


def queue(count: int, *, vendor=None) -> list[OutboxEmail]:
    for n in range(count):
        send_email(
            to=[f"person{n}@example.com"],
            template="deal_withdrawn",
            context={"deal": {"deal_number": f"DR-{n:06d}", "company_name": "Initech"}, "event": None},
            vendor=vendor,
            event_key=f"test:{n}",
        )
    return list(OutboxEmail.objects.order_by("id"))


def test_send_email_queues_each_address_once_per_key(db, vendor):
    for _ in range(2):
        send_email(
            to=["a@example.com", "b@example.com", "a@example.com"],
            template="deal_withdrawn",
            context={"deal": {"deal_number": "DR-000001", "company_name": "Initech"}},
            vendor=vendor,
            event_key="withdrawn:1",
        )
    assert sorted(OutboxEmail.objects.values_list("to", flat=True)) == ["a@example.com", "b@example.com"]
    assert OutboxEmail.objects.filter(status=Status.PENDING).count() == 2


def test_smtp_failing_then_recovering_delivers_every_email_exactly_once(db, smtp):
    queue(5)
    smtp.failures = 7  # the server is down for a while: every email fails at least once
    now = timezone.now()
    for _ in range(20):  # a worker passing by every ten minutes
        outbox.deliver_all_due(now=now)
        now += timedelta(minutes=10)
    assert sorted(m.to[0] for m in smtp.accepted) == [f"person{n}@example.com" for n in range(5)]
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {Status.SENT}
    assert OutboxEmail.objects.filter(attempts__gt=1).exists()


def test_a_failure_waits_with_exponential_backoff(db, smtp):
    [email] = queue(1)
    smtp.failures = 3
    now = timezone.now()
    outbox.deliver_due(now=now)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (
        Status.PENDING,
        1,
        now + timedelta(minutes=1),
    )
    assert "SMTP server unavailable" in email.last_error
    assert outbox.deliver_due(now=now + timedelta(seconds=59)).handled == 0  # not due yet
    outbox.deliver_due(now=now + timedelta(minutes=1))
    email.refresh_from_db()
    assert email.next_attempt_at == now + timedelta(minutes=1) + timedelta(minutes=2)
    assert [outbox.backoff(n) for n in (1, 2, 3, 4, 20)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
        timedelta(hours=6),
    ]


def test_it_gives_up_after_the_last_attempt_and_keeps_the_error(db, smtp):
    [email] = queue(1)
    smtp.failures = 1000
    now = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS + 3):
        outbox.deliver_due(now=now)
        now += timedelta(days=1)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, outbox.MAX_ATTEMPTS)
    assert email.last_error


def test_a_crashed_claim_is_retried_when_its_lease_runs_out(db, smtp):
    [email] = queue(1)
    now = timezone.now()
    claimed = outbox.claim(now=now, limit=10)  # the worker claims … and dies before sending
    assert [e.pk for e in claimed] == [email.pk]
    assert outbox.deliver_due(now=now + timedelta(minutes=1)).handled == 0  # still leased
    report = outbox.deliver_due(now=now + outbox.LEASE)
    assert report.sent == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 2)
    assert len(smtp.accepted) == 1


def test_a_late_worker_cannot_mark_a_row_it_no_longer_holds(db, smtp):
    [email] = queue(1)
    now = timezone.now()
    [stale_claim] = outbox.claim(now=now, limit=1)
    outbox.deliver_due(now=now + outbox.LEASE)  # another worker took over and sent it
    outbox._mark_failed(stale_claim, now, RuntimeError("late"))
    email.refresh_from_db()
    assert email.status == Status.SENT and email.last_error == ""


def test_the_message_id_comes_from_the_idempotency_key(db, smtp):
    [email] = queue(1)
    outbox.deliver_due()
    [message] = smtp.accepted
    assert message.extra_headers["Message-ID"] == outbox.message_for(email).extra_headers["Message-ID"]
    assert message.alternatives and message.alternatives[0][1] == "text/html"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_email_once(smtp):
    # Rows written directly: send_email would deliver them itself right after its commit.
    OutboxEmail.objects.bulk_create(
        OutboxEmail(to=f"person{n}@example.com", subject="Hello", text="Hi", idempotency_key=f"k{n}")
        for n in range(60)
    )

    def worker():
        for _ in range(10):
            outbox.deliver_due(limit=7)

    assert raised(race([worker, worker])) == []
    sent_to = [m.to[0] for m in smtp.accepted]
    assert len(sent_to) == 60 and len(set(sent_to)) == 60
    assert OutboxEmail.objects.filter(status=Status.SENT).count() == 60


def test_a_broker_outage_after_the_commit_loses_no_email(
    db, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import tasks

    def broker_down():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.deliver_outbox, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        queue(2)  # no exception reaches the caller
    assert OutboxEmail.objects.filter(status=Status.PENDING).count() == 2
    assert outbox.deliver_all_due().sent == 2  # the periodic run sends them
