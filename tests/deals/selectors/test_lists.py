"""The reads the list pages run: who sees which deals, search by number or prospect, finding one deal,
the review queue and its SLA."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from deals.access import deal_for, deal_visibility_q, visible_deals
from deals.models import DealState
from deals.selectors.lists import prospect_by_domain, review_queue, review_queue_counts, search_deals
from partners.models import Membership
from partners.permissions import Actor
from tests.factories import DealFactory, ProspectFactory, member

S = DealState
Role = Membership.Role


def _membership(user, vendor):
    with scopes_disabled():
        return Membership.objects.select_related("organization", "vendor").get(user=user, vendor=vendor)


def deals_visible_to(membership, user):
    """What the deal list starts from, run as the page runs it: inside the vendor's scope."""
    with scope(vendor=membership.vendor_id):
        return visible_deals(Actor(user, membership))


def test_a_partner_user_sees_only_the_deals_they_registered(vendor, reseller, other_reseller, partner_user):
    own = DealFactory(organization=reseller, registered_by=partner_user)
    DealFactory(organization=reseller)  # a colleague's
    DealFactory(organization=other_reseller)

    assert list(deals_visible_to(_membership(partner_user, vendor), partner_user)) == [own]


def test_a_partner_admin_sees_the_whole_organisation(vendor, reseller, other_reseller, partner_admin):
    mine = {DealFactory(organization=reseller), DealFactory(organization=reseller)}
    DealFactory(organization=other_reseller)

    assert set(deals_visible_to(_membership(partner_admin, vendor), partner_admin)) == mine


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

    assert set(deals_visible_to(_membership(viewer, vendor), viewer)) == {routed, approved_hidden}


def test_vendor_staff_see_every_deal_of_their_vendor_only(vendor, other_vendor, reseller, channel_manager):
    deals = {DealFactory(organization=reseller), DealFactory(organization=reseller)}
    DealFactory(organization__vendor=other_vendor)

    assert set(deals_visible_to(_membership(channel_manager, vendor), channel_manager)) == deals


def test_no_membership_sees_nothing(vendor, outsider):
    assert deal_visibility_q(None, outsider) is None


def test_it_searches_by_deal_number_in_any_spelling(vendor, reseller, channel_manager):
    deals = [DealFactory(organization=reseller) for _ in range(3)]
    visible = deals_visible_to(_membership(channel_manager, vendor), channel_manager)
    number = deals[1].number

    for text in (f"DR-{number:06d}", f"{number:06d}", f"dr-{number:06d}", f"DR{number}"):
        assert list(search_deals(visible, text)) == [deals[1]], text
    assert deals[1] in search_deals(visible, str(number))  # a bare number may also match names


def test_it_searches_by_part_of_the_prospect_name(vendor, reseller, channel_manager):
    initech = DealFactory(
        organization=reseller, prospect=ProspectFactory(vendor=vendor, name="Initech Holdings")
    )
    DealFactory(organization=reseller, prospect=ProspectFactory(vendor=vendor, name="Globex"))
    visible = deals_visible_to(_membership(channel_manager, vendor), channel_manager)

    assert list(search_deals(visible, "initech")) == [initech]
    assert search_deals(visible, "  ").count() == 2


def test_search_never_widens_what_a_partner_sees(vendor, reseller, other_reseller, partner_user):
    theirs = DealFactory(organization=other_reseller)
    visible = deals_visible_to(_membership(partner_user, vendor), partner_user)
    assert list(search_deals(visible, str(theirs.number))) == []


def test_it_finds_a_deal_by_number_within_its_vendor_only(
    vendor, other_vendor, reseller, channel_manager, outsider
):
    deal = DealFactory(organization=reseller)
    with scope(vendor=vendor):
        assert deal_for(Actor(channel_manager, _membership(channel_manager, vendor)), deal.number) == deal
    with scope(vendor=other_vendor), pytest.raises(Http404):
        deal_for(Actor(outsider, _membership(outsider, other_vendor)), deal.number)


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
        counts = review_queue_counts(vendor=vendor, now=NOW)

    assert [(d, d.sla) for d in queue] == [(late, "late"), (due_today, "due_today"), (on_time, "on_time")]
    assert counts == {"on_time": 1, "due_today": 1, "late": 1}


def test_the_queue_counts_are_zero_when_nothing_waits(vendor):
    with scope(vendor=vendor):
        assert review_queue_counts(vendor=vendor, now=NOW) == {"on_time": 0, "due_today": 0, "late": 0}
