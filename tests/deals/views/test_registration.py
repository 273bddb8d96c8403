"""The registration form: grouped fields, drafts, submission (completeness, rules), nothing half-saved."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from deals.models import Deal, DealAttachment, DealState, Prospect
from tests.factories import DealFactory, DistributorFactory, ProductFactory, ProspectFactory
from tests.helpers import deal_post, deals_of


@pytest.fixture
def product(vendor):
    return ProductFactory(vendor=vendor, name="Endpoint Shield", min_quantity=100)


def url(vendor, name="new/"):
    return f"/v/{vendor.slug}/deals/{name}"


def test_it_shows_the_form_grouped_like_the_seed_with_the_partner_prefilled(
    login, partner_user, vendor, product
):
    response = login(partner_user).get(url(vendor))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Company", "Partner", "End user", "Opportunity", "Would this deal qualify?"):
        assert heading in html
    assert "ZIP code" in html
    assert f'value="{partner_user.email}"' in html
    assert "Verify" in html
    assert "Save draft" in html and "Submit registration" in html


def test_it_labels_the_address_the_british_way_for_en_gb(login, partner_user, vendor, product):
    response = login(partner_user).get(url(vendor), HTTP_ACCEPT_LANGUAGE="en-gb")
    html = response.content.decode()
    assert "Postcode" in html
    assert "ZIP code" not in html


def test_it_saves_an_incomplete_draft(login, partner_user, vendor, product, distributor):
    data = {"company_name": "Half Done Ltd", "intent": "save", **_no_lines()}
    response = login(partner_user).post(url(vendor), data)
    [deal] = deals_of(vendor)
    assert response.status_code == 302
    assert response["Location"] == f"/v/{vendor.slug}/deals/{deal.number}/"
    assert deal.state == DealState.DRAFT
    assert deal.company_name == "Half Done Ltd"


def test_submitting_an_incomplete_deal_marks_every_missing_field_and_saves_nothing(
    login, partner_user, vendor, product, distributor
):
    data = {"company_name": "Half Done Ltd", "intent": "submit", **_no_lines()}
    response = login(partner_user).post(url(vendor), data)
    assert response.status_code == 400
    assert deals_of(vendor) == []
    html = response.content.decode()
    assert "Nothing was saved yet" in html
    assert html.count("Required to submit the registration.") >= 10
    assert "Add at least one product with its quantity to submit." in html
    assert "Choose the distributor the customer buys through to submit." in html


def test_it_submits_a_complete_deal_with_its_prospect_and_lines(
    login, partner_user, vendor, product, distributor
):
    response = login(partner_user).post(url(vendor), deal_post(product, distributor))
    [deal] = deals_of(vendor)
    assert response.status_code == 302
    with scopes_disabled():
        assert deal.state == DealState.SUBMITTED
        assert deal.domain == "initech-corp.com"
        assert deal.prospect.domain == "initech-corp.com"
        assert [(line.product, line.quantity) for line in deal.lines.all()] == [(product, 800)]
        assert deal.distributor == distributor
        assert deal.registered_by == partner_user


def test_a_failing_rule_blocks_submission_explains_why_and_saves_nothing(
    login, partner_user, vendor, product, distributor
):
    data = deal_post(product, distributor, deal_type=Deal.DealType.RENEWAL, **{"lines-0-quantity": "5"})
    response = login(partner_user).post(url(vendor), data)
    assert response.status_code == 400
    assert deals_of(vendor) == []
    with scopes_disabled():
        assert not Prospect.objects.filter(domain="initech-corp.com").exists()
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "The program&#x27;s rules refuse this registration" in html or "rules refuse" in html


def test_a_failed_submit_leaves_an_existing_draft_as_it_was(
    login, partner_user, reseller, vendor, product, distributor
):
    draft = DealFactory(
        organization=reseller,
        registered_by=partner_user,
        company_name="Original Name",
    )
    # Complete, but a renewal: the rules refuse it after the draft was saved, so the save rolls back.
    data = deal_post(product, distributor, company_name="Changed Name", deal_type=Deal.DealType.RENEWAL)
    response = login(partner_user).post(url(vendor, f"{draft.number}/edit/"), data)
    assert response.status_code == 400
    with scopes_disabled():
        draft = Deal.objects.get(pk=draft.pk)
        assert not draft.events.exists()
    assert draft.company_name == "Original Name"
    assert draft.deal_type == Deal.DealType.NET_NEW
    assert draft.state == DealState.DRAFT
    assert "Nothing was saved" in response.content.decode()


def test_it_refuses_a_bad_domain_with_a_clear_message(login, partner_user, vendor, product, distributor):
    data = deal_post(product, distributor, domain="not a domain", intent="save")
    response = login(partner_user).post(url(vendor), data)
    assert response.status_code == 400
    assert deals_of(vendor) == []
    assert "A domain cannot contain spaces." in response.content.decode()


def test_it_refuses_a_close_date_in_the_past(login, partner_user, vendor, product, distributor):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    data = deal_post(product, distributor, expected_close_date=yesterday, intent="save")
    response = login(partner_user).post(url(vendor), data)
    assert response.status_code == 400
    assert "The expected close date cannot be in the past." in response.content.decode()
    assert deals_of(vendor) == []


def test_it_refuses_the_same_product_on_two_lines(login, partner_user, vendor, product, distributor):
    data = deal_post(
        product, distributor,
        **{"lines-TOTAL_FORMS": "2", "lines-1-product": str(product.pk), "lines-1-quantity": "5"},
    )  # fmt: skip
    response = login(partner_user).post(url(vendor), data)
    assert response.status_code == 400
    assert "is listed twice" in response.content.decode()
    assert deals_of(vendor) == []


def test_a_line_needs_both_product_and_quantity(login, partner_user, vendor, product, distributor):
    data = deal_post(product, distributor, **{"lines-0-quantity": ""})
    response = login(partner_user).post(url(vendor), data)
    assert response.status_code == 400
    assert "Enter how many endpoints." in response.content.decode()


def test_it_offers_only_authorised_distributors(login, partner_user, vendor, product, distributor):
    stranger = DistributorFactory(vendor=vendor, name="Unrelated Distribution")
    response = login(partner_user).get(url(vendor))
    html = response.content.decode()
    assert distributor.name in html
    assert stranger.name not in html
    response = login(partner_user).post(url(vendor), deal_post(product, stranger))
    assert response.status_code == 400
    assert deals_of(vendor) == []


def test_it_hides_the_distributor_fields_in_a_one_tier_program(login, partner_user, vendor, product):
    with scopes_disabled():
        vendor.program.two_tier = False
        vendor.program.save()
    response = login(partner_user).get(url(vendor))
    assert 'name="distributor"' not in response.content.decode()
    response = login(partner_user).post(url(vendor), deal_post(product, None))
    assert response.status_code == 302
    assert deals_of(vendor)[0].state == DealState.SUBMITTED


def test_it_stores_attachments_with_the_draft(login, partner_user, vendor, product, distributor):
    upload = SimpleUploadedFile("meeting-notes.pdf", b"%PDF-1.4 notes", content_type="application/pdf")
    data = deal_post(product, distributor, intent="save", attachments=upload)
    response = login(partner_user).post(url(vendor), data)
    assert response.status_code == 302
    with scopes_disabled():
        [attachment] = DealAttachment.objects.filter(deal__vendor=vendor)
    assert attachment.original_name == "meeting-notes.pdf"
    assert attachment.size == len(b"%PDF-1.4 notes")


def test_it_refuses_an_attachment_of_a_forbidden_type_and_saves_nothing(
    login, partner_user, vendor, product, distributor
):
    upload = SimpleUploadedFile("installer.exe", b"MZ", content_type="application/octet-stream")
    response = login(partner_user).post(url(vendor), deal_post(product, distributor, attachments=upload))
    assert response.status_code == 400
    assert "is a .exe file" in response.content.decode()
    assert deals_of(vendor) == []


@override_settings(ATTACHMENT_MAX_BYTES=10)
def test_it_refuses_an_attachment_over_the_size_limit(login, partner_user, vendor, product, distributor):
    upload = SimpleUploadedFile("big.pdf", b"x" * 11, content_type="application/pdf")
    response = login(partner_user).post(url(vendor), deal_post(product, distributor, attachments=upload))
    assert response.status_code == 400
    assert "the limit is 10" in response.content.decode()
    assert deals_of(vendor) == []


def test_a_submitted_deal_can_no_longer_be_edited(login, partner_user, reseller, vendor, product):
    deal = DealFactory(
        organization=reseller,
        registered_by=partner_user,
        state=DealState.SUBMITTED,
    )
    response = login(partner_user).get(url(vendor, f"{deal.number}/edit/"), follow=True)
    assert "can no longer be edited" in response.content.decode()


def test_another_resellers_draft_is_not_found(login, partner_user, other_reseller, vendor):
    deal = DealFactory(organization=other_reseller)
    assert login(partner_user).get(url(vendor, f"{deal.number}/edit/")).status_code == 404


# --- htmx: domain check and live checklist ---------------------------------------------------------


def test_verify_finds_the_existing_prospect(login, partner_user, vendor):
    ProspectFactory(vendor=vendor, name="Initech Corporation", domain="initech-corp.com")
    response = login(partner_user).post(
        url(vendor, "verify-domain/"), {"domain": "https://www.initech-corp.com/x"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Existing prospect:" in html and "Initech Corporation" in html
    assert 'value="initech-corp.com"' in html
    assert "bi-check-circle-fill" in html


def test_verify_fills_in_the_known_prospects_name(login, partner_user, vendor):
    """One company, one spelling: the company name becomes the prospect's (htmx swaps it out of band)."""
    ProspectFactory(vendor=vendor, name="Initech Corporation", domain="initech-corp.com")
    response = login(partner_user).post(url(vendor, "verify-domain/"), {"domain": "initech-corp.com"})
    html = response.content.decode()
    company_input = re.search(r"<input[^>]*name=\"company_name\"[^>]*>", html)
    assert company_input, "the verify response redraws the company-name input"
    assert 'value="Initech Corporation"' in company_input[0]
    assert 'id="id_company_name"' in company_input[0] and 'hx-swap-oob="true"' in company_input[0]


