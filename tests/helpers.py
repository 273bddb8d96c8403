"""Test helpers: arrange a deal in a given state (at a point of its clocks), read it back past the scopes,
read the emails and notifications it sent, and build the URLs of its pages."""

from datetime import timedelta

from django.urls import reverse
from django_scopes import scopes_disabled

from deals.models import Deal, DealState
from notifications.models import Notification, OutboxEmail
from tests.factories import DealFactory


def approved_deal(*, organization, registered_by, at, state=DealState.QUOTED, **fields) -> Deal:
    """A deal approved at `at` under its program's validity, with the staleness clock started then."""
    program = organization.vendor.program
    defaults = {
        "approved_at": at,
        "decided_at": at,
        "submitted_at": at - timedelta(days=1),
        "expires_at": at + timedelta(days=program.validity_days),
        "last_progress_at": at,
        "expected_close_date": (at + timedelta(days=120)).date(),
    }
    return DealFactory(
        organization=organization, registered_by=registered_by, state=state, **{**defaults, **fields}
    )


def emails(event_type=None, to=None) -> list[OutboxEmail]:
    rows = OutboxEmail.objects.order_by("id")
    if event_type:
        rows = rows.filter(event_type=event_type)
    if to:
        rows = rows.filter(to=to)
    return list(rows)


def notifications_of(user, event_type=None) -> list[Notification]:
    with scopes_disabled():
        rows = Notification.objects.filter(user=user).order_by("id")
        if event_type:
            rows = rows.filter(event_type=event_type)
        return list(rows)


def reload(deal) -> Deal:
    """A fresh copy read past the scopes (the protected FSM state field cannot be refreshed in place)."""
    with scopes_disabled():
        return Deal.objects.get(pk=deal.pk)


def deal_url(name, deal, *args) -> str:
    """The URL of the deal page (or one of its actions) called `name`."""
    return reverse(name, args=[deal.vendor.slug, deal.number, *args])
