"""Vendor staff manage partners; a suspended partner can look but not act; partners see only their own."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from notifications.models import OutboxEmail
from partners.models import DistributorAgreement, PartnerOrganization
from partners.permissions import Perm, has_perm
from tests.factories import DistributorFactory, OrganizationFactory, TierFactory

Status = PartnerOrganization.Status


def url(name, vendor, *args):
    return reverse(name, args=[vendor.slug, *args])


def refreshed(organization):
    with scope(vendor=organization.vendor):
        organization.refresh_from_db()
    return organization


def test_the_partner_list_filters_by_kind_status_tier_and_search(
    login, channel_manager, vendor, reseller, distributor
):
    gold = TierFactory(vendor=vendor, name="Gold")
    OrganizationFactory(vendor=vendor, name="Gilded Partners", tier=gold, website="https://gilded.example")
    OrganizationFactory(vendor=vendor, name="Paused Partners", status=Status.SUSPENDED)
    client = login(channel_manager)

    def names(**params):
        response = client.get(url("partner_list", vendor), params)
        assert response.status_code == 200
        return {o.name for o in response.context["page"]}

    assert names() == {"Alpha Resellers", "Dist One", "Gilded Partners", "Paused Partners"}
    assert names(kind="distributor") == {"Dist One"}
    assert names(status="suspended") == {"Paused Partners"}
    assert names(tier=gold.pk) == {"Gilded Partners"}
    assert names(q="gilded.example") == {"Gilded Partners"}
    assert names(q="alpha", kind="reseller", status="active") == {"Alpha Resellers"}


def test_the_partner_list_shows_no_other_vendors_partners(
    login, channel_manager, vendor, reseller, other_vendor
):
    OrganizationFactory(vendor=other_vendor, name="Foreign Reseller")
    response = login(channel_manager).get(url("partner_list", vendor))
    assert b"Foreign Reseller" not in response.content


def test_an_organisation_of_another_vendor_is_404_even_for_its_admin_elsewhere(
    login, vendor_admin, other_vendor
):
    foreign = OrganizationFactory(vendor=other_vendor)
    assert login(vendor_admin).get(url("partner_detail", other_vendor, foreign.pk)).status_code == 404
    # …and through this vendor's URL the foreign id does not resolve either.
    assert login(vendor_admin).get(reverse("partner_detail", args=["acme", foreign.pk])).status_code == 404


def test_the_detail_page_shows_members_and_agreements(
    login, vendor_admin, vendor, reseller, distributor, partner_admin
):
    response = login(vendor_admin).get(url("partner_detail", vendor, reseller.pk))
    page = response.content.decode()
    assert partner_admin.email in page
    assert "Dist One" in page
    assert "Suspend Alpha Resellers" in page


def test_a_reseller_cannot_see_another_resellers_organisation(
    login, partner_admin, vendor, reseller, other_reseller
):
    client = login(partner_admin)
    assert client.get(url("partner_detail", vendor, reseller.pk)).status_code == 200
    assert client.get(url("partner_detail", vendor, other_reseller.pk)).status_code == 404


def test_a_partner_sees_its_own_page_without_management_controls(login, partner_user, vendor, reseller):
    response = login(partner_user).get(url("partner_detail", vendor, reseller.pk))
    assert response.status_code == 200
    assert b"Suspend" not in response.content
    assert b"Change tier" not in response.content


def test_a_suspended_organisation_can_look_but_not_act(login, vendor_admin, partner_admin, vendor, reseller):
    response = login(vendor_admin).post(
        url("partner_suspend", vendor, reseller.pk), {"note": "Unpaid invoices."}
    )
    assert response.status_code == 302
    reseller = refreshed(reseller)
    assert reseller.status == Status.SUSPENDED
    assert reseller.decision_note == "Unpaid invoices."
    assert OutboxEmail.objects.filter(event_type="partner_status_changed", to=partner_admin.email).exists()

    client = login(partner_admin)
    dashboard = client.get(url("dashboard", vendor))
    assert dashboard.status_code == 200
    assert b"Membership suspended" in dashboard.content
    assert b"Unpaid invoices." in dashboard.content
    assert client.get(url("partner_detail", vendor, reseller.pk)).status_code == 200
    assert client.get(url("team", vendor)).status_code == 200

    response = client.post(url("team", vendor), {"email": "new@alpha.example", "role": "partner_user"})
    assert response.status_code == 403
    assert "membership in this program is suspended" in response.content.decode()
    with scopes_disabled():
        membership = partner_admin.memberships.get()
    for perm in (Perm.REGISTER_DEALS, Perm.PLACE_ORDERS, Perm.MANAGE_ORGANIZATION_USERS):
        assert not has_perm(membership, perm)
    assert has_perm(membership, Perm.VIEW_DASHBOARD)


def test_suspending_needs_a_reason(login, vendor_admin, vendor, reseller):
    response = login(vendor_admin).post(url("partner_suspend", vendor, reseller.pk), {"note": "  "})
    assert response.status_code == 400
    assert refreshed(reseller).status == Status.ACTIVE


def test_reactivating_restores_acting(login, vendor_admin, partner_admin, vendor, reseller):
    client = login(vendor_admin)
    client.post(url("partner_suspend", vendor, reseller.pk), {"note": "Audit."})
    response = client.post(url("partner_reactivate", vendor, reseller.pk), {"note": "Audit passed."})
    assert response.status_code == 302
    assert refreshed(reseller).status == Status.ACTIVE
    response = login(partner_admin).post(
        url("team", vendor), {"email": "new@alpha.example", "role": "partner_user"}
    )
    assert response.status_code == 302


def test_only_an_active_organisation_can_be_suspended(login, vendor_admin, vendor):
    applied = OrganizationFactory(vendor=vendor, status=Status.APPLIED)
    response = login(vendor_admin).post(url("partner_suspend", vendor, applied.pk), {"note": "No."})
    assert response.status_code == 400
    assert "it cannot be suspended" in response.content.decode()
    assert refreshed(applied).status == Status.APPLIED


def test_the_vendor_admin_changes_the_tier(login, vendor_admin, vendor, reseller):
    platinum = TierFactory(vendor=vendor, name="Platinum", rank=3)
    response = login(vendor_admin).post(
        url("partner_change_tier", vendor, reseller.pk), {"tier": platinum.pk}
    )
    assert response.status_code == 302
    assert refreshed(reseller).tier == platinum


def test_distributor_agreements_are_added_and_ended(login, vendor_admin, vendor, reseller, distributor):
    second = DistributorFactory(vendor=vendor, name="Dist Two")
    client = login(vendor_admin)
    response = client.post(url("partner_add_agreement", vendor, reseller.pk), {"distributor": second.pk})
    assert response.status_code == 302
    with scope(vendor=vendor):
        agreement = DistributorAgreement.objects.get(reseller=reseller, distributor=second)
    assert agreement.is_active

    response = client.post(url("partner_end_agreement", vendor, reseller.pk, agreement.pk))
    assert response.status_code == 302
    with scope(vendor=vendor):
        agreement.refresh_from_db()
    assert not agreement.is_active  # kept for the history of deals routed through it

    # Adding it again re-activates the same agreement.
    client.post(url("partner_add_agreement", vendor, reseller.pk), {"distributor": second.pk})
    with scope(vendor=vendor):
        agreement.refresh_from_db()
        assert DistributorAgreement.objects.filter(reseller=reseller, distributor=second).count() == 1
    assert agreement.is_active


def test_a_distributor_of_another_vendor_cannot_be_agreed(
    login, vendor_admin, vendor, reseller, other_vendor
):
    foreign = DistributorFactory(vendor=other_vendor)
    response = login(vendor_admin).post(
        url("partner_add_agreement", vendor, reseller.pk), {"distributor": foreign.pk}
    )
    assert response.status_code == 400
    with scopes_disabled():
        assert not DistributorAgreement.objects.filter(distributor=foreign).exists()


def test_an_agreement_of_another_reseller_is_404(
    login, vendor_admin, vendor, reseller, other_reseller, distributor
):
    with scope(vendor=vendor):
        agreement = DistributorAgreement.objects.get(reseller=reseller)
    response = login(vendor_admin).post(url("partner_end_agreement", vendor, other_reseller.pk, agreement.pk))
    assert response.status_code == 404
    with scope(vendor=vendor):
        agreement.refresh_from_db()
    assert agreement.is_active
