"""The demo's deals: every state of the machine, made through the real services, seeded once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from deals.models import Deal, DealEvent, DealState, Protection, Quote
from partners.models import Vendor

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=StringIO())


def deal_counts():
    with scopes_disabled():
        return {model._meta.label: model.objects.count() for model in (Deal, DealEvent, Quote, Protection)}


def test_every_demo_vendor_shows_every_state_of_the_machine():
    seed()
    with scopes_disabled():
        for vendor in Vendor.objects.all():
            states = set(Deal.objects.filter(vendor=vendor).values_list("state", flat=True))
            # "approved" never rests: approval issues the first quote at once (approved → quoted).
            assert states == set(DealState.values) - {DealState.APPROVED}, vendor.slug


def test_demo_deals_went_through_the_services():
    seed()
    with scopes_disabled():
        won = Deal.objects.filter(state=DealState.WON).first()
        actions = list(won.events.values_list("action", flat=True))
        assert actions[:4] == ["created", "submit", "approve", "mark_quoted"]
        assert won.quotes.exists() and won.po_number
        protected = [DealState.QUOTED, DealState.EXTENDED, DealState.ORDERED]
        for deal in Deal.objects.filter(state__in=protected):
            assert deal.protections.filter(ended_at__isnull=True).exists()
        late = Deal.objects.filter(state=DealState.SUBMITTED, review_due_at__isnull=False).order_by(
            "review_due_at"
        )
        assert late.first().review_due_at < won.created_at  # one submission is past its review SLA


def test_seeding_twice_adds_no_deal():
    seed()
    first = deal_counts()
    seed()
    assert deal_counts() == first
