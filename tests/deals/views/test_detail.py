"""The deal page: progress bar, data, timeline, updates and the partner's actions, shown only when allowed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from deals.models import Deal, DealAttachment, DealState, DealUpdate
from deals.services import review
from partners.models import Membership
from tests.factories import DealFactory, actor_of, member
from tests.helpers import conflicting_with, deal_page, reload, rival_registration


@pytest.fixture
def draft(reseller, partner_user):
    return DealFactory(organization=reseller, registered_by=partner_user)


@pytest.fixture
def submitted(reseller, partner_user):
    return DealFactory(organization=reseller, registered_by=partner_user, state=DealState.SUBMITTED)


def test_it_shows_the_deal_with_its_stage_progress(login, partner_user, vendor, submitted):
    response = login(partner_user).get(deal_page(vendor, submitted))
    html = response.content.decode()
    assert response.status_code == 200
    assert submitted.deal_number in html
    for stage in ("Registered", "Approved", "Quoted", "Order started", "Order submitted"):
        assert stage in html
    assert 'class="current" aria-current="step"' in html
    assert "Eligibility checklist" in html


def test_the_progress_bar_marks_approved_and_quoted_stages_done(login, partner_user, reseller, vendor):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=DealState.ORDERED)
    html = login(partner_user).get(deal_page(vendor, deal)).content.decode()
    assert html.count('class="done"') == 3
    assert "Current stage:</span>\n      Order started" in html


def test_a_draft_offers_edit_submit_and_withdraw_but_not_lose(login, partner_user, vendor, draft):
    html = login(partner_user).get(deal_page(vendor, draft)).content.decode()
    assert "Edit registration" in html
    assert "Submit registration" in html
    assert "Withdraw…" in html
    assert "Mark lost…" not in html


def test_an_approved_deal_offers_lose_and_updates_but_no_edit(login, partner_user, reseller, vendor):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=DealState.APPROVED)
    html = login(partner_user).get(deal_page(vendor, deal)).content.decode()
    assert "Mark lost…" in html
    assert "Post update" in html
    assert "Edit registration" not in html
    assert "Withdraw…" not in html


def test_a_colleague_partner_user_cannot_see_the_deal(login, reseller, vendor, submitted):
    colleague = member(Membership.Role.PARTNER_USER, organization=reseller)
    assert login(colleague).get(deal_page(vendor, submitted)).status_code == 404


def test_the_partner_admin_sees_every_deal_of_the_organisation(login, partner_admin, vendor, submitted):
    assert login(partner_admin).get(deal_page(vendor, submitted)).status_code == 200


def test_a_deal_hidden_from_the_distributor_shows_to_it_only_once_approved(
    login, reseller, distributor, distributor_user, vendor
):
    from django.utils import timezone

    hidden = DealFactory(
        organization=reseller,
        distributor=distributor,
        hidden_from_distributor=True,
        state=DealState.SUBMITTED,
    )
    assert login(distributor_user).get(deal_page(vendor, hidden)).status_code == 404
    with scopes_disabled():
        Deal.objects.filter(pk=hidden.pk).update(state=DealState.APPROVED, approved_at=timezone.now())
    assert login(distributor_user).get(deal_page(vendor, hidden)).status_code == 200


def test_another_resellers_deal_is_not_found(login, partner_user, other_reseller, vendor):
    deal = DealFactory(organization=other_reseller)
    assert login(partner_user).get(deal_page(vendor, deal)).status_code == 404


def test_a_deal_of_another_vendor_is_not_found(login, channel_manager, vendor, other_vendor):
    from tests.factories import OrganizationFactory

    foreign = DealFactory(organization=OrganizationFactory(vendor=other_vendor))
    DealFactory(organization=OrganizationFactory(vendor=vendor))  # number 1 exists here too
    assert login(channel_manager).get(f"/v/{vendor.slug}/deals/{foreign.number + 100}/").status_code == 404


def test_submit_from_the_deal_page(login, partner_user, vendor, draft):
    response = login(partner_user).post(deal_page(vendor, draft, "submit/"), follow=True)
    assert reload(draft).state == DealState.SUBMITTED
    assert "was submitted for review" in response.content.decode()


def test_submit_refused_by_a_rule_shows_why(login, partner_user, reseller, vendor):
    deal = DealFactory(organization=reseller, registered_by=partner_user, deal_type=Deal.DealType.RENEWAL)
    response = login(partner_user).post(deal_page(vendor, deal, "submit/"), follow=True)
    assert reload(deal).state == DealState.DRAFT
    assert "was not submitted" in response.content.decode()


def test_withdraw_closes_the_registration_and_records_the_note(login, partner_user, vendor, submitted):
    response = login(partner_user).post(
        deal_page(vendor, submitted, "withdraw/"), {"note": "Customer chose to wait"}
    )
    assert response.status_code == 302
    deal = reload(submitted)
    assert deal.state == DealState.WITHDRAWN
    with scopes_disabled():
        event = deal.events.get(action="withdraw")
    assert event.note == "Customer chose to wait"
    assert event.actor == partner_user


def test_an_illegal_transition_from_a_stale_page_is_a_message_not_an_error(
    login, partner_user, vendor, reseller
):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=DealState.REJECTED)
    response = login(partner_user).post(deal_page(vendor, deal, "withdraw/"), {"note": ""}, follow=True)
    assert response.status_code == 200
    assert "cannot be withdrawn now" in response.content.decode()
    assert reload(deal).state == DealState.REJECTED


def test_lose_needs_a_reason(login, partner_user, reseller, vendor):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=DealState.APPROVED)
    response = login(partner_user).post(deal_page(vendor, deal, "lose/"), {"reason": ""})
    assert response.status_code == 400
    assert "Say why the deal was lost." in response.content.decode()
    assert reload(deal).state == DealState.APPROVED
    response = login(partner_user).post(deal_page(vendor, deal, "lose/"), {"reason": "Budget cut"})
    assert reload(deal).state == DealState.LOST
    assert reload(deal).lost_reason == "Budget cut"


def test_posting_a_progress_update_restarts_the_staleness_clock(login, partner_user, reseller, vendor):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=DealState.APPROVED)
    login(partner_user).post(
        deal_page(vendor, deal, "updates/"), {"body": "Demo held, PO expected next week."}
    )
    with scopes_disabled():
        update = DealUpdate.objects.get(deal=deal)
    assert update.body == "Demo held, PO expected next week."
    assert reload(deal).last_progress_at == update.created_at
    html = login(partner_user).get(deal_page(vendor, deal)).content.decode()
    assert "Demo held, PO expected next week." in html


def test_an_empty_progress_update_is_refused_with_a_message(login, partner_user, reseller, vendor):
    deal = DealFactory(organization=reseller, registered_by=partner_user, state=DealState.APPROVED)
    response = login(partner_user).post(deal_page(vendor, deal, "updates/"), {"body": "  "})
    assert response.status_code == 400
    assert "Write what happened since the last update." in response.content.decode()
    with scopes_disabled():
        assert not DealUpdate.objects.filter(deal=deal).exists()


def test_the_timeline_shows_who_when_from_to_and_why(login, partner_user, channel_manager, vendor, submitted):
    with scope(vendor=vendor):
        review.deal_reject(
            deal=submitted,
            actor=actor_of(channel_manager, vendor),
            reason="below_threshold",
            note="Only 50 seats.",
        )
    html = login(partner_user).get(deal_page(vendor, submitted)).content.decode()
    assert "Rejected" in html
    assert "Submitted → Rejected" in html
    assert "Below the minimum threshold" in html
    assert "Only 50 seats." in html
    assert channel_manager.display_name in html


def test_attachments_are_added_and_downloaded_by_those_who_see_the_deal(
    login, partner_user, other_reseller, vendor, submitted
):
    upload = SimpleUploadedFile("notes.txt", b"met the CIO", content_type="text/plain")
    response = login(partner_user).post(deal_page(vendor, submitted, "attachments/"), {"attachments": upload})
    assert response.status_code == 302
    with scopes_disabled():
        attachment = DealAttachment.objects.get(deal=submitted)
    download = login(partner_user).get(deal_page(vendor, submitted, f"attachments/{attachment.pk}/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"met the CIO"
    stranger = member(Membership.Role.PARTNER_USER, organization=other_reseller)
    assert (
        login(stranger).get(deal_page(vendor, submitted, f"attachments/{attachment.pk}/")).status_code == 404
    )


def test_the_partner_is_told_of_a_conflict_but_never_by_whom(
    login, partner_user, reseller, other_reseller, vendor
):
    rival = rival_registration(other_reseller)
    mine = DealFactory(organization=reseller, registered_by=partner_user, **conflicting_with(rival))
    html = login(partner_user).get(deal_page(vendor, mine)).content.decode()
    assert "A registration for this prospect already exists" in html
    assert other_reseller.name not in html
    assert rival.deal_number not in html
