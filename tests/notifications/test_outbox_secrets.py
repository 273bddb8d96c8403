"""Live links (password reset, invitation) are secrets: readable by nobody once the email is delivered,
and never shown in the admin, not even while the email waits."""

import re

from django.urls import reverse
from django_scopes import scopes_disabled

from notifications import outbox
from notifications.models import OutboxEmail
from partners.models import Invitation
from tests.factories import UserFactory


def _reset_key(email: OutboxEmail) -> str:
    return re.search(r"/accounts/password/reset/key/([^/\s]+)/", email.text).group(1)


def _rows_containing(secret: str) -> list[OutboxEmail]:
    return [e for e in OutboxEmail.objects.all() if secret in e.text or secret in e.html]


def test_a_delivered_reset_email_keeps_no_reset_key(client, db):
    UserFactory(email="kim@example.com")
    client.post(reverse("account_reset_password"), {"email": "kim@example.com"})
    key = _reset_key(OutboxEmail.objects.get(to="kim@example.com"))

    assert outbox.deliver_all_due().sent == 1

    assert _rows_containing(key) == []
    assert OutboxEmail.objects.get(to="kim@example.com").status == OutboxEmail.Status.SENT


def test_a_delivered_invitation_keeps_no_invitation_token(login, partner_admin, vendor):
    login(partner_admin).post(
        reverse("team", args=[vendor.slug]), {"email": "casey@alpha.example", "role": "partner_user"}
    )
    with scopes_disabled():
        token = Invitation.objects.get(email="casey@alpha.example").token
    assert _rows_containing(str(token))  # waiting to be sent, the link is needed

    outbox.deliver_all_due()

    assert _rows_containing(str(token)) == []


def test_the_admin_never_shows_the_link_of_a_waiting_email(client, staff_client, db):
    UserFactory(email="kim@example.com")
    client.post(reverse("account_reset_password"), {"email": "kim@example.com"})
    queued = OutboxEmail.objects.get(to="kim@example.com")

    page = staff_client.get(reverse("admin:notifications_outboxemail_change", args=[queued.pk]))

    assert page.status_code == 200
    assert _reset_key(queued) not in page.content.decode()
    assert "/accounts/password/reset/key/" not in page.content.decode()
