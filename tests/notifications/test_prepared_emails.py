"""queue_prepared_email: emails rendered elsewhere enter the outbox as given, once per key and address."""

from django.core import mail

from notifications import outbox
from notifications.models import OutboxEmail
from notifications.services import queue_prepared_email


def test_it_queues_the_email_exactly_as_rendered(db, vendor):
    written = queue_prepared_email(
        to=["a@example.com", "b@example.com", "a@example.com"],
        subject="[Deal registration] Confirm your address",
        text="Follow the link.",
        html="<p>Follow the link.</p>",
        idempotency_key="account:confirm:1",
        vendor=vendor,
        event_type="account:email_confirmation",
    )
    assert written == 2
    rows = list(OutboxEmail.objects.order_by("to"))
    assert [r.to for r in rows] == ["a@example.com", "b@example.com"]
    # The subject already carries the prefix: it is not added a second time.
    assert {r.subject for r in rows} == {"[Deal registration] Confirm your address"}
    assert {(r.text, r.html, r.vendor_id, r.event_type) for r in rows} == {
        ("Follow the link.", "<p>Follow the link.</p>", vendor.pk, "account:email_confirmation")
    }


def test_the_same_key_is_queued_once(db):
    for _ in range(2):
        queue_prepared_email(to="a@example.com", subject="Hi", text="Hello", idempotency_key="k:1")
    assert OutboxEmail.objects.count() == 1


def test_nothing_is_sent_before_the_commit_and_the_worker_sends_it_after(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue_prepared_email(to="a@example.com", subject="Hi", text="Hello", idempotency_key="k:2")
        assert mail.outbox == []
    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (["a@example.com"], "Hi", "Hello")
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT
    assert outbox.deliver_all_due().handled == 0  # sent once, not again
