"""The distributor's view: only deals routed to it (hidden ones once approved), their quotes, and orders."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from deals.models import DealState
from partners.models import Membership
from tests.factories import DealFactory, distributor_of, quoted_deal
from tests.helpers import deal_url, reload

Role = Membership.Role
S = DealState


@pytest.fixture
def other_distributor(reseller):
    return distributor_of(reseller, "Dist Two")


@pytest.fixture
def deals(reseller, distributor, other_distributor):
    """One deal of each kind the distributor might or might not see."""

    def submitted(company_name, **fields):
        return DealFactory(
            organization=reseller,
            distributor=distributor,
            state=S.SUBMITTED,
            company_name=company_name,
            **fields,
        )

    def quoted(company_name, to=distributor, **fields):
        return quoted_deal(organization=reseller, distributor=to, company_name=company_name, **fields)

    return {
        "routed": quoted("Routed Inc"),
        "routed_submitted": submitted("Pending Routed Inc"),
        "hidden_submitted": submitted("Hidden Pending Inc", hidden_from_distributor=True),
        "hidden_approved": quoted("Hidden Won Inc", hidden_from_distributor=True),
        "other_distributor": quoted("Elsewhere Inc", to=other_distributor),
        "direct": quoted("Direct Inc", to=None),
    }


VISIBLE = {"routed", "routed_submitted", "hidden_approved"}
INVISIBLE = {"hidden_submitted", "other_distributor", "direct"}


def test_the_distributor_lists_only_the_deals_routed_to_it(deals, distributor_user, login, vendor):
    page = login(distributor_user).get(reverse("deal_list", args=[vendor.slug]))

    assert page.status_code == 200
    listed = {d.number for d in page.context["page"].object_list}
    assert listed == {deals[key].number for key in VISIBLE}
    html = page.content.decode()
    for key in INVISIBLE:
        assert deals[key].company_name not in html
    assert '<th scope="col">Partner</th>' in html  # whose deal it is


def test_the_distributor_list_shows_quote_totals(deals, distributor_user, login, vendor):
    html = login(distributor_user).get(reverse("deal_list", args=[vendor.slug])).content.decode()
    with scopes_disabled():
        quote = deals["routed"].quotes.get()
    assert f"{quote.net_total:,.2f} USD" in html
    assert deal_url("quote_detail", deals["routed"], 1) in html


@pytest.mark.parametrize("key", sorted(INVISIBLE))
def test_a_deal_not_routed_to_the_distributor_or_hidden_is_not_found(deals, distributor_user, login, key):
    client = login(distributor_user)
    deal = deals[key]
    assert client.get(deal_url("deal_detail", deal)).status_code == 404
    if key != "hidden_submitted":  # the others have quotes: not one of their pages or downloads
        for name in ("quote_detail", "quote_pdf", "quote_csv"):
            assert client.get(deal_url(name, deal, 1)).status_code == 404
    assert client.post(deal_url("order_start", deal), {"po_number": "PO-1"}).status_code == 404
    assert reload(deal).state == deal.state


def test_a_hidden_deal_shows_to_the_distributor_once_approved(deals, distributor_user, login):
    client = login(distributor_user)
    assert client.get(deal_url("deal_detail", deals["hidden_approved"])).status_code == 200
    assert client.get(deal_url("quote_detail", deals["hidden_approved"], 1)).status_code == 200


def test_the_distributor_opens_and_downloads_the_quote(deals, distributor_user, login):
    client = login(distributor_user)
    deal = deals["routed"]

    page = client.get(deal_url("quote_detail", deal, 1))
    pdf = client.get(deal_url("quote_pdf", deal, 1))
    csv = client.get(deal_url("quote_csv", deal, 1))

    assert page.status_code == 200
    assert f"Quote {deal.deal_number}-Q1" in page.content.decode()
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f'filename="{deal.deal_number}-Q1.pdf"' in pdf["Content-Disposition"]
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0].startswith("quote_number,deal_number,currency")


def test_the_distributor_starts_and_submits_the_order(deals, distributor_user, login):
    client = login(distributor_user)
    deal = deals["routed"]

    started = client.post(deal_url("order_start", deal), {"po_number": "PO-2026-17"}, follow=True)
    assert "was started with PO PO-2026-17" in started.content.decode()
    assert reload(deal).state == S.ORDERED

    submitted = client.post(deal_url("order_submit", deal), follow=True)
    assert "is won" in submitted.content.decode()
    won = reload(deal)
    assert (won.state, won.po_number) == (S.WON, "PO-2026-17")
    with scopes_disabled():
        assert won.renewals.get().state == S.DRAFT


def test_an_order_without_a_po_number_is_refused_with_a_message(deals, distributor_user, login):
    response = login(distributor_user).post(
        deal_url("order_start", deals["routed"]), {"po_number": "  "}, follow=True
    )
    assert "purchase order number" in response.content.decode()
    assert reload(deals["routed"]).state == S.QUOTED


def test_the_deal_page_offers_the_distributor_its_order_actions(deals, distributor_user, login):
    html = login(distributor_user).get(deal_url("deal_detail", deals["routed"])).content.decode()
    assert 'id="quotes-panel"' in html
    assert deal_url("order_start", deals["routed"]) in html
    assert deal_url("quote_pdf", deals["routed"], 1) in html


def test_the_distributor_may_register_a_deal_for_one_of_its_resellers(
    distributor_user, login, vendor, reseller
):
    page = login(distributor_user).get(reverse("deal_create", args=[vendor.slug]))
    assert page.status_code == 200
    assert [r.pk for r in page.context["form"].fields["reseller"].queryset] == [reseller.pk]


def test_another_vendor_s_member_finds_nothing(deals, outsider, login):
    client = login(outsider)
    assert client.get(deal_url("deal_detail", deals["routed"])).status_code == 404
    assert client.get(deal_url("quote_pdf", deals["routed"], 1)).status_code == 404
