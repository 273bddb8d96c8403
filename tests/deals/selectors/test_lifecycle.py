"""deals.selectors.lifecycle on the deal page header: until when protection runs, or when it ended."""

import re
from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scopes_disabled

from deals.models import Deal, DealState, Protection
from partners.models import Program
from tests.factories import DealFactory, set_program
from tests.helpers import approved_deal, deal_url


def _header(client, deal) -> str:
    """The words of the header's protection block (id deal-expiry), tags stripped."""
    html = client.get(deal_url("deal_detail", deal)).content.decode()
    block = re.search(r'id="deal-expiry">(.*?)</div>\s*</div>', html, re.DOTALL).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip()


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def test_the_header_shows_the_staleness_clock_when_it_ends_protection_first(
    login, partner_user, reseller, vendor
):
    set_program(vendor, validity_days=60, stale_after_days=30, stale_action=Program.StaleAction.REVOKE)
    approved = timezone.now() - timedelta(days=20)
    deal = approved_deal(organization=reseller, registered_by=partner_user, at=approved)
    header = _header(login(partner_user), deal)
    assert f"Protected until {_day(approved + timedelta(days=30))}" in header
    # The later validity clock is not the one that ends it: it follows, as what a progress update keeps.
    assert f"progress update is posted before then Registration valid until {_day(deal.expires_at)}" in header


def test_a_flagging_program_is_protected_until_expiry(login, partner_user, reseller, vendor):
    set_program(vendor, validity_days=60, stale_after_days=30, stale_action=Program.StaleAction.FLAG)
    deal = approved_deal(
        organization=reseller, registered_by=partner_user, at=timezone.now() - timedelta(days=20)
    )
    assert _day(deal.expires_at) in _header(login(partner_user), deal)


def test_a_won_deal_says_when_protection_really_ended(login, partner_user, reseller):
    now = timezone.now()
    deal = DealFactory(
        organization=reseller,
        registered_by=partner_user,
        state=DealState.ORDERED,
        approved_at=now - timedelta(days=10),
        expires_at=now + timedelta(days=50),
    )
    with scopes_disabled():
        Protection.objects.filter(deal=deal).update(ended_at=now - timedelta(days=2))
        Deal.objects.filter(pk=deal.pk).update(state=DealState.WON)
    header = _header(login(partner_user), deal)
    assert "Protection ended" in header and _day(now - timedelta(days=2)) in header
    assert _day(deal.expires_at) not in header  # not a date still to come
