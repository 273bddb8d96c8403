"""Deal services besides the transitions: drafts, prospects by domain, numbers, progress updates."""

from datetime import UTC, datetime

import pytest
from django_scopes import scopes_disabled

from deals.errors import DealActionError
from deals.models import Deal, DealEvent, DealState, DealUpdate, Prospect
from deals.services import lifecycle, registration
from deals.services.registration import LineInput
from partners.models import Membership
from tests.factories import DealFactory, ProductFactory, ProspectFactory, actor_of, member

S = DealState
Role = Membership.Role


def _draft(registrant, vendor, reseller, lines, **data):
    return registration.deal_save_draft(
        actor=registrant, vendor=vendor, organization=reseller, data=data, lines=lines
    )


def test_a_draft_gets_the_next_number_its_prospect_and_its_lines(vendor, reseller, registrant, in_scope):
    product = ProductFactory(vendor=vendor)
    first = _draft(registrant, vendor, reseller, [], company_name="Initech")
    deal = _draft(
        registrant, vendor, reseller, [LineInput(product, 250)],
        company_name="Initech", domain="initech.com", city="Austin", country="US",
    )  # fmt: skip

    assert deal.number == first.number + 1
    assert deal.deal_number == f"DR-{deal.number:06d}"
    assert (deal.state, deal.currency) == (S.DRAFT, vendor.default_currency)
    assert (deal.prospect.domain, deal.prospect.name, deal.prospect.city) == (
        "initech.com",
        "Initech",
        "Austin",
    )
    assert [(line.product, line.quantity) for line in deal.lines.all()] == [(product, 250)]
    assert [e.action for e in DealEvent.objects.filter(deal=deal)] == ["created"]


def test_a_second_registration_for_a_domain_joins_the_existing_prospect(
    vendor, reseller, registrant, in_scope
):
    existing = ProspectFactory(vendor=vendor, name="Initech Holdings", domain="initech.com")
    deal = _draft(registrant, vendor, reseller, [], company_name="Initech", domain="initech.com")
    assert deal.prospect == existing
    assert Prospect.objects.filter(vendor=vendor, domain="initech.com").count() == 1


def test_a_draft_without_a_domain_has_no_prospect_yet(vendor, reseller, registrant, in_scope):
    assert _draft(registrant, vendor, reseller, [], company_name="Initech").prospect is None


def test_editing_a_draft_replaces_its_lines_and_records_the_edit(vendor, reseller, registrant, in_scope):
    a, b = ProductFactory(vendor=vendor), ProductFactory(vendor=vendor)
    deal = _draft(registrant, vendor, reseller, [LineInput(a, 10)], company_name="Initech")

    registration.deal_save_draft(
        actor=registrant, vendor=vendor, organization=reseller, deal=deal,
        data={"company_name": "Initech Inc"}, lines=[LineInput(b, 20)],
    )  # fmt: skip

    stored = Deal.objects.get(pk=deal.pk)
    assert stored.company_name == "Initech Inc"
    assert [(line.product, line.quantity) for line in stored.lines.all()] == [(b, 20)]
    assert [e.action for e in DealEvent.objects.filter(deal=deal)] == ["created", "edited"]


@pytest.mark.parametrize("state", [S.SUBMITTED, S.QUOTED, S.REJECTED])
def test_a_registration_under_review_or_closed_cannot_be_edited(
    state, vendor, reseller, partner_user, in_scope
):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=state)
    with pytest.raises(DealActionError, match="Only drafts and registrations returned for more information"):
        registration.deal_save_draft(
            actor=actor_of(partner_user, vendor), vendor=vendor, organization=reseller, deal=deal,
            data={"company_name": "Changed"}, lines=[],
        )  # fmt: skip
    stored = Deal.objects.get(pk=deal.pk)
    assert stored.company_name != "Changed" and stored.lines.count() == 1


def test_another_partner_cannot_edit_a_draft(vendor, reseller, other_reseller, in_scope):
    deal = DealFactory(organization=reseller)
    stranger = actor_of(member(Role.PARTNER_ADMIN, organization=other_reseller), vendor)
    with pytest.raises(DealActionError):
        registration.deal_save_draft(
            actor=stranger, vendor=vendor, organization=reseller, deal=deal, data={"need": "x"}, lines=[]
        )
    assert Deal.objects.get(pk=deal.pk).need != "x"


def test_a_progress_update_restarts_the_staleness_clock(vendor, reseller, partner_user, in_scope):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=S.QUOTED)

    update = lifecycle.deal_post_update(
        deal=deal, actor=actor_of(partner_user, vendor), body="Demo done, PO next week."
    )

    stored = Deal.objects.get(pk=deal.pk)
    assert stored.last_progress_at == update.created_at
    assert DealEvent.objects.get(deal=deal).note == "Demo done, PO next week."


