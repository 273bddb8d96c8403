"""Orders: start (PO number) and submit by whom the program says, lost with a reason, renewals on a win."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deals.errors import DealActionError
from deals.models import Deal, DealState, Protection, Quote
from deals.services import lifecycle, orders
from partners.models import Membership
from tests.factories import (
    DealFactory,
    DistributorFactory,
    ProductFactory,
    actor_of,
    member,
    quoted_deal,
    set_program,
)
from tests.helpers import reload

Role = Membership.Role
S = DealState


@pytest.fixture
def deal(reseller, distributor):
    return quoted_deal(organization=reseller, distributor=distributor)


@pytest.fixture
def people(deal, vendor, reseller, distributor_user, channel_manager):
    """Everyone who might try to order this deal."""
    return {
        "registering partner": deal.registered_by,
        "partner admin": member(Role.PARTNER_ADMIN, organization=reseller),
        "deal's distributor": distributor_user,
        "another distributor": member(Role.DISTRIBUTOR_USER, organization=DistributorFactory(vendor=vendor)),
        "channel manager": channel_manager,
    }


ORDERING_MATRIX = [
    ("distributor", "deal's distributor", True),
    ("distributor", "registering partner", False),
    ("distributor", "partner admin", False),
    ("partner", "registering partner", True),
    ("partner", "partner admin", True),
    ("partner", "deal's distributor", False),
    ("either", "registering partner", True),
    ("either", "deal's distributor", True),
    ("either", "another distributor", False),
    ("either", "channel manager", False),
]


@pytest.mark.parametrize(("party", "who", "allowed"), ORDERING_MATRIX)
def test_it_lets_only_the_program_s_ordering_party_start_the_order(
    deal, vendor, people, party, who, allowed, in_scope
):
    set_program(vendor, ordering_party=party)
    actor = actor_of(people[who], vendor)

    if allowed:
        ordered = orders.deal_start_order(deal=deal, actor=actor, po_number=" PO-4711 ")
        assert ordered.state == S.ORDERED
        assert ordered.po_number == "PO-4711"
        assert ordered.events.filter(action="start_order", note="PO PO-4711").exists()
    else:
        with pytest.raises(DealActionError, match="not allowed"):
            orders.deal_start_order(deal=deal, actor=actor, po_number="PO-4711")
        assert reload(deal).state == S.QUOTED


@pytest.mark.parametrize(("party", "who", "allowed"), ORDERING_MATRIX)
def test_it_lets_only_the_program_s_ordering_party_submit_the_order(
    deal, vendor, people, distributor_user, party, who, allowed, in_scope
):
    set_program(vendor, ordering_party="either")
    orders.deal_start_order(deal=deal, actor=actor_of(distributor_user, vendor), po_number="PO-1")
    set_program(vendor, ordering_party=party)
    actor = actor_of(people[who], vendor)

    if allowed:
        won, renewal = orders.deal_submit_order(deal=deal, actor=actor)
        assert won.state == S.WON
        assert renewal.renewal_of_id == won.pk
    else:
        with pytest.raises(DealActionError, match="not allowed"):
            orders.deal_submit_order(deal=deal, actor=actor)
        assert reload(deal).state == S.ORDERED
        assert not Deal.objects.filter(renewal_of=deal).exists()


def test_it_needs_a_purchase_order_number(deal, vendor, distributor_user, in_scope):
    with pytest.raises(DealActionError, match="purchase order number"):
        orders.deal_start_order(deal=deal, actor=actor_of(distributor_user, vendor), po_number="   ")

    deal = reload(deal)
    assert (deal.state, deal.po_number) == (S.QUOTED, "")


def test_it_refuses_to_order_on_an_expired_quote(deal, vendor, distributor_user, in_scope):
    Quote.objects.filter(deal=deal).update(
        issue_date=timezone.localdate() - timedelta(days=40),
        valid_until=timezone.localdate() - timedelta(days=10),
    )

    with pytest.raises(DealActionError, match="Issue a new quote"):
        orders.deal_start_order(deal=deal, actor=actor_of(distributor_user, vendor), po_number="PO-9")

    assert reload(deal).state == S.QUOTED


@pytest.mark.parametrize("state", [S.SUBMITTED, S.APPROVED, S.EXPIRED, S.REVOKED, S.WON, S.LOST])
def test_it_starts_orders_only_from_quoted_or_extended_deals(vendor, reseller, distributor, state, in_scope):
    deal = DealFactory(organization=reseller, distributor=distributor, state=state)
    dist_user = member(Role.DISTRIBUTOR_USER, organization=distributor)

    with pytest.raises(DealActionError, match="cannot be ordered now"):
        orders.deal_start_order(deal=deal, actor=actor_of(dist_user, vendor), po_number="PO-1")

    assert reload(deal).state == state


def test_it_submits_an_order_only_once_it_was_started(deal, vendor, distributor_user, in_scope):
    with pytest.raises(DealActionError, match="cannot be submitted as an order now"):
        orders.deal_submit_order(deal=deal, actor=actor_of(distributor_user, vendor))
    assert reload(deal).state == S.QUOTED


def test_winning_ends_protection(deal, vendor, distributor_user, in_scope):
    actor = actor_of(distributor_user, vendor)
    orders.deal_start_order(deal=deal, actor=actor, po_number="PO-1")

    orders.deal_submit_order(deal=deal, actor=actor)

    assert not Protection.objects.filter(deal=deal, ended_at__isnull=True).exists()


# --- lost and withdrawn -------------------------------------------------------------------------------


@pytest.mark.parametrize("ordered", [False, True])
def test_the_partner_marks_a_deal_lost_with_a_reason(deal, vendor, distributor_user, ordered, in_scope):
    if ordered:
        orders.deal_start_order(deal=deal, actor=actor_of(distributor_user, vendor), po_number="PO-1")

    lost = lifecycle.deal_lose(deal=deal, actor=actor_of(deal.registered_by, vendor), reason="Budget frozen")

    assert lost.state == S.LOST
    assert lost.lost_reason == "Budget frozen"
    assert not Protection.objects.filter(deal=deal, ended_at__isnull=True).exists()


def test_a_lost_deal_needs_a_reason(deal, vendor, in_scope):
    with pytest.raises(DealActionError, match="reason the deal was lost"):
        lifecycle.deal_lose(deal=deal, actor=actor_of(deal.registered_by, vendor), reason=" ")
    assert reload(deal).state == S.QUOTED


def test_the_distributor_cannot_mark_the_partner_s_deal_lost(deal, vendor, distributor_user, in_scope):
    with pytest.raises(DealActionError, match="not allowed"):
        lifecycle.deal_lose(deal=deal, actor=actor_of(distributor_user, vendor), reason="Gone")
    assert reload(deal).state == S.QUOTED


# --- renewals -----------------------------------------------------------------------------------------


def win(deal, vendor, user):
    actor = actor_of(user, vendor)
    orders.deal_start_order(deal=deal, actor=actor, po_number="PO-77")
    return orders.deal_submit_order(deal=deal, actor=actor)


def test_a_win_opens_the_renewal_as_a_draft_for_the_same_partner(vendor, reseller, distributor, in_scope):
    set_program(vendor, renewal_auto_approved=False)
    products = [ProductFactory(vendor=vendor), ProductFactory(vendor=vendor)]
    deal = quoted_deal(
        organization=reseller, distributor=distributor, lines=[(products[0], 1200), (products[1], 5)]
    )

    won, renewal = win(deal, vendor, member(Role.DISTRIBUTOR_USER, organization=distributor))

    assert renewal.state == S.DRAFT
    assert renewal.deal_type == Deal.DealType.RENEWAL
    assert renewal.renewal_of == won
    assert renewal.number != won.number
    assert (renewal.organization, renewal.distributor, renewal.registered_by) == (
        won.organization,
        won.distributor,
        won.registered_by,
    )
    assert (renewal.prospect, renewal.company_name, renewal.domain) == (
        won.prospect,
        won.company_name,
        won.domain,
    )
    assert list(renewal.lines.values_list("product", "quantity")) == [
        (products[0].pk, 1200),
        (products[1].pk, 5),
    ]
    assert renewal.approved_at is None and renewal.expires_at is None
    assert not renewal.quotes.exists()
    assert not Protection.objects.filter(deal=renewal).exists()
    assert won.events.filter(action="renewal_opened").exists()
    assert renewal.events.filter(action="renewal_opened", note__contains="as a draft").exists()


def test_a_win_opens_the_renewal_approved_and_quoted_when_the_program_says_so(
    vendor, reseller, distributor, in_scope
):
    set_program(vendor, renewal_auto_approved=True, validity_days=60)
    deal = quoted_deal(organization=reseller, distributor=distributor)

    won, renewal = win(deal, vendor, deal.registered_by)

    assert renewal.state == S.QUOTED  # approved, and approval issues the first quote
    assert renewal.deal_type == Deal.DealType.RENEWAL
    assert renewal.approved_at is not None
    assert renewal.expires_at.date() == (renewal.approved_at + timedelta(days=60)).date()
    quote = renewal.quotes.get()
    assert quote.reward_points == vendor.program.reward_margin_points
    active = Protection.objects.filter(deal=renewal, ended_at__isnull=True)
    assert list(active.values_list("product", flat=True)) == list(won.lines.values_list("product", flat=True))
    # Deliberately not submitted: the net-new rule would refuse a renewal (services.orders.open_renewal).
    assert not renewal.events.filter(action="submit").exists()
    assert renewal.events.filter(action="renewal_opened", note__contains="approved automatically").exists()
