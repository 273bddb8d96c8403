"""The installation admin: every deal model lists and opens; deals are view-only; domains are normalised."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from deals.models import DealState, PipelineEntry, Prospect
from tests.factories import DealFactory, PipelineEntryFactory, ProductFactory, ProspectFactory


@pytest.fixture
def deal(reseller):
    return DealFactory(organization=reseller, state=DealState.QUOTED)


@pytest.mark.parametrize("model", ["deal", "prospect", "pipelineentry", "protection"])
def test_every_list_and_change_page_opens(staff_client, deal, vendor, model):
    PipelineEntryFactory(vendor=vendor)
    with scopes_disabled():
        obj = {
            "deal": deal,
            "prospect": deal.prospect,
            "pipelineentry": PipelineEntry.objects.first(),
            "protection": deal.protections.first(),
        }[model]
    assert staff_client.get(reverse(f"admin:deals_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:deals_{model}_change", args=[obj.pk])).status_code == 200


def test_a_deal_is_view_only_in_the_admin(staff_client, deal):
    page = staff_client.get(reverse("admin:deals_deal_change", args=[deal.pk]))
    assert b'name="state"' not in page.content
    assert b"timeline" in page.content.lower()
    assert staff_client.get(reverse("admin:deals_deal_add")).status_code == 403
    assert (
        staff_client.post(reverse("admin:deals_deal_delete", args=[deal.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_a_prospect_domain_is_stored_normalised(staff_client, vendor):
    response = staff_client.post(
        reverse("admin:deals_prospect_add"),
        {"vendor": vendor.pk, "name": "Initech", "domain": "https://www.initech.co.uk/about", "country": "GB",
         "created_at_0": "2026-01-01", "created_at_1": "10:00"},
    )  # fmt: skip
    assert response.status_code == 302
    with scopes_disabled():
        assert Prospect.objects.get(name="Initech").domain == "initech.co.uk"


def test_a_bad_prospect_domain_is_refused(staff_client, vendor):
    response = staff_client.post(
        reverse("admin:deals_prospect_add"),
        {"vendor": vendor.pk, "name": "Intranet", "domain": "intranet", "created_at_0": "2026-01-01",
         "created_at_1": "10:00"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "no public domain ending" in response.content.decode()
    with scopes_disabled():
        assert not Prospect.objects.filter(name="Intranet").exists()


def test_a_pipeline_entry_cannot_name_another_vendors_product(staff_client, vendor, other_vendor):
    foreign = ProductFactory(vendor=other_vendor)
    response = staff_client.post(
        reverse("admin:deals_pipelineentry_add"),
        {"vendor": vendor.pk, "company_name": "Initech", "domain": "", "product": foreign.pk, "owner": "",
         "stage": "", "external_id": "X-1", "is_active": "on", "imported_at_0": "2026-01-01",
         "imported_at_1": "10:00"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "This product belongs to another vendor." in response.content.decode()


def test_prospects_of_every_vendor_are_listed(staff_client, vendor, other_vendor):
    ProspectFactory(vendor=vendor, name="Initech")
    ProspectFactory(vendor=other_vendor, name="Hooli")
    content = staff_client.get(reverse("admin:deals_prospect_changelist")).content.decode()
    assert "Initech" in content and "Hooli" in content
