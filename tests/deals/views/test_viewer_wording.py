"""The checklist and the conflict notice are worded for whoever reads them and for the deal's state.

The registrant reads "Your organisation…" and, before submitting, "You can still submit"; the channel
manager and the other partners on the deal read the registering organisation's name; once the deal is
decided nobody is advised to submit.
"""

import pytest

from deals.models import DealState
from tests.factories import DealFactory, ProspectFactory
from tests.helpers import conflicting_with, deal_page

STILL_SUBMIT = "You can still submit; the channel manager decides which registration is protected."
CM_DECIDES = "The channel manager decides which registration is protected."
YOU_DECIDE = "You decide which registration is protected."
CONFLICT = "A registration for this prospect already exists"
ANY_ADVICE = "decide"  # every piece of advice about the decision says who decides


@pytest.fixture
def contested(reseller, other_reseller, partner_user):
    """A registration of `reseller` in a given state, conflicting with a rival one under review."""

    def _make(state):
        prospect = ProspectFactory(vendor=reseller.vendor, name="Contoso Ltd", domain="contoso.example")
        rival = DealFactory(organization=other_reseller, prospect=prospect, state=DealState.SUBMITTED)
        return DealFactory(
            organization=reseller, registered_by=partner_user, state=state, **conflicting_with(rival)
        )

    return _make


def notice_of(html: str) -> str:
    """The conflict verdict's sentence(s) as shown: from the fact to the end of its line."""
    start = html.index(CONFLICT)
    return html[start : html.index("<", start)]


@pytest.mark.parametrize(
    ("state", "advice"),
    [
        (DealState.DRAFT, STILL_SUBMIT),
        (DealState.INFO_REQUESTED, STILL_SUBMIT),
        (DealState.SUBMITTED, CM_DECIDES),
        (DealState.APPROVED, None),
        (DealState.WON, None),
    ],
)
def test_the_registrant_reads_its_own_wording_for_the_deals_state(
    login, partner_user, vendor, distributor, contested, state, advice
):
    deal = contested(state)
    html = login(partner_user).get(deal_page(vendor, deal)).content.decode()
    assert f"Your organisation is active and authorised to buy through {distributor.name}." in html
    assert "Alpha Resellers is active" not in html
    notice = notice_of(html)
    if advice is None:
        assert ANY_ADVICE not in notice and "submit" not in notice
    else:
        assert advice in notice
    if state not in (DealState.DRAFT, DealState.INFO_REQUESTED):
        assert "You can still submit" not in html


@pytest.mark.parametrize(
    ("state", "advice"),
    [(DealState.SUBMITTED, YOU_DECIDE), (DealState.APPROVED, None), (DealState.WON, None)],
)
def test_the_channel_manager_reads_the_partners_name_on_the_deal_page(
    login, channel_manager, vendor, distributor, contested, state, advice
):
    deal = contested(state)
    html = login(channel_manager).get(deal_page(vendor, deal)).content.decode()
    assert f"Alpha Resellers is active and authorised to buy through {distributor.name}." in html
    assert "Your organisation" not in html
    assert "You can still submit" not in html
    notice = notice_of(html)
    if advice is None:
        assert ANY_ADVICE not in notice and "submit" not in notice
    else:
        assert advice in notice


def test_the_channel_manager_reads_the_partners_name_on_the_review_page(
    login, channel_manager, vendor, distributor, contested
):
    deal = contested(DealState.SUBMITTED)
    html = login(channel_manager).get(deal_page(vendor, deal, "review/")).content.decode()
    assert f"Alpha Resellers is active and authorised to buy through {distributor.name}." in html
    assert "Your organisation" not in html
    assert "You can still submit" not in html
    assert YOU_DECIDE in notice_of(html)


def test_the_distributor_reads_the_resellers_name(login, distributor_user, vendor, distributor, contested):
    deal = contested(DealState.SUBMITTED)
    html = login(distributor_user).get(deal_page(vendor, deal)).content.decode()
    assert f"Alpha Resellers is active and authorised to buy through {distributor.name}." in html
    assert "Your organisation" not in html
    assert "You can still submit" not in html
    assert CM_DECIDES in notice_of(html)


@pytest.mark.parametrize("state", [DealState.DRAFT, DealState.INFO_REQUESTED])
def test_the_form_speaks_to_the_registrant(login, partner_user, vendor, distributor, contested, state):
    deal = contested(state)
    html = login(partner_user).get(deal_page(vendor, deal, "edit/")).content.decode()
    assert f"Your organisation is active and authorised to buy through {distributor.name}." in html
    assert STILL_SUBMIT in notice_of(html)
