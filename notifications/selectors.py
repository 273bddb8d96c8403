"""Reads of a person's own inbox. Notifications belong to the person, so the inbox crosses vendors
on purpose (explicit scopes_disabled), filtered by user first."""

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from .events import EVENT_TYPES
from .models import Notification, NotificationPreference


def unread_count(*, user) -> int:
    with scopes_disabled():
        return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(*, user, vendor=None, unread_only: bool = False) -> QuerySet:
    with scopes_disabled():
        notifications = Notification.objects.filter(user=user).select_related("vendor")
        if vendor is not None:
            notifications = notifications.filter(vendor=vendor)
        if unread_only:
            notifications = notifications.filter(read_at__isnull=True)
        return notifications


def notification_of(*, user, notification_id: int) -> Notification | None:
    with scopes_disabled():
        return Notification.objects.filter(user=user, pk=notification_id).select_related("vendor").first()


def email_preferences(*, user) -> list[tuple[object, bool]]:
    """Every event type with whether this person gets it by email (on unless switched off)."""
    off = set(
        NotificationPreference.objects.filter(user=user, email=False).values_list("event_type", flat=True)
    )
    return [(event_type, event_type.key not in off) for event_type in EVENT_TYPES.values()]
