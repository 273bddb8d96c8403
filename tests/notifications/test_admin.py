"""Installation staff see the outbox (and why an email gave up) and can send failed emails again."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from notifications.models import Notification, OutboxEmail, SentReminder
from tests.helpers import approved_deal


@pytest.fixture
def rows(reseller, partner_user, vendor):
    deal = approved_deal(organization=reseller, registered_by=partner_user, at=timezone.now())
    with scopes_disabled():
        Notification.objects.create(
            vendor=vendor, user=partner_user, deal=deal, title="Hi", idempotency_key="n1"
        )
        SentReminder.objects.create(deal=deal, kind="expiry_warning", period="p1")
    return OutboxEmail.objects.create(
        to="a@example.com",
        subject="Hello",
        text="Hi",
        idempotency_key="e1",
        status=OutboxEmail.Status.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected: gone",
    )


@pytest.mark.parametrize("model", ["outboxemail", "notification", "notificationpreference", "sentreminder"])
def test_every_notifications_list_opens(staff_client, rows, model):
    response = staff_client.get(reverse(f"admin:notifications_{model}_changelist"))
    assert response.status_code == 200


def test_a_failed_email_shows_its_error_and_can_be_retried(staff_client, rows):
    page = staff_client.get(
        reverse("admin:notifications_outboxemail_change", args=[rows.pk])
    ).content.decode()
    assert "SMTPServerDisconnected: gone" in page
    staff_client.post(
        reverse("admin:notifications_outboxemail_changelist"),
        {"action": "retry_now", "_selected_action": [rows.pk]},
    )
    rows.refresh_from_db()
    assert (rows.status, rows.attempts) == (OutboxEmail.Status.PENDING, 0)
