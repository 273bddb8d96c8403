"""deals.access: no membership sees nothing; a deal is found by its number within its vendor only."""

import pytest
from django.http import Http404
from django.urls import reverse
from django_scopes import scope

from deals.access import deal_for, deal_visibility_q, may_view, visible_deals
from deals.models import DealState
from tests.factories import DealFactory, actor_of
from tests.helpers import deal_url


def test_no_membership_sees_nothing(vendor, outsider):
    assert deal_visibility_q(None, outsider) is None


def test_it_finds_a_deal_by_number_within_its_vendor_only(
    vendor, other_vendor, reseller, channel_manager, outsider
):
    deal = DealFactory(organization=reseller, state=DealState.SUBMITTED)  # a draft is its organisation's
    with scope(vendor=vendor):
        assert deal_for(actor_of(channel_manager, vendor), deal.number) == deal
    with scope(vendor=other_vendor), pytest.raises(Http404):
        deal_for(actor_of(outsider, other_vendor), deal.number)


ROLES = ["partner_user", "partner_admin", "distributor_user", "channel_manager", "vendor_admin"]


def _who_sees(deal, request) -> dict:
    """role → (in the role's list, may_view): the query and its Python twin, side by side."""
    seen = {}
    for role in ROLES:
        actor = actor_of(request.getfixturevalue(role), deal.vendor)
        with scope(vendor=deal.vendor):
            seen[role] = (visible_deals(actor).filter(pk=deal.pk).exists(), may_view(actor, deal))
    return seen


def test_a_draft_belongs_to_its_organisation_until_it_is_submitted(
    reseller, partner_user, distributor, request
):
    draft = DealFactory(organization=reseller, registered_by=partner_user, distributor=distributor)
    owners = {"partner_user", "partner_admin"}
    assert _who_sees(draft, request) == {role: (role in owners,) * 2 for role in ROLES}
    submitted = DealFactory(
        organization=reseller, registered_by=partner_user, distributor=distributor, state=DealState.SUBMITTED
    )
    assert _who_sees(submitted, request) == {role: (True, True) for role in ROLES}


def test_a_distributor_sees_the_draft_it_registers_for_a_reseller(reseller, distributor_user, distributor):
    draft = DealFactory(organization=reseller, registered_by=distributor_user, distributor=distributor)
    actor = actor_of(distributor_user, reseller.vendor)
    with scope(vendor=reseller.vendor):
        assert visible_deals(actor).filter(pk=draft.pk).exists() and may_view(actor, draft)


@pytest.mark.parametrize("role", ["channel_manager", "distributor_user"])
def test_a_draft_is_not_found_by_the_vendor_or_the_distributor(
    role, reseller, partner_user, distributor, login, request
):
    draft = DealFactory(organization=reseller, registered_by=partner_user, distributor=distributor)
    client = login(request.getfixturevalue(role))
    assert client.get(deal_url("deal_detail", draft)).status_code == 404
    if role == "channel_manager":  # the distributor may not review at all (403 before any deal is looked up)
        assert client.get(deal_url("deal_review", draft)).status_code == 404
    listed = client.get(reverse("deal_list", args=[draft.vendor.slug])).content.decode()
    assert draft.deal_number not in listed
