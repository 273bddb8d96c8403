"""deals.services.notices, who hears about what: every deal event reaches the right people of that vendor and
organisation, once."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from deals.models import DealEvent, DealParticipant, DealState
from deals.services import notices
from deals.services.notices import ACTION_EVENTS
from notifications import services
from notifications.events import EVENT_TYPES
from notifications.models import DispatchedEvent
from partners.models import Membership
from tests.factories import OrganizationFactory, member
from tests.helpers import approved_deal, emails, notifications_of

Role = Membership.Role


@pytest.fixture
def deal(reseller, partner_user, partner_admin, channel_manager, distributor, distributor_user, outsider):
    return approved_deal(
        organization=reseller, registered_by=partner_user, at=timezone.now(), distributor=distributor
    )


def record(deal, action, *, actor=None, note="") -> DealEvent:
    with scopes_disabled():
        event = DealEvent.objects.create(deal=deal, action=action, actor=actor, note=note)
    notices.dispatch_events(event_ids=[event.pk])
    return event


def recipients(event_type):
    return sorted(e.to for e in emails(event_type))


def test_an_approval_reaches_the_partner_and_the_distributor(
    deal, partner_user, partner_admin, distributor_user, channel_manager
):
    record(deal, "approve", actor=channel_manager)
    assert recipients("deal_approved") == sorted(
        [partner_user.email, partner_admin.email, distributor_user.email]
    )
    [to_partner] = emails("deal_approved", to=partner_user.email)
    assert deal.deal_number in to_partner.subject
    assert "Protection runs until" in to_partner.text and "progress update" in to_partner.text
    assert f"/v/{deal.vendor.slug}/deals/{deal.number}/" in to_partner.html
    assert len(notifications_of(partner_user, "deal_approved")) == 1


def test_a_submission_confirms_to_the_partner_and_asks_the_channel_managers(
    deal, partner_user, partner_admin, channel_manager, distributor_user
):
    with scopes_disabled():
        deal.review_due_at = timezone.now() + timedelta(days=3)
    record(deal, "submit", actor=partner_user)
    to_partner = emails("deal_submitted", to=partner_user.email)
    to_manager = emails("deal_submitted", to=channel_manager.email)
    assert len(to_partner) == 1 and "submitted to" in to_partner[0].text  # the confirmation
    assert len(to_manager) == 1 and "review" in to_manager[0].subject.lower()
    assert distributor_user.email not in recipients("deal_submitted")


def test_a_hidden_deal_reaches_the_distributor_only_once_approved(
    reseller, partner_user, distributor, distributor_user
):
    hidden = approved_deal(
        organization=reseller,
        registered_by=partner_user,
        at=timezone.now(),
        distributor=distributor,
        hidden_from_distributor=True,
        approved_at=None,
        state=DealState.SUBMITTED,
    )
    record(hidden, "reject")
    assert recipients("deal_rejected") == [partner_user.email]
    with scopes_disabled():
        hidden.approved_at = timezone.now()
        hidden.save()
    record(hidden, "revoke")
    assert distributor_user.email in recipients("deal_revoked")


def test_the_person_who_acted_does_not_hear_about_it(deal, partner_user, partner_admin, channel_manager):
    record(deal, "start_order", actor=partner_admin)
    assert partner_admin.email not in recipients("order_started")
    assert partner_user.email in recipients("order_started")
    assert channel_manager.email in recipients("order_started")


def test_another_organisation_and_another_vendor_hear_nothing(deal, other_reseller, outsider):
    stranger = member(Role.PARTNER_ADMIN, organization=other_reseller)
    for action in ACTION_EVENTS:
        record(deal, action)
    assert emails(to=stranger.email) == [] and emails(to=outsider.email) == []
    assert notifications_of(stranger) == [] and notifications_of(outsider) == []


def test_channel_managers_fall_back_to_vendor_admins(reseller, partner_user, vendor):
    admin = member(Role.VENDOR_ADMIN, vendor=vendor)
    deal = approved_deal(organization=reseller, registered_by=partner_user, at=timezone.now())
    record(deal, "extension_requested", actor=partner_user, note="More time")
    assert recipients("extension_requested") == [admin.email]


def test_an_event_is_dispatched_once_however_often_it_is_reported(deal, partner_user):
    event = record(deal, "expire")
    for _ in range(3):
        notices.deal_event_recorded(event_id=event.pk)
        notices.dispatch_events(event_ids=[event.pk])
    assert len(emails("deal_expired", to=partner_user.email)) == 1
    assert len(notifications_of(partner_user, "deal_expired")) == 1
    assert DispatchedEvent.objects.filter(event_id=event.pk).count() == 1


def test_events_without_news_notify_nobody_and_are_marked_done(deal):
    event = record(deal, "progress_update", note="Called the CIO.")
    assert emails() == []
    assert DispatchedEvent.objects.filter(event_id=event.pk).exists()


def test_an_email_switched_off_still_arrives_in_app(deal, partner_user, partner_admin):
    services.preferences_save(user=partner_user, email_on=set(EVENT_TYPES) - {"deal_expired"})
    record(deal, "expire")
    assert partner_user.email not in recipients("deal_expired")
    assert partner_admin.email in recipients("deal_expired")
    assert len(notifications_of(partner_user, "deal_expired")) == 1


def test_a_failing_dispatch_does_not_break_the_committed_change(deal, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(notices, "dispatch_events", broken)
    notices.deal_event_recorded(event_id=1)
    assert "the sweep will retry" in caplog.text


def test_every_event_type_renders_subject_text_and_html(deal, partner_user):
    """Each template renders without errors for every audience it is sent to."""
    for action in ACTION_EVENTS:
        record(deal, action, note="A note.")
    from deals import jobs

    context = {"days_left": 3, "stale_on": timezone.now(), "days_silent": 24}
    context |= {"cadence_label": "this month", "cadence_every": "weekly"}
    reminders = [
        notices.DealNotice(deal=deal, event_type=key, key=f"render:{key}", context=context)
        for key in ("expiry_warning", "stale_warning", "stale_flagged", "update_reminder")
        + ("review_due_soon", "review_overdue")
    ]
    notices.notify_deals(reminders)
    # A co-sell partner added to the deal (deals.services.registration.deal_set_participants): its admins
    # hear of it.
    co_seller = OrganizationFactory(vendor=deal.vendor, name="Co-Sell Partners")
    member(Role.PARTNER_ADMIN, organization=co_seller)
    with scopes_disabled():
        participant = DealParticipant.objects.create(
            deal=deal, organization=co_seller, role=DealParticipant.Role.CONSULTING, share=40
        )
    notices.notify_participants_added(deal=deal, participants=[participant])
    assert {e.event_type for e in emails()} == set(EVENT_TYPES)
    for email in emails():
        assert email.subject.strip() and email.text.strip() and "</html>" in email.html
        assert "{{" not in email.text and "None" not in email.subject
    assert jobs  # the jobs module builds these contexts; its tests check the wording


def test_the_real_services_notify_through_their_events(
    reseller, partner_user, channel_manager, in_scope, django_capture_on_commit_callbacks
):
    from deals.services import registration, review
    from partners.permissions import Actor
    from tests.factories import DealFactory

    with scopes_disabled():
        partner = Actor(partner_user, Membership.objects.get(user=partner_user))
        manager = Actor(channel_manager, Membership.objects.get(user=channel_manager))
    deal = DealFactory(organization=reseller, registered_by=partner_user)
    with django_capture_on_commit_callbacks(execute=True):
        registration.deal_submit(deal=deal, actor=partner)
    assert recipients("deal_submitted") == sorted([partner_user.email, channel_manager.email])
    with django_capture_on_commit_callbacks(execute=True):
        review.deal_approve(deal=deal, actor=manager)
    [approved] = emails("deal_approved")
    assert approved.to == partner_user.email
    assert f"Quote {deal.deal_number}-Q1" in approved.text  # the first quote travels with the approval
    assert emails("quote_issued") == []  # … and is not announced twice
