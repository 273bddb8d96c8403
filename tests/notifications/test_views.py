"""The inbox, the unread badge and the email preferences page."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from notifications.models import Notification, NotificationPreference


def note(user, vendor, title="DR-000001 was approved", read=False, url="/"):
    with scopes_disabled():
        return Notification.objects.create(
            vendor=vendor,
            user=user,
            event_type="deal_approved",
            title=title,
            body="Protected until 1 May.",
            url=url,
            idempotency_key=f"t:{title}:{user.pk}",
            read_at=timezone.now() if read else None,
        )


def test_the_navbar_shows_the_unread_count(login, partner_user, vendor):
    note(partner_user, vendor, "one")
    note(partner_user, vendor, "two")
    note(partner_user, vendor, "old", read=True)
    page = login(partner_user).get(reverse("dashboard", args=[vendor.slug])).content.decode()
    assert 'id="unread-badge">2<' in page


def test_the_inbox_lists_only_my_notifications_across_vendors(
    login, partner_user, outsider, vendor, other_vendor
):
    note(partner_user, vendor, "Mine at Acme")
    note(outsider, other_vendor, "Someone else's")
    page = login(partner_user).get(reverse("notification_inbox")).content.decode()
    assert "Mine at Acme" in page and "Acme Software" in page
    assert "Someone else" not in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, partner_user, vendor):
    n = note(partner_user, vendor, url=f"/v/{vendor.slug}/")
    response = login(partner_user).post(reverse("notification_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == f"/v/{vendor.slug}/"
    n.refresh_from_db()
    assert n.is_read


def test_someone_elses_notification_is_not_found(login, partner_user, outsider, other_vendor):
    theirs = note(outsider, other_vendor)
    client = login(partner_user)
    assert client.post(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notification_mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_mark_read_with_htmx_returns_the_updated_row(login, partner_user, vendor):
    n = note(partner_user, vendor)
    response = login(partner_user).post(
        reverse("notification_mark_read", args=[n.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert (
        f'id="notification-{n.pk}"' in response.content.decode()
        and "Mark read" not in response.content.decode()
    )


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/phish", "//evil.example/phish", "javascript:alert(1)", "http:///evil.example"],
)
def test_mark_read_never_follows_next_to_another_host(login, partner_user, vendor, target):
    n = note(partner_user, vendor)
    response = login(partner_user).post(reverse("notification_mark_read", args=[n.pk]), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("notification_inbox")
    n.refresh_from_db()
    assert n.is_read


def test_mark_read_follows_next_on_this_host(login, partner_user, vendor):
    n = note(partner_user, vendor)
    back = f"/v/{vendor.slug}/deals/?page=2"
    response = login(partner_user).post(reverse("notification_mark_read", args=[n.pk]), {"next": back})
    assert response.status_code == 302 and response["Location"] == back


def test_mark_all_read(login, partner_user, vendor):
    note(partner_user, vendor, "a")
    note(partner_user, vendor, "b")
    login(partner_user).post(reverse("notification_mark_all_read"))
    with scopes_disabled():
        assert not Notification.objects.filter(user=partner_user, read_at__isnull=True).exists()


def test_preferences_switch_emails_off_and_on(login, partner_user):
    client = login(partner_user)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "Registration approved" in page and "checked" in page
    response = client.post(reverse("notification_preferences"), {"email_on": ["deal_approved"]})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=partner_user, event_type="deal_approved").email
    assert not NotificationPreference.objects.get(user=partner_user, event_type="deal_expired").email


def test_an_unknown_event_type_is_refused_with_a_clear_error(login, partner_user):
    response = login(partner_user).post(reverse("notification_preferences"), {"email_on": ["bogus"]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=partner_user).exists()


@pytest.mark.parametrize("name", ["notification_inbox", "notification_preferences"])
def test_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]
