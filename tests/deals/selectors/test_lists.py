"""The reads the list pages run: the deal list (who sees which deals, search by number or prospect), the
prospect lookup of the form, the review queue and its SLA."""

import datetime
from collections import Counter

from django.utils import timezone
from django_scopes import scope

from deals.models import DealState
from deals.selectors.lists import (
    deal_list,
    prospect_by_domain,
    review_queue,
    search_deals,
)
from partners.models import Membership
from tests.factories import DealFactory, ProspectFactory, actor_of, member

S = DealState
Role = Membership.Role


def deals_visible_to(user, vendor):
    """The deal list page's rows before its filters, run as the page runs it: inside the vendor's scope."""
    with scope(vendor=vendor):
        return list(deal_list(actor=actor_of(user, vendor)))


def search(user, vendor, text):
    """The deal list narrowed by the search box, as its filter runs it."""
    with scope(vendor=vendor):
        return list(search_deals(deal_list(actor=actor_of(user, vendor)), text))


def test_a_partner_user_sees_only_the_deals_they_registered(vendor, reseller, other_reseller, partner_user):
    own = DealFactory(organization=reseller, registered_by=partner_user)
    DealFactory(organization=reseller)  # a colleague's
    DealFactory(organization=other_reseller)

    assert deals_visible_to(partner_user, vendor) == [own]


def test_a_partner_admin_sees_the_whole_organisation(vendor, reseller, other_reseller, partner_admin):
    mine = {DealFactory(organization=reseller), DealFactory(organization=reseller)}
    DealFactory(organization=other_reseller)

    assert set(deals_visible_to(partner_admin, vendor)) == mine


def test_a_distributor_sees_routed_deals_except_hidden_ones_before_approval(vendor, reseller, distributor):
    viewer = member(Role.DISTRIBUTOR_USER, organization=distributor)
    routed = DealFactory(organization=reseller, distributor=distributor, state=S.SUBMITTED)
    DealFactory(
        organization=reseller, distributor=distributor, hidden_from_distributor=True, state=S.SUBMITTED
    )
    approved_hidden = DealFactory(
        organization=reseller, distributor=distributor, hidden_from_distributor=True, state=S.QUOTED,
        approved_at=timezone.now(),
    )  # fmt: skip

    assert set(deals_visible_to(viewer, vendor)) == {routed, approved_hidden}


def test_vendor_staff_see_every_deal_of_their_vendor_only(vendor, other_vendor, reseller, channel_manager):
    submitted = DealState.SUBMITTED  # a draft is its organisation's until it is submitted
    deals = {DealFactory(organization=reseller, state=submitted) for _ in range(2)}
    DealFactory(organization__vendor=other_vendor, state=submitted)

    assert set(deals_visible_to(channel_manager, vendor)) == deals


def test_it_searches_by_deal_number_in_any_spelling(vendor, reseller, channel_manager):
    deals = [DealFactory(organization=reseller, state=DealState.SUBMITTED) for _ in range(3)]
    number = deals[1].number

    for text in (f"DR-{number:06d}", f"{number:06d}", f"dr-{number:06d}", f"DR{number}"):
        assert search(channel_manager, vendor, text) == [deals[1]], text
    assert deals[1] in search(channel_manager, vendor, str(number))  # a bare number may also match names


def test_it_searches_by_part_of_the_prospect_name(vendor, reseller, channel_manager):
    submitted = DealState.SUBMITTED  # a draft is its organisation's until it is submitted
    initech = DealFactory(
        organization=reseller,
        prospect=ProspectFactory(vendor=vendor, name="Initech Holdings"),
        state=submitted,
    )
    DealFactory(
        organization=reseller, prospect=ProspectFactory(vendor=vendor, name="Globex"), state=submitted
    )

    assert search(channel_manager, vendor, "initech") == [initech]
    assert len(search(channel_manager, vendor, "  ")) == 2


def test_search_never_widens_what_a_partner_sees(vendor, reseller, other_reseller, partner_user):
    theirs = DealFactory(organization=other_reseller)
    assert search(partner_user, vendor, str(theirs.number)) == []


def test_it_finds_a_prospect_by_domain_within_its_vendor(vendor, other_vendor):
    prospect = ProspectFactory(vendor=vendor, domain="initech.com")
    ProspectFactory(vendor=other_vendor, domain="hooli.com")
    with scope(vendor=vendor):
        assert prospect_by_domain(vendor=vendor, domain="initech.com") == prospect
        assert prospect_by_domain(vendor=vendor, domain="hooli.com") is None


NOW = timezone.make_aware(datetime.datetime(2026, 3, 11, 10, 0))  # a Wednesday morning


def _waiting(reseller, *, submitted_days_ago, due_in_hours, state=S.SUBMITTED):
    return DealFactory(
        organization=reseller,
        state=state,
        submitted_at=NOW - datetime.timedelta(days=submitted_days_ago),
        review_due_at=NOW + datetime.timedelta(hours=due_in_hours),
    )


def test_the_queue_lists_deals_awaiting_a_decision_oldest_first_with_their_sla(
    vendor, reseller, other_vendor
):
    late = _waiting(reseller, submitted_days_ago=6, due_in_hours=-30)
    due_today = _waiting(reseller, submitted_days_ago=3, due_in_hours=5)
    on_time = _waiting(reseller, submitted_days_ago=1, due_in_hours=48, state=S.INFO_REQUESTED)
    DealFactory(organization=reseller, state=S.QUOTED)
    DealFactory(organization=reseller, state=S.DRAFT)
    DealFactory(organization__vendor=other_vendor, state=S.SUBMITTED, submitted_at=NOW, review_due_at=NOW)

    with scope(vendor=vendor):
        queue = list(review_queue(vendor=vendor, now=NOW))
        counts = Counter(deal.sla for deal in queue)

    assert [(d, d.sla) for d in queue] == [(late, "late"), (due_today, "due_today"), (on_time, "on_time")]
    assert counts == {"on_time": 1, "due_today": 1, "late": 1}


def test_an_empty_queue_lists_nothing(vendor):
    with scope(vendor=vendor):
        assert list(review_queue(vendor=vendor, now=NOW)) == []
