"""Extensions: the partner asks (also after expiry), a channel manager grants or declines; capped."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from deals.errors import DealActionError
from deals.models import DealEvent, DealState, ExtensionRequest, Protection
from deals.services import lifecycle, review
from partners.models import Membership, Program
from partners.permissions import Actor
from tests.factories import member
from tests.helpers import approved_deal, deal_url, emails, notifications_of, reload

Role = Membership.Role
pytestmark = pytest.mark.usefixtures("in_scope")  # services run inside the vendor's scope, as a request does


def actor(user) -> Actor:
    with scopes_disabled():
        return Actor(user, Membership.objects.select_related("organization", "vendor").get(user=user))


@pytest.fixture
def deal(reseller, partner_user, channel_manager):
    return approved_deal(
        organization=reseller, registered_by=partner_user, at=timezone.now() - timedelta(days=50)
    )


def open_requests(deal):
    with scopes_disabled():
        return list(ExtensionRequest.objects.filter(deal=deal, decided_at__isnull=True))


def test_it_records_the_request_and_tells_the_channel_managers(notify, deal, partner_user, channel_manager):
    request = notify(
        lifecycle.deal_request_extension, deal=deal, actor=actor(partner_user), reason="Board meets in May."
    )
    assert request.is_open and request.reason == "Board meets in May."
    assert [e.to for e in emails("extension_requested")] == [channel_manager.email]
    assert "Board meets in May." in emails("extension_requested")[0].text
    assert len(notifications_of(channel_manager, "extension_requested")) == 1
    with scopes_disabled():
        assert DealEvent.objects.filter(deal=deal, action="extension_requested").count() == 1


def test_a_reason_is_required_and_nothing_is_saved_without_one(deal, partner_user):
    with pytest.raises(DealActionError, match="reason"):
        lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="   ")
    assert open_requests(deal) == []


def test_a_second_open_request_is_refused(deal, partner_user):
    lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="More time, please.")
    with pytest.raises(DealActionError, match="already waiting"):
        lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="And again.")
    assert len(open_requests(deal)) == 1


def test_the_database_refuses_two_open_requests_for_one_deal(deal, partner_user):
    with scopes_disabled():
        ExtensionRequest.objects.create(deal=deal, requested_by=partner_user, reason="first")
        with pytest.raises(IntegrityError), transaction.atomic():
            ExtensionRequest.objects.create(deal=deal, requested_by=partner_user, reason="second")


def test_the_database_refuses_a_decision_without_a_date(deal, partner_user):
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(deal=deal, requested_by=partner_user, reason="x", decision="granted")


def test_granting_moves_the_expiry_by_the_programs_extension_days(
    notify, deal, partner_user, channel_manager
):
    old_expiry = deal.expires_at
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="Legal review.")
    decided = notify(
        review.deal_decide_extension, extension_request=request, actor=actor(channel_manager), grant=True
    )
    deal = reload(deal)
    assert decided.decision == "granted" and decided.decided_by == channel_manager
    assert deal.state == DealState.EXTENDED
    assert deal.expires_at == old_expiry + timedelta(days=30)
    assert deal.extension_count == 1
    assert [e.to for e in emails("extension_granted")] == [partner_user.email]
    assert open_requests(deal) == []


def test_a_partner_may_ask_after_expiry_and_a_grant_restores_protection(
    notify, reseller, partner_user, channel_manager
):
    expired = approved_deal(
        organization=reseller,
        registered_by=partner_user,
        at=timezone.now() - timedelta(days=70),
        state=DealState.EXPIRED,
    )
    request = lifecycle.deal_request_extension(
        deal=expired, actor=actor(partner_user), reason="Signed next week."
    )
    before = timezone.now()
    review.deal_decide_extension(extension_request=request, actor=actor(channel_manager), grant=True)
    deal = reload(expired)
    assert deal.state == DealState.EXTENDED
    assert deal.expires_at >= before + timedelta(days=30)  # from now, not from the old expiry
    with scopes_disabled():
        assert Protection.objects.filter(deal=deal, ended_at__isnull=True).exists()


def test_declining_needs_a_reason_and_tells_the_partner(notify, deal, partner_user, channel_manager):
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="More time.")
    with pytest.raises(DealActionError, match="reason"):
        review.deal_decide_extension(extension_request=request, actor=actor(channel_manager), grant=False)
    assert len(open_requests(deal)) == 1
    notify(
        review.deal_decide_extension,
        extension_request=request,
        actor=actor(channel_manager),
        grant=False,
        note="The customer confirmed they chose another vendor.",
    )
    assert reload(deal).expires_at == deal.expires_at
    declined = emails("extension_declined")
    assert [e.to for e in declined] == [partner_user.email]
    assert "chose another vendor" in declined[0].text


def test_the_program_caps_the_number_of_extensions(deal, partner_user, channel_manager, vendor):
    with scopes_disabled():
        Program.objects.filter(vendor=vendor).update(max_extensions=1)
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="Once.")
    review.deal_decide_extension(extension_request=request, actor=actor(channel_manager), grant=True)
    with pytest.raises(DealActionError, match="maximum of 1 extension"):
        lifecycle.deal_request_extension(deal=reload(deal), actor=actor(partner_user), reason="Twice.")
    assert open_requests(deal) == []


def test_a_request_is_decided_only_once(deal, partner_user, channel_manager):
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="More time.")
    review.deal_decide_extension(extension_request=request, actor=actor(channel_manager), grant=True)
    with pytest.raises(DealActionError, match="already granted"):
        review.deal_decide_extension(extension_request=request, actor=actor(channel_manager), grant=True)
    assert reload(deal).extension_count == 1


def test_only_channel_managers_decide(deal, partner_user, partner_admin):
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="More time.")
    with pytest.raises(DealActionError, match="channel managers"):
        review.deal_decide_extension(extension_request=request, actor=actor(partner_admin), grant=True)
    assert reload(deal).extension_count == 0


def test_only_the_registering_partner_may_ask(deal, reseller, distributor_user):
    colleague = member(Role.PARTNER_USER, organization=reseller)
    for someone in (colleague, distributor_user):
        with pytest.raises(DealActionError, match="registering partner"):
            lifecycle.deal_request_extension(deal=deal, actor=actor(someone), reason="Please.")
    assert open_requests(deal) == []


@pytest.mark.parametrize("state", [DealState.SUBMITTED, DealState.REVOKED, DealState.WON, DealState.ORDERED])
def test_deals_without_protection_to_extend_cannot_be_extended(reseller, partner_user, state):
    deal = approved_deal(organization=reseller, registered_by=partner_user, at=timezone.now(), state=state)
    with pytest.raises(DealActionError, match="cannot|only approved"):
        lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="Please.")


# --- pages ------------------------------------------------------------------------------------------

from django.urls import reverse  # noqa: E402


def test_the_deal_page_shows_both_countdowns_and_the_request_form(login, deal, partner_user):
    page = login(partner_user).get(deal_url("deal_detail", deal)).content.decode()
    assert 'id="expiry-countdown"' in page and "10 days left" in page
    assert 'id="staleness-countdown"' in page
    assert 'id="extension-request-form"' in page


def test_a_partner_requests_an_extension_from_the_deal_page(login, deal, partner_user, channel_manager):
    client = login(partner_user)
    response = client.post(
        deal_url("extension_request", deal), {"reason": "Customer's board meets on the 3rd."}
    )
    assert response.status_code == 302 and response["Location"].endswith("#extension-panel")
    assert len(open_requests(deal)) == 1
    page = client.get(deal_url("deal_detail", deal)).content.decode()
    assert "board meets on the 3rd" in page and 'id="extension-request-form"' not in page


def test_an_empty_reason_is_refused_with_a_clear_message(login, deal, partner_user):
    client = login(partner_user)
    client.post(deal_url("extension_request", deal), {"reason": ""})
    page = client.get(deal_url("deal_detail", deal)).content.decode()
    assert "Please explain why you need more time." in page
    assert open_requests(deal) == []


def test_the_note_to_decline_from_the_pending_list_has_room_for_its_words(
    login, deal, partner_user, channel_manager
):
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="Legal review.")
    page = login(channel_manager).get(reverse("extension_requests", args=[deal.vendor.slug])).content.decode()
    # A one-line input in a narrow table cell cut its placeholder ("Note (required to decline)") off.
    assert re.search(
        rf'<textarea[^>]*id="note-{request.pk}"[^>]*placeholder="Note \(required to decline\)"', page
    )


def test_the_channel_manager_grants_from_the_pending_list(login, deal, partner_user, channel_manager):
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="Legal review.")
    client = login(channel_manager)
    listing = client.get(reverse("extension_requests", args=[deal.vendor.slug]))
    assert deal.deal_number in listing.content.decode() and "Legal review." in listing.content.decode()
    next_url = reverse("extension_requests", args=[deal.vendor.slug])
    response = client.post(
        deal_url("extension_decide", deal, request.pk), {"decision": "grant", "note": "", "next": next_url}
    )
    assert response["Location"] == next_url
    assert reload(deal).state == DealState.EXTENDED


def test_declining_without_a_note_changes_nothing(login, deal, partner_user, channel_manager):
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="Legal review.")
    client = login(channel_manager)
    client.post(deal_url("extension_decide", deal, request.pk), {"decision": "decline", "note": " "})
    assert len(open_requests(deal)) == 1
    page = client.get(deal_url("deal_review", deal)).content.decode()
    assert "Please explain why you decline" in page
    assert 'id="open-extension-request"' in page


def test_partners_cannot_decide_and_outsiders_see_nothing(
    login, deal, partner_user, outsider, channel_manager
):
    request = lifecycle.deal_request_extension(deal=deal, actor=actor(partner_user), reason="Legal review.")
    decide = deal_url("extension_decide", deal, request.pk)
    assert login(partner_user).post(decide, {"decision": "grant"}).status_code == 403
    assert login(outsider).post(decide, {"decision": "grant"}).status_code == 404
    assert login(outsider).post(deal_url("extension_request", deal), {"reason": "x"}).status_code == 404
    assert reload(deal).extension_count == 0


def test_a_request_of_another_deal_is_not_found(login, deal, reseller, partner_user, channel_manager):
    other = approved_deal(organization=reseller, registered_by=partner_user, at=timezone.now())
    request = lifecycle.deal_request_extension(deal=other, actor=actor(partner_user), reason="More time.")
    response = login(channel_manager).post(
        deal_url("extension_decide", deal, request.pk), {"decision": "grant"}
    )
    assert response.status_code == 404


def test_the_expiring_list_shows_my_soon_expiring_and_expired_deals(
    login, reseller, partner_user, other_reseller
):
    now = timezone.now()
    soon = approved_deal(organization=reseller, registered_by=partner_user, at=now - timedelta(days=55))
    later = approved_deal(organization=reseller, registered_by=partner_user, at=now - timedelta(days=5))
    gone = approved_deal(
        organization=reseller,
        registered_by=partner_user,
        at=now - timedelta(days=70),
        state=DealState.EXPIRED,
    )
    stranger = member(Role.PARTNER_USER, organization=other_reseller)
    theirs = approved_deal(organization=other_reseller, registered_by=stranger, at=now - timedelta(days=55))
    page = login(partner_user).get(reverse("deals_expiring", args=[reseller.vendor.slug])).content.decode()
    assert soon.deal_number in page and gone.deal_number in page
    assert later.deal_number not in page and theirs.deal_number not in page
    assert page.index(gone.deal_number) < page.index(soon.deal_number)  # soonest (already past) first
