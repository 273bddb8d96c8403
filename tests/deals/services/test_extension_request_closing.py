"""A waiting extension request never outlives its purpose: the deal ends, or a direct extension grants it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from deals.errors import DealActionError
from deals.models import Deal, DealEvent, DealState, ExtensionRequest
from deals.selectors.lifecycle import pending_extension_requests
from deals.services import lifecycle, orders, review
from partners.models import Membership
from partners.permissions import SYSTEM
from tests.factories import actor_of, quoted_deal
from tests.helpers import emails, notifications_of, reload

Role = Membership.Role
Decision = ExtensionRequest.Decision
pytestmark = pytest.mark.usefixtures("in_scope")  # services run inside the vendor's scope, as a request does


@pytest.fixture
def deal(reseller, partner_user, distributor, channel_manager):
    return quoted_deal(organization=reseller, registered_by=partner_user, distributor=distributor)


@pytest.fixture
def waiting(deal, partner_user, vendor):
    return lifecycle.deal_request_extension(
        deal=deal, actor=actor_of(partner_user, vendor), reason="The board meets in June."
    )


def fresh(request) -> ExtensionRequest:
    with scopes_disabled():
        return ExtensionRequest.objects.get(pk=request.pk)


def closing_events(deal) -> list[str]:
    with scopes_disabled():
        return list(
            DealEvent.objects.filter(deal=deal, action="extension_request_closed").values_list(
                "note", flat=True
            )
        )


ENDINGS = [
    # (who ends the deal, service, extra arguments, closing note)
    (
        "partner_user",
        lifecycle.deal_lose,
        {"reason": "Went with a competitor."},
        "Closed automatically: the deal was marked lost.",
    ),
    (
        "channel_manager",
        review.deal_revoke,
        {"reason": "other", "note": "Conduct."},
        "Closed automatically: the registration was revoked.",
    ),
    (
        "distributor_user",
        orders.deal_start_order,
        {"po_number": "PO-7"},
        "Closed automatically: the order was started.",
    ),
]


@pytest.mark.parametrize(("who", "service", "arguments", "note"), ENDINGS, ids=["lost", "revoked", "ordered"])
def test_it_closes_the_waiting_request_when_the_deal_can_no_longer_be_extended(
    notify, deal, waiting, vendor, who, service, arguments, note, partner_user, request
):
    actor = actor_of(request.getfixturevalue(who), vendor)

    notify(service, deal=deal, actor=actor, **arguments)

    closed = fresh(waiting)
    assert (closed.decision, closed.decided_by, closed.decision_note) == (Decision.DECLINED, None, note)
    assert closed.decided_at is not None
    assert closing_events(deal) == [note]  # on the timeline
    assert list(pending_extension_requests(vendor=vendor)) == []  # off the channel managers' list
    # The deal's own news reaches the partner; no separate "extension declined" message.
    assert emails("extension_declined") == []
    assert notifications_of(partner_user, "extension_declined") == []


def test_a_request_left_open_on_an_ordered_deal_closes_when_the_deal_is_won(deal, vendor, partner_user):
    """Older data may hold a request the order did not close; the win closes it."""
    ordered = orders.deal_start_order(deal=deal, actor=actor_of(partner_user, vendor), po_number="PO-8")
    with scopes_disabled():
        stale = ExtensionRequest.objects.create(deal=ordered, requested_by=partner_user, reason="Old.")

    won, _renewal = orders.deal_submit_order(deal=ordered, actor=actor_of(partner_user, vendor))

    assert won.state == DealState.WON
    assert fresh(stale).decision_note == "Closed automatically: the registration was won."
    assert fresh(stale).decision == Decision.DECLINED


def test_an_expiry_keeps_the_request_waiting_because_expired_deals_can_still_be_extended(
    deal, waiting, vendor, channel_manager
):
    with scopes_disabled():
        deal.expires_at = timezone.now() - timedelta(minutes=1)
        deal.save(update_fields=["expires_at"])
    lifecycle.deal_expire(deal=deal, actor=SYSTEM)  # the beat job

    assert fresh(waiting).is_open
    assert closing_events(deal) == []
    granted = review.deal_decide_extension(
        extension_request=waiting, actor=actor_of(channel_manager, vendor), grant=True
    )
    assert granted.decision == Decision.GRANTED
    assert reload(deal).state == DealState.EXTENDED


def test_a_direct_extension_grants_the_waiting_request(
    notify, deal, waiting, vendor, channel_manager, partner_user
):
    notify(review.deal_grant_extension, deal=deal, actor=actor_of(channel_manager, vendor), note="Sure.")

    granted = fresh(waiting)
    assert (granted.decision, granted.decided_by, granted.decision_note) == (
        Decision.GRANTED,
        channel_manager,
        "Sure.",
    )
    assert reload(deal).extension_count == 1  # one extension, not one per request
    assert [e.to for e in emails("extension_granted", to=partner_user.email)] == [partner_user.email]
    assert emails("extension_declined") == []


def test_a_direct_extension_without_a_waiting_request_changes_no_request(deal, vendor, channel_manager):
    review.deal_grant_extension(deal=deal, actor=actor_of(channel_manager, vendor))
    with scopes_disabled():
        assert not ExtensionRequest.objects.filter(deal=deal).exists()
    assert reload(deal).state == DealState.EXTENDED


def test_deciding_a_request_closed_by_the_deal_s_end_says_why(
    deal, waiting, vendor, partner_user, channel_manager
):
    lifecycle.deal_lose(deal=deal, actor=actor_of(partner_user, vendor), reason="No budget.")

    with pytest.raises(
        DealActionError, match="already declined. Closed automatically: the deal was marked lost."
    ):
        review.deal_decide_extension(
            extension_request=waiting, actor=actor_of(channel_manager, vendor), grant=False, note="No."
        )
    assert reload(deal).state == DealState.LOST


def test_deciding_through_the_queue_still_grants_once(deal, waiting, vendor, channel_manager):
    decided = review.deal_decide_extension(
        extension_request=waiting, actor=actor_of(channel_manager, vendor), grant=True, note="Ok."
    )
    assert (decided.decision, decided.decided_by, decided.decision_note) == (
        Decision.GRANTED,
        channel_manager,
        "Ok.",
    )
    assert reload(deal).extension_count == 1
    with scopes_disabled():
        assert DealEvent.objects.filter(deal=deal, action="grant_extension").count() == 1


def test_the_migration_closes_requests_left_waiting_on_ended_deals(deal, waiting, reseller, partner_user):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("deals.migrations.0006_close_extension_requests_of_ended_deals")
    won = quoted_deal(organization=reseller, registered_by=partner_user)
    with scopes_disabled():
        Deal.objects.filter(pk=won.pk).update(state=DealState.WON)  # as older data left it
        stale = ExtensionRequest.objects.create(deal=won, requested_by=partner_user, reason="Old.")

    migration.close_waiting_requests(apps, None)

    assert (fresh(stale).decision, fresh(stale).decision_note) == (
        Decision.DECLINED,
        "Closed automatically: the registration is won.",
    )
    assert fresh(waiting).is_open  # the quoted deal can still be extended
