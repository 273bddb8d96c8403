"""Quote and order pages for partner, distributor and channel manager."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from deals.models import Deal, DealState, Quote
from tests.factories import DealFactory, ProductFactory, quoted_deal
from tests.helpers import deal_url, lines_post, reload

S = DealState


@pytest.fixture
def deal(reseller, distributor, vendor):
    product = ProductFactory(vendor=vendor, name="Endpoint Shield", list_price=D("10.00"))
    return quoted_deal(organization=reseller, distributor=distributor, lines=[(product, 100)])


def test_the_quote_page_shows_lines_totals_and_downloads(deal, login):
    page = login(deal.registered_by).get(deal_url("quote_detail", deal, 1))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Endpoint Shield" in html
    assert 'id="quote-net-total"' in html
    with scopes_disabled():
        quote = deal.quotes.get()
    assert f"{quote.net_total:,.2f} USD" in html
    assert deal_url("quote_pdf", deal, 1) in html and deal_url("quote_csv", deal, 1) in html
    assert 'media="print"' in html  # the print stylesheet


def test_an_unknown_quote_number_is_not_found(deal, login):
    assert login(deal.registered_by).get(deal_url("quote_detail", deal, 9)).status_code == 404


@pytest.mark.parametrize("who", ["partner", "distributor", "channel manager"])
def test_partner_distributor_and_channel_manager_see_the_quote_on_the_deal_page_and_in_lists(
    deal, who, distributor_user, channel_manager, login
):
    user = {
        "partner": deal.registered_by,
        "distributor": distributor_user,
        "channel manager": channel_manager,
    }[who]
    client = login(user)

    detail = client.get(deal_url("deal_detail", deal)).content.decode()
    listing = client.get(reverse("deal_list", args=[deal.vendor.slug])).content.decode()

    assert 'id="quotes-panel"' in detail
    assert f"Quote {deal.deal_number}-Q1" in detail
    assert "Quoted, no order yet" in detail
    assert deal_url("quote_detail", deal, 1) in listing


def test_the_partner_issues_a_further_quote_through_the_form(deal, login):
    client = login(deal.registered_by)
    with scopes_disabled():
        product = deal.lines.get().product

    form = client.get(deal_url("quote_new", deal))
    assert form.status_code == 200
    response = client.post(
        deal_url("quote_new", deal), lines_post(product, 250, note="Customer added 150 seats")
    )

    assert response.status_code == 302
    assert response["Location"] == deal_url("quote_detail", deal, 2)
    with scopes_disabled():
        quote = Quote.objects.get(deal=deal, sequence=2)
        assert quote.lines.get().quantity == 250
    assert quote.note == "Customer added 150 seats"


def test_a_bad_quote_form_issues_nothing(deal, login):
    with scopes_disabled():
        product = deal.lines.get().product
    response = login(deal.registered_by).post(deal_url("quote_new", deal), lines_post(product, 0, note=""))

    assert response.status_code == 400
    assert "No quote was issued" in response.content.decode()
    with scopes_disabled():
        assert Quote.objects.filter(deal=deal).count() == 1


def test_no_new_quote_form_outside_protection(reseller, login):
    deal = DealFactory(organization=reseller, state=S.LOST)
    response = login(deal.registered_by).get(deal_url("quote_new", deal), follow=True)
    assert "No new quote can be issued" in response.content.decode()


def test_the_channel_manager_cannot_place_orders(deal, channel_manager, login):
    response = login(channel_manager).post(deal_url("order_start", deal), {"po_number": "PO-1"})
    assert response.status_code == 403
    assert reload(deal).state == S.QUOTED


def test_the_partner_is_refused_when_only_the_distributor_orders(deal, vendor, login):
    with scopes_disabled():
        vendor.program.ordering_party = "distributor"
        vendor.program.save()
    response = login(deal.registered_by).post(
        deal_url("order_start", deal), {"po_number": "PO-1"}, follow=True
    )
    assert "not allowed" in response.content.decode()
    assert reload(deal).state == S.QUOTED


def test_the_reseller_sees_its_deal_won_and_the_renewal(deal, distributor_user, login):
    distributor_client = login(distributor_user)
    distributor_client.post(deal_url("order_start", deal), {"po_number": "PO-9"})
    distributor_client.post(deal_url("order_submit", deal))

    partner = login(deal.registered_by)
    detail = partner.get(deal_url("deal_detail", deal)).content.decode()
    listing = partner.get(reverse("deal_list", args=[deal.vendor.slug])).content.decode()

    assert "Order submitted, deal won" in detail
    assert "PO PO-9" in detail
    with scopes_disabled():
        renewal = Deal.objects.get(renewal_of=deal)
    assert renewal.deal_number in detail
    assert ">Won<" in listing and "PO PO-9" in listing


@pytest.mark.parametrize("page", ["quote_detail", "quote_new", "deal_detail_quoted", "deal_detail_ordered"])
def test_the_quote_and_order_pages_are_sound_html(deal, distributor_user, login, page):
    from tests.partners.html_checks import assert_sound_page

    client = login(distributor_user)
    if page == "deal_detail_ordered":
        client.post(deal_url("order_start", deal), {"po_number": "PO-1"})
    target = {
        "quote_detail": deal_url("quote_detail", deal, 1),
        "quote_new": deal_url("quote_new", deal),
    }.get(page, deal_url("deal_detail", deal))

    assert_sound_page(client.get(target))


def test_the_admin_shows_a_deal_s_quotes_read_only(deal, staff_client):
    page = staff_client.get(reverse("admin:deals_deal_change", args=[deal.pk]))

    with scopes_disabled():
        quote = deal.quotes.get()
    html = page.content.decode()
    assert page.status_code == 200
    assert quote.net_total == D("700.000")  # 100 × 10.00 less 30 points (20 tier + 10 reward)
    assert "700.000" in html
    assert 'name="quote_set-0-net_total"' not in html  # shown, never editable
