"""A won deal opens its renewal: the registering partner and the organisation's admins hear about it, once."""

import pytest
from django_scopes import scopes_disabled

from deals.models import Deal
from deals.services import orders
from tests.factories import actor_of, quoted_deal, set_program
from tests.helpers import emails, notifications_of


@pytest.fixture
def deal(reseller, partner_user, partner_admin, distributor, distributor_user, channel_manager):
    return quoted_deal(organization=reseller, registered_by=partner_user, distributor=distributor)


@pytest.fixture
def win(deal, vendor, distributor_user, in_scope, django_capture_on_commit_callbacks):
    """The distributor starts and submits the order, with the notifications written after each commit."""

    def _win() -> Deal:
        actor = actor_of(distributor_user, vendor)
        with django_capture_on_commit_callbacks(execute=True):
            orders.deal_start_order(deal=deal, actor=actor, po_number="PO-42")
        with django_capture_on_commit_callbacks(execute=True):
            _won, renewal = orders.deal_submit_order(deal=deal, actor=actor)
        return renewal

    return _win


def test_a_draft_renewal_asks_the_partner_to_complete_and_submit_it(
    win, deal, vendor, partner_user, partner_admin, distributor_user, channel_manager
):
    set_program(vendor, renewal_auto_approved=False)
    renewal = win()

    assert sorted(e.to for e in emails("renewal_opened")) == sorted([partner_user.email, partner_admin.email])
    [email] = emails("renewal_opened", to=partner_user.email)
    opened = f"Your renewal registration {renewal.deal_number} ({renewal.company_name}) is open"
    assert email.subject.endswith(f"{opened}: complete and submit it")
    assert f"{deal.deal_number} was won" in email.text
    assert "submit it for review" in email.text
    assert f"/v/{vendor.slug}/deals/{renewal.number}/" in email.text
    assert f"/v/{vendor.slug}/deals/{renewal.number}/" in email.html and "</html>" in email.html
    [notice] = notifications_of(partner_user, "renewal_opened")
    assert notice.deal_id == renewal.pk
    assert notice.body == f"{opened}: complete and submit it."
    # Neither the distributor nor the channel managers are asked to act on it.
    assert notifications_of(distributor_user, "renewal_opened") == []
    assert notifications_of(channel_manager, "renewal_opened") == []


def test_an_automatically_approved_renewal_says_so_with_its_protection_and_quote(win, vendor, partner_user):
    set_program(vendor, renewal_auto_approved=True)
    renewal = win()

    [email] = emails("renewal_opened", to=partner_user.email)
    assert email.subject.endswith(
        f"Your renewal registration {renewal.deal_number} ({renewal.company_name}) was approved"
    )
    assert "approved it automatically" in email.text
    assert "protection runs until" in email.text
    assert f"Quote {renewal.deal_number}-Q1" in email.text
    assert "submit it for review" not in email.text
    [notice] = notifications_of(partner_user, "renewal_opened")
    assert notice.body.startswith(f"Your renewal registration {renewal.deal_number}")
    assert "was approved; protected until" in notice.body


def test_the_won_deal_s_record_of_its_renewal_is_not_told_twice(win, deal, vendor, partner_user):
    set_program(vendor, renewal_auto_approved=False)
    renewal = win()

    with scopes_disabled():
        assert deal.events.filter(action="renewal_opened").exists()  # on the won deal's timeline
        assert renewal.events.filter(action="renewal_opened").exists()
    assert len(emails("renewal_opened", to=partner_user.email)) == 1
    assert [n.deal_id for n in notifications_of(partner_user, "renewal_opened")] == [renewal.pk]
