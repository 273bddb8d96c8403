"""allauth's emails (address verification, password reset) go through the outbox, sent after the commit."""

from django.core import mail
from django.urls import reverse

from notifications import outbox
from notifications.models import OutboxEmail
from tests.factories import UserFactory

Status = OutboxEmail.Status
SIGNUP = {"email": "lee@example.com", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"}


def test_the_signup_verification_email_waits_in_the_outbox_until_the_commit(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
        assert response.status_code == 302
        [queued] = OutboxEmail.objects.all()
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert queued.to == "lee@example.com"
    assert queued.status == Status.PENDING
    assert queued.event_type == "account:email_confirmation_signup"
    assert queued.vendor is None
    assert "/accounts/confirm-email/" in queued.text

    # After the commit the delivery task (eager in tests) sends it, exactly as rendered.
    [sent] = mail.outbox
    assert sent.to == ["lee@example.com"]
    assert sent.subject == queued.subject
    assert sent.subject.startswith("[Deal registration] ")
    assert "/accounts/confirm-email/" in sent.body
    queued.refresh_from_db()
    assert queued.status == Status.SENT


def test_the_password_reset_email_is_queued_and_delivered_by_the_worker(client, db):
    UserFactory(email="kim@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "kim@example.com"})
    assert response.status_code == 302
    [queued] = OutboxEmail.objects.filter(to="kim@example.com")
    assert queued.event_type == "account:password_reset_key"
    assert "/accounts/password/reset/key/" in queued.text
    assert mail.outbox == []  # the request's transaction never committed in this test: nothing sent

    report = outbox.deliver_all_due()

    assert report.sent == 1
    [sent] = mail.outbox
    assert sent.to == ["kim@example.com"]
    assert "/accounts/password/reset/key/" in sent.body
    assert sent.extra_headers["Message-ID"] == outbox.message_for(queued).extra_headers["Message-ID"]


def test_an_smtp_outage_delays_the_reset_email_instead_of_losing_it(client, db, settings):
    UserFactory(email="kim@example.com")
    client.post(reverse("account_reset_password"), {"email": "kim@example.com"})
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.FlakySMTP"
    from tests.notifications.test_outbox import FlakySMTP

    FlakySMTP.failures, FlakySMTP.accepted = 1, []
    assert outbox.deliver_all_due().failed == 1
    [queued] = OutboxEmail.objects.all()
    assert queued.status == Status.PENDING and "SMTP server unavailable" in queued.last_error

    assert outbox.deliver_all_due(now=queued.next_attempt_at).sent == 1
    assert [m.to for m in FlakySMTP.accepted] == [["kim@example.com"]]


def test_two_reset_requests_are_two_emails(client, db):
    """Each request makes a new link: account emails are never deduplicated like replayed events."""
    UserFactory(email="kim@example.com")
    for _ in range(2):
        client.post(reverse("account_reset_password"), {"email": "kim@example.com"})
    keys = list(OutboxEmail.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == 2 and len(set(keys)) == 2