def test_verify_leaves_the_company_name_alone_for_a_new_prospect(login, partner_user, vendor):
    response = login(partner_user).post(url(vendor, "verify-domain/"), {"domain": "newco.example.co.uk"})
    assert 'name="company_name"' not in response.content.decode()


def test_verify_announces_a_new_prospect(login, partner_user, vendor):
    response = login(partner_user).post(url(vendor, "verify-domain/"), {"domain": "newco.example.co.uk"})
    html = response.content.decode()
    assert "a new prospect will be created" in html
    assert "bi-check-circle-fill" in html


def test_verify_explains_a_bad_domain(login, partner_user, vendor):
    response = login(partner_user).post(url(vendor, "verify-domain/"), {"domain": "co.uk"})
    html = response.content.decode()
    assert "is a public domain ending" in html
    assert "bi-check-circle-fill" not in html
    assert "is-invalid" in html


def test_the_live_checklist_judges_the_unsaved_form(login, partner_user, vendor, product, distributor):
    data = deal_post(product, distributor, deal_type=Deal.DealType.RENEWAL)
    response = login(partner_user).post(url(vendor, "checklist/"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "verdict-fail" in html
    assert "A failing check blocks submission" in html
    assert deals_of(vendor) == []


def test_the_live_checklist_passes_a_qualifying_deal(login, partner_user, vendor, product, distributor):
    response = login(partner_user).post(url(vendor, "checklist/"), deal_post(product, distributor))
    html = response.content.decode()
    assert "verdict-fail" not in html
    assert "Nothing blocks submission." in html


def _no_lines():
    return {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product": "",
        "lines-0-quantity": "",
    }


def test_editing_a_draft_shows_its_lines_and_an_empty_one(login, partner_user, reseller, vendor, product):
    draft = DealFactory(organization=reseller, registered_by=partner_user, lines=[(product, 250)])
    html = login(partner_user).get(url(vendor, f"{draft.number}/edit/")).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="2"' in html
    assert 'name="lines-INITIAL_FORMS" value="1"' in html
    assert 'name="lines-0-quantity" id="id_lines-0-quantity" value="250"' in html
    assert "bi-check-circle-fill" in html  # its domain was verified when it was saved
