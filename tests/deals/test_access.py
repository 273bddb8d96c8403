"""deals.access: no membership sees nothing; a deal is found by its number within its vendor only."""

import pytest
from django.http import Http404
from django_scopes import scope

from deals.access import deal_for, deal_visibility_q
from tests.factories import DealFactory, actor_of


def test_no_membership_sees_nothing(vendor, outsider):
    assert deal_visibility_q(None, outsider) is None


def test_it_finds_a_deal_by_number_within_its_vendor_only(
    vendor, other_vendor, reseller, channel_manager, outsider
):
    deal = DealFactory(organization=reseller)
    with scope(vendor=vendor):
        assert deal_for(actor_of(channel_manager, vendor), deal.number) == deal
    with scope(vendor=other_vendor), pytest.raises(Http404):
        deal_for(actor_of(outsider, other_vendor), deal.number)