@pytest.mark.parametrize(
    ("state", "body", "role", "message"),
    [
        (S.QUOTED, "   ", "registrant", "Please explain the progress"),
        (S.LOST, "Still talking", "registrant", "This registration is closed"),
        (S.QUOTED, "Hello", "channel_manager", "Only the registering partner"),
    ],
)
def test_a_progress_update_is_refused_with_a_reason(
    state, body, role, message, vendor, reseller, partner_user, in_scope
):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=state)
    user = partner_user if role == "registrant" else member(Role.CHANNEL_MANAGER, vendor=vendor)

    with pytest.raises(DealActionError, match=message):
        lifecycle.deal_post_update(deal=deal, actor=actor_of(user, vendor), body=body)

    with scopes_disabled():
        assert not DealUpdate.objects.filter(deal=deal).exists()
        assert not DealEvent.objects.filter(deal=deal).exists()


# --- the review clock: the program's SLA in business days -------------------------------------------------


def _submitted_at(moment, *, reseller, partner_user, registrant, monkeypatch) -> Deal:
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    deal = DealFactory(organization=reseller, registered_by=partner_user)
    return registration.deal_submit(deal=deal, actor=registrant)


@pytest.mark.parametrize(
    "submitted, due",
    [
        # Thursday + 3 business days: Friday, Monday, Tuesday (Saturday and Sunday do not count).
        (datetime(2026, 3, 5, 15, 0, tzinfo=UTC), datetime(2026, 3, 10, 15, 0, tzinfo=UTC)),
        # Saturday: counting starts on Monday, so Tuesday, Wednesday, Thursday.
        (datetime(2026, 3, 7, 11, 0, tzinfo=UTC), datetime(2026, 3, 12, 11, 0, tzinfo=UTC)),
        # Sunday likewise.
        (datetime(2026, 3, 8, 11, 0, tzinfo=UTC), datetime(2026, 3, 12, 11, 0, tzinfo=UTC)),
    ],
)
def test_the_review_is_due_after_business_days_not_counting_the_weekend(
    submitted, due, reseller, partner_user, registrant, in_scope, monkeypatch
):
    deal = _submitted_at(
        submitted,
        reseller=reseller,
        partner_user=partner_user,
        registrant=registrant,
        monkeypatch=monkeypatch,
    )
    assert deal.review_due_at == due


def _calendar(vendor, *, country="", subdivision="", closure_days=()):
    program = vendor.program
    program.holiday_country, program.holiday_subdivision = country, subdivision
    program.closure_days = list(closure_days)
    program.save()


@pytest.mark.parametrize(
    "calendar, due",
    [
        # No country: weekends only, so Christmas Day counts (the old behaviour, now a choice).
        ({}, datetime(2026, 12, 28, 10, 0, tzinfo=UTC)),
        # Wednesday 23 Dec + 3: Thursday 24, (Christmas Day), Monday 28, Tuesday 29.
        ({"country": "US"}, datetime(2026, 12, 29, 10, 0, tzinfo=UTC)),
        # The vendor's own closure on Christmas Eve moves it one more day.
        ({"country": "US", "closure_days": ["2026-12-24"]}, datetime(2026, 12, 30, 10, 0, tzinfo=UTC)),
    ],
)
def test_the_review_clock_skips_the_programs_public_holidays_and_closure_days(
    calendar, due, vendor, reseller, partner_user, registrant, in_scope, monkeypatch
):
    _calendar(vendor, **calendar)
    deal = _submitted_at(
        datetime(2026, 12, 23, 10, 0, tzinfo=UTC),
        reseller=reseller,
        partner_user=partner_user,
        registrant=registrant,
        monkeypatch=monkeypatch,
    )
    assert deal.review_due_at == due


def test_the_review_clock_follows_the_subdivision(
    vendor, reseller, partner_user, registrant, in_scope, monkeypatch
):
    # Epiphany (6 January) is a holiday in Bavaria, not in Berlin.
    monday = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    _calendar(vendor, country="DE", subdivision="BE")
    in_berlin = _submitted_at(
        monday, reseller=reseller, partner_user=partner_user, registrant=registrant, monkeypatch=monkeypatch
    )
    _calendar(vendor, country="DE", subdivision="BY")
    in_bavaria = _submitted_at(
        monday, reseller=reseller, partner_user=partner_user, registrant=registrant, monkeypatch=monkeypatch
    )
    assert in_berlin.review_due_at.date().isoformat() == "2026-01-08"
    assert in_bavaria.review_due_at.date().isoformat() == "2026-01-09"
