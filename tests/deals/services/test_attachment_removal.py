"""A draft's attachments can be removed by its registering partner; submitted evidence stays."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_scopes import scope, scopes_disabled

from deals.errors import DealActionError
from deals.models import Deal, DealAttachment, DealEvent, DealState
from deals.services import registration
from partners.models import Membership
from tests.factories import DealFactory, actor_of, member
from tests.partners.html_checks import assert_sound_page

Role = Membership.Role


@pytest.fixture
def draft(reseller, partner_user):
    return DealFactory(organization=reseller, registered_by=partner_user)


def attach(deal, user, name="notes.txt", content=b"met the CIO") -> DealAttachment:
    with scope(vendor=deal.vendor):
        return registration.deal_add_attachment(
            deal=deal, actor=actor_of(user, deal.vendor), upload=SimpleUploadedFile(name, content)
        )


def remove_url(deal, attachment) -> str:
    return f"/v/{deal.vendor.slug}/deals/{deal.number}/attachments/{attachment.pk}/remove/"


def detail_url(deal) -> str:
    return f"/v/{deal.vendor.slug}/deals/{deal.number}/"


def exists(attachment) -> bool:
    with scopes_disabled():
        return DealAttachment.objects.filter(pk=attachment.pk).exists()


def stored(attachment) -> bool:
    return attachment.file.storage.exists(attachment.file.name)


def set_state(deal, state):
    with scopes_disabled():
        Deal.objects.filter(pk=deal.pk).update(state=state)


# --- the service --------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [DealState.DRAFT, DealState.INFO_REQUESTED])
def test_it_removes_the_row_and_after_the_commit_the_stored_file(
    draft, partner_user, vendor, state, django_capture_on_commit_callbacks
):
    attachment = attach(draft, partner_user)
    set_state(draft, state)
    with django_capture_on_commit_callbacks(execute=True), scope(vendor=vendor):
        registration.deal_remove_attachment(
            deal=draft, actor=actor_of(partner_user, vendor), attachment=attachment
        )
        assert stored(attachment)  # the file outlives the transaction's end only until the commit
    assert not exists(attachment)
    assert not stored(attachment)
    with scopes_disabled():
        event = DealEvent.objects.get(deal=draft, action="attachment_removed")
    assert (event.note, event.actor) == ("notes.txt", partner_user)


def test_a_rolled_back_removal_keeps_both_the_row_and_the_file(
    draft, partner_user, vendor, django_capture_on_commit_callbacks
):
    attachment = attach(draft, partner_user)
    with (
        django_capture_on_commit_callbacks(execute=True),
        scope(vendor=vendor),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        registration.deal_remove_attachment(
            deal=draft, actor=actor_of(partner_user, vendor), attachment=attachment
        )
        raise RuntimeError("a later step of the same request fails")
    assert exists(attachment)
    assert stored(attachment)


@pytest.mark.parametrize("state", [DealState.SUBMITTED, DealState.APPROVED, DealState.WITHDRAWN])
def test_submitted_evidence_cannot_be_removed(draft, partner_user, vendor, state):
    attachment = attach(draft, partner_user)
    set_state(draft, state)
    with scope(vendor=vendor), pytest.raises(DealActionError, match="only while it is a draft"):
        registration.deal_remove_attachment(
            deal=draft, actor=actor_of(partner_user, vendor), attachment=attachment
        )
    assert exists(attachment) and stored(attachment)


def test_only_the_registering_partner_may_remove(draft, partner_user, channel_manager, vendor):
    attachment = attach(draft, partner_user)
    with scope(vendor=vendor), pytest.raises(DealActionError, match="Only the registering partner"):
        registration.deal_remove_attachment(
            deal=draft, actor=actor_of(channel_manager, vendor), attachment=attachment
        )
    assert exists(attachment)


def test_an_attachment_of_another_deal_is_refused(draft, partner_user, reseller, vendor):
    other = DealFactory(organization=reseller, registered_by=partner_user)
    elsewhere = attach(other, partner_user)
    with scope(vendor=vendor), pytest.raises(DealActionError, match="already removed"):
        registration.deal_remove_attachment(
            deal=draft, actor=actor_of(partner_user, vendor), attachment=elsewhere
        )
    assert exists(elsewhere)


# --- the page ----------------------------------------------------------------------------------------


def test_the_partner_removes_a_file_from_the_draft_page(login, draft, partner_user):
    attachment = attach(draft, partner_user, name="old-notes.txt")
    client = login(partner_user)
    page = client.get(detail_url(draft))
    html = page.content.decode()
    assert remove_url(draft, attachment) in html
    assert "Remove “old-notes.txt” from" in html  # the confirmation before the POST
    assert_sound_page(page)

    response = client.post(remove_url(draft, attachment), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "“old-notes.txt” was removed." in html
    assert "Attachment removed" in html  # on the timeline
    assert remove_url(draft, attachment) not in html
    assert not exists(attachment)


def test_the_partner_admin_of_the_organisation_may_remove_too(login, draft, partner_user, partner_admin):
    attachment = attach(draft, partner_user)
    assert login(partner_admin).post(remove_url(draft, attachment)).status_code == 302
    assert not exists(attachment)


def test_a_submitted_deal_offers_no_remove_and_refuses_a_stale_form(login, draft, partner_user):
    attachment = attach(draft, partner_user)
    set_state(draft, DealState.SUBMITTED)
    client = login(partner_user)
    assert remove_url(draft, attachment) not in client.get(detail_url(draft)).content.decode()

    response = client.post(remove_url(draft, attachment), follow=True)

    assert "attachments can be removed only while it is a draft" in response.content.decode()
    assert exists(attachment)


def test_those_who_may_not_edit_get_403_and_those_who_do_not_see_the_draft_404(
    login, draft, partner_user, distributor, distributor_user, channel_manager, other_reseller
):
    with scopes_disabled():
        Deal.objects.filter(pk=draft.pk).update(distributor=distributor)
    attachment = attach(draft, partner_user)
    stranger = member(Role.PARTNER_ADMIN, organization=other_reseller)
    colleague = member(Role.PARTNER_USER, organization=draft.organization)  # not the registrant
    # A draft belongs to its organisation until it is submitted: its distributor does not see it yet.
    assert login(distributor_user).post(remove_url(draft, attachment)).status_code == 404
    assert login(channel_manager).post(remove_url(draft, attachment)).status_code == 403
    assert login(stranger).post(remove_url(draft, attachment)).status_code == 404
    assert login(colleague).post(remove_url(draft, attachment)).status_code == 404
    assert exists(attachment)


def test_an_attachment_under_another_deal_s_number_is_not_found(login, draft, partner_user, reseller):
    other = DealFactory(organization=reseller, registered_by=partner_user)
    elsewhere = attach(other, partner_user)
    assert login(partner_user).post(remove_url(draft, elsewhere)).status_code == 404
    assert exists(elsewhere)


def test_removing_needs_a_post(login, draft, partner_user):
    attachment = attach(draft, partner_user)
    assert login(partner_user).get(remove_url(draft, attachment)).status_code == 405
    assert exists(attachment)
