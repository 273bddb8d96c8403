"""Lists, the approval queue with its review SLA, and the channel manager's review page and decisions."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from deals.models import Deal, DealState
from deals.selectors.lists import review_sla
from tests.factories import DealFactory, PipelineEntryFactory, ProductFactory, ProspectFactory
from tests.helpers import conflicting_with, reload, rival_registration


def waiting(reseller, *, due_in_hours, submitted_days_ago=1, **kwargs):
    now = timezone.now()
    return DealFactory(
        organization=reseller,
        state=DealState.SUBMITTED,
        submitted_at=now - dt.timedelta(days=submitted_days_ago),
        review_due_at=now + dt.timedelta(hours=due_in_hours),
        **kwargs,
    )


# --- lists -----------------------------------------------------------------------------------------


def test_the_partner_list_shows_own_deals_only(login, partner_user, reseller, other_reseller, vendor):
    mine = DealFactory(organization=reseller, registered_by=partner_user, company_name="Mine Corp")
    theirs = DealFactory(organization=other_reseller, company_name="Theirs Corp")
    html = login(partner_user).get(f"/v/{vendor.slug}/deals/").content.decode()
    assert mine.deal_number in html and "Mine Corp" in html
    assert theirs.deal_number not in html and "Theirs Corp" not in html


def test_the_partner_list_searches_by_number_or_prospect_name(login, partner_admin, reseller, vendor):
    first = DealFactory(organization=reseller, company_name="Globex Chemicals")
    second = DealFactory(organization=reseller, company_name="Hooli Search")
    client = login(partner_admin)
    html = client.get(f"/v/{vendor.slug}/deals/", {"q": "hooli"}).content.decode()
    assert second.deal_number in html and first.deal_number not in html
    html = client.get(f"/v/{vendor.slug}/deals/", {"q": first.deal_number}).content.decode()
    assert first.deal_number in html and second.deal_number not in html


def test_the_partner_list_filters_by_state_and_paginates(login, partner_admin, reseller, vendor):
    for _ in range(27):
        DealFactory(organization=reseller, state=DealState.SUBMITTED, lines=[])
    approved = DealFactory(organization=reseller, state=DealState.APPROVED, lines=[])
    client = login(partner_admin)
    html = client.get(f"/v/{vendor.slug}/deals/", {"state": "approved"}).content.decode()
    assert approved.deal_number in html and "1 registration" in html
    html = client.get(f"/v/{vendor.slug}/deals/").content.decode()
    assert "Page 1 of 2" in html
    assert client.get(f"/v/{vendor.slug}/deals/", {"page": 2}).status_code == 200


def test_the_channel_manager_lists_every_deal_of_the_vendor_with_partner_filter(
    login, channel_manager, reseller, other_reseller, vendor
):
    ours = DealFactory(organization=reseller, lines=[], state=DealState.SUBMITTED)
    theirs = DealFactory(organization=other_reseller, lines=[], state=DealState.SUBMITTED)
    client = login(channel_manager)
    html = client.get(f"/v/{vendor.slug}/deals/").content.decode()
    assert ours.deal_number in html and theirs.deal_number in html
    html = client.get(f"/v/{vendor.slug}/deals/", {"organization": other_reseller.pk}).content.decode()
    assert theirs.deal_number in html and ours.deal_number not in html


# --- the queue -------------------------------------------------------------------------------------


def test_the_queue_lists_waiting_deals_oldest_first_with_their_sla(login, channel_manager, reseller, vendor):
    late = waiting(reseller, due_in_hours=-5, submitted_days_ago=6, company_name="Late Corp")
    on_time = waiting(reseller, due_in_hours=72, submitted_days_ago=1, company_name="Fresh Corp")
    DealFactory(organization=reseller, state=DealState.APPROVED, company_name="Done Corp")
    html = login(channel_manager).get(f"/v/{vendor.slug}/deals/queue/").content.decode()
    assert html.index(late.deal_number) < html.index(on_time.deal_number)
    assert "Done Corp" not in html
    assert "Late" in html and "On time" in html


def test_the_queue_filters_by_sla_state_and_product(login, channel_manager, reseller, vendor):
    special = ProductFactory(vendor=vendor, name="Special Product")
    late = waiting(reseller, due_in_hours=-5, submitted_days_ago=6)
    on_time = waiting(reseller, due_in_hours=72, lines=[(special, 10)])
    client = login(channel_manager)
    html = client.get(f"/v/{vendor.slug}/deals/queue/", {"sla": "late"}).content.decode()
    assert late.deal_number in html and on_time.deal_number not in html
    html = client.get(f"/v/{vendor.slug}/deals/queue/", {"product": special.pk}).content.decode()
    assert on_time.deal_number in html and late.deal_number not in html


def test_sla_state_is_on_time_due_today_or_late(reseller, vendor):
    now = timezone.now()
    today_end = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(23, 59)))
    deal = waiting(reseller, due_in_hours=0)

    def sla_when_due(due, at=now):
        with scopes_disabled():
            Deal.objects.filter(pk=deal.pk).update(review_due_at=due)
        with scope(vendor=vendor):
            return review_sla(deal, now=at)

    assert sla_when_due(now - dt.timedelta(minutes=1)) == "late"
    assert sla_when_due(now + dt.timedelta(days=2)) == "on_time"
    assert sla_when_due(today_end, min(now, today_end - dt.timedelta(minutes=1))) == "due_today"


def test_partners_cannot_open_the_queue_or_review(login, partner_admin, reseller, vendor):
    deal = waiting(reseller, due_in_hours=10)
    client = login(partner_admin)
    assert client.get(f"/v/{vendor.slug}/deals/queue/").status_code == 403
    assert client.get(f"/v/{vendor.slug}/deals/{deal.number}/review/").status_code == 403
    assert client.post(f"/v/{vendor.slug}/deals/{deal.number}/approve/").status_code == 403
    assert reload(deal).state == DealState.SUBMITTED


# --- review and decisions --------------------------------------------------------------------------


@pytest.fixture
def review(login, channel_manager, vendor):
    client = login(channel_manager)

    def _post(deal, action, data=None, follow=False):
        return client.post(f"/v/{vendor.slug}/deals/{deal.number}/{action}/", data or {}, follow=follow)

    _post.client = client
    return _post


def test_the_review_page_shows_the_matches_side_by_side_with_scores(
    login, channel_manager, reseller, other_reseller, vendor
):
    rival = rival_registration(other_reseller)
    PipelineEntryFactory(vendor=vendor, company_name="Contoso Limited", domain="contoso.example", owner="Sam")
    deal = waiting(reseller, due_in_hours=10, **conflicting_with(rival))
    html = login(channel_manager).get(f"/v/{vendor.slug}/deals/{deal.number}/review/").content.decode()
    assert "Conflict check" in html
    assert other_reseller.name in html
    assert rival.deal_number in html
    assert "Vendor sales (Sam)" in html
    assert "100%" in html
    assert "Eligibility checklist" in html
    assert "Approve registration" in html


def test_approve_from_the_review_page(review, reseller, vendor):
    deal = waiting(reseller, due_in_hours=10)
    response = review(deal, "approve", {"approve-note": "Welcome aboard"}, follow=True)
    deal = reload(deal)
    assert deal.state in (DealState.APPROVED, DealState.QUOTED)
    assert deal.expires_at is not None
    assert "was approved; protected until" in response.content.decode()


def test_reject_needs_a_reason_code_and_an_explanation(review, reseller, vendor):
    deal = waiting(reseller, due_in_hours=10)
    response = review(deal, "reject", {"reject-reason": "", "reject-note": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose the reason for the rejection." in html
    assert "Explain the rejection: the partner sees this explanation." in html
    assert reload(deal).state == DealState.SUBMITTED
    review(deal, "reject", {"reject-reason": "renewal", "reject-note": "This is a renewal."})
    deal = reload(deal)
    assert deal.state == DealState.REJECTED
    assert deal.rejection_reason == "renewal"
    assert deal.decision_note == "This is a renewal."


def test_a_refused_decision_says_what_to_fix_at_the_top_and_opens_its_form_there(review, reseller, vendor):
    deal = waiting(reseller, due_in_hours=10)
    html = review(deal, "reject", {"reject-reason": "", "reject-note": "A renewal."}).content.decode()
    top = html[html.index('class="messages"') : html.index("<h1")]
    assert "Choose the reason for the rejection." in top  # the error itself, not only "correct the form"
    assert 'href="#decision-reject"' in top  # and a link to the form holding it
    assert re.search(r'<details[^>]*id="decision-reject"[^>]*\bopen\b', html)
    assert not re.search(r'<details[^>]*id="decision-info"[^>]*\bopen\b', html)  # the other stay folded


def test_request_info_needs_a_note_and_returns_the_deal_to_the_partner(
    review, login, partner_user, reseller, vendor
):
    deal = waiting(reseller, due_in_hours=10, registered_by=partner_user)
    assert review(deal, "request-info", {"info-note": ""}).status_code == 400
    assert reload(deal).state == DealState.SUBMITTED
    review(deal, "request-info", {"info-note": "Which mail server do they migrate to?"})
    assert reload(deal).state == DealState.INFO_REQUESTED
    html = login(partner_user).get(f"/v/{vendor.slug}/deals/{deal.number}/").content.decode()
    assert "Which mail server do they migrate to?" in html
    assert "Edit registration" in html


def test_revoke_an_approved_deal_with_a_reason(review, reseller, vendor):
    deal = DealFactory(organization=reseller, state=DealState.APPROVED)
    assert review(deal, "revoke", {"revoke-reason": "", "revoke-note": "x"}).status_code == 400
    review(deal, "revoke", {"revoke-reason": "criteria_not_met", "revoke-note": "Customer went with an MSP."})
    deal = reload(deal)
    assert deal.state == DealState.REVOKED
    assert deal.revocation_reason == "criteria_not_met"


def test_approving_a_deal_already_decided_elsewhere_is_a_message_not_an_error(review, reseller, vendor):
    deal = DealFactory(organization=reseller, state=DealState.REJECTED)
    response = review(deal, "approve", {}, follow=True)
    assert response.status_code == 200
    assert "cannot be approved now" in response.content.decode()
    assert reload(deal).state == DealState.REJECTED


def test_a_second_partners_approval_for_a_protected_product_fails_cleanly(
    review, reseller, other_reseller, vendor
):
    prospect = ProspectFactory(vendor=vendor)
    holder = DealFactory(organization=other_reseller, prospect=prospect, state=DealState.APPROVED)
    with scopes_disabled():
        product = holder.lines.get().product
    deal = waiting(reseller, due_in_hours=10, prospect=prospect, lines=[(product, 10)])
    response = review(deal, "approve", {}, follow=True)
    assert response.status_code == 200
    assert "already protects a product" in response.content.decode()
    assert reload(deal).state == DealState.SUBMITTED


def test_approval_shows_as_blocked_when_another_partner_holds_protection(
    login, channel_manager, reseller, other_reseller, vendor
):
    rival = rival_registration(other_reseller)  # approved: it protects its product at Contoso
    PipelineEntryFactory(vendor=vendor, company_name="Contoso Limited", domain="contoso.example")
    deal = waiting(reseller, due_in_hours=10, **conflicting_with(rival))
    html = login(channel_manager).get(f"/v/{vendor.slug}/deals/{deal.number}/review/").content.decode()
    assert re.search(r'<button[^>]*id="approve-button"[^>]*\bdisabled\b', html)  # not offered to click
    blocked = html[html.index('id="approval-blocked"') :]
    assert f"{rival.deal_number} ({other_reseller.name}) protects" in blocked[:600]
    table = html[html.index("conflict-matches") :]
    rows = table[: table.index("</table>")].split("<tr")
    [rival_row] = [row for row in rows if rival.deal_number in row and "Registration" in row]
    assert "Holds protection" in rival_row
    assert not any("Holds protection" in row for row in rows if "Pipeline" in row)


def test_approval_is_not_blocked_by_a_protection_of_another_product(
    login, channel_manager, reseller, other_reseller, vendor
):
    rival = rival_registration(other_reseller)
    deal = waiting(
        reseller, due_in_hours=10, prospect=rival.prospect, lines=[(ProductFactory(vendor=vendor), 5)]
    )
    html = login(channel_manager).get(f"/v/{vendor.slug}/deals/{deal.number}/review/").content.decode()
    assert 'id="approval-blocked"' not in html and "Holds protection" not in html
    assert not re.search(r'<button[^>]*id="approve-button"[^>]*\bdisabled\b', html)


def test_a_channel_manager_of_another_vendor_gets_404(login, outsider, reseller, vendor):
    deal = waiting(reseller, due_in_hours=10)
    assert login(outsider).get(f"/v/{vendor.slug}/deals/{deal.number}/review/").status_code == 404


def test_a_vendor_admin_may_review_too(login, vendor_admin, reseller, vendor):
    deal = waiting(reseller, due_in_hours=10)
    assert login(vendor_admin).get(f"/v/{vendor.slug}/deals/{deal.number}/review/").status_code == 200


def test_a_distributor_user_cannot_decide(login, distributor_user, reseller, vendor):
    deal = waiting(reseller, due_in_hours=10)
    assert login(distributor_user).post(f"/v/{vendor.slug}/deals/{deal.number}/approve/").status_code == 403
