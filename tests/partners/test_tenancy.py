import pytest
from django_scopes import ScopeError, scope

from deals.models import Deal
from partners.models import PartnerOrganization


def test_it_raises_for_a_tenant_query_without_a_scope(reseller):
    with pytest.raises(ScopeError):
        list(PartnerOrganization.objects.all())
    with pytest.raises(ScopeError):
        Deal.objects.count()


def test_a_scope_only_returns_its_own_vendor(reseller, other_vendor):
    from tests.factories import OrganizationFactory

    OrganizationFactory(vendor=other_vendor, name="Foreign Partner")
    with scope(vendor=reseller.vendor):
        assert [o.name for o in PartnerOrganization.objects.all()] == ["Alpha Resellers"]


def test_member_sees_own_dashboard(login, channel_manager, vendor):
    response = login(channel_manager).get(f"/v/{vendor.slug}/")
    assert response.status_code == 200
    assert b"Channel manager dashboard" in response.content


def test_the_request_carries_the_actor_of_the_chosen_membership(login, channel_manager, vendor):
    request = login(channel_manager).get(f"/v/{vendor.slug}/").wsgi_request
    assert request.actor.user == channel_manager
    assert request.actor.membership == request.membership


def test_it_404s_for_a_vendor_the_user_does_not_belong_to(login, outsider, vendor):
    assert login(outsider).get(f"/v/{vendor.slug}/").status_code == 404


def test_it_404s_for_an_unknown_vendor_like_a_foreign_one(login, outsider):
    assert login(outsider).get("/v/no-such-vendor/").status_code == 404


def test_anonymous_is_sent_to_login(client, vendor):
    response = client.get(f"/v/{vendor.slug}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["vendor_admin", "channel_manager", "partner_user"])
@pytest.mark.parametrize("page", ["", "deals/", "program/settings/"])
def test_a_deactivated_vendor_is_not_found_even_by_its_members(request, login, vendor, role, page):
    # 404, not 403: a switched-off tenant must look like one that never existed, to its members too.
    user = request.getfixturevalue(role)
    vendor.is_active = False
    vendor.save(update_fields=["is_active"])
    assert login(user).get(f"/v/{vendor.slug}/{page}").status_code == 404
