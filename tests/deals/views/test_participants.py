"""Co-sell registrations on the pages: who sees them, the form's "Co-sell partners" fieldset, the panels."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from deals.access import deal_visibility_q
from deals.models import Deal, DealEvent, DealParticipant, DealState
from partners.models import Membership
from tests.factories import (
    DealFactory,
    DistributorFactory,
    OrganizationFactory,
    ProductFactory,
    member,
    quoted_deal,
)
from tests.helpers import (
    deal_page,
    deal_post,
    deals_of,
    emails,
    member_fixture,
    notifications_of,
    participants_of,
)

Role = Membership.Role
PRole = DealParticipant.Role


beta_admin = member_fixture(Role.PARTNER_ADMIN, organization="other_reseller")
beta_user = member_fixture(Role.PARTNER_USER, organization="other_reseller")


@pytest.fixture
def gamma_admin(co_sell_vendor):
    """The admin of a reseller that takes no part in the deal."""
    return member(Role.PARTNER_ADMIN, organization=OrganizationFactory(vendor=co_sell_vendor, name="Gamma"))


def co_sell(deal, *rows):
    with scopes_disabled():
        DealParticipant.objects.bulk_create(
            [
                DealParticipant(deal=deal, organization=org, role=role, share=share)
                for org, role, share in rows
            ]
        )
    return deal


@pytest.fixture
def quoted(co_sell_vendor, reseller, other_reseller, partner_user):
    """Alpha's quoted registration, Beta its consulting partner (40%)."""
    deal = quoted_deal(organization=reseller, registered_by=partner_user)
    return co_sell(deal, (reseller, PRole.LEAD, 60), (other_reseller, PRole.CONSULTING, 40))


# --- who sees a co-sell registration -------------------------------------------------------------


def test_a_participants_admin_sees_the_deal_and_its_quote(login, beta_admin, quoted, co_sell_vendor):
    client = login(beta_admin)
    response = client.get(deal_page(co_sell_vendor, quoted))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Co-sell partners" in html
    assert "You take part as consulting partner (40%)." in html
    assert client.get(deal_page(co_sell_vendor, quoted, "quotes/1/")).status_code == 200


def test_a_participants_admin_cannot_change_the_deal(
    login, beta_admin, co_sell_vendor, reseller, other_reseller
):
    draft = co_sell(
        DealFactory(organization=reseller), (reseller, PRole.LEAD, 60), (other_reseller, PRole.SOFTWARE, 40)
    )
    client = login(beta_admin)
    assert client.get(deal_page(co_sell_vendor, draft)).status_code == 200
    assert client.get(deal_page(co_sell_vendor, draft, "edit/")).status_code == 403
    assert client.post(deal_page(co_sell_vendor, draft, "submit/")).status_code == 403
    assert client.post(deal_page(co_sell_vendor, draft, "withdraw/"), {"note": "x"}).status_code == 403
    assert client.post(deal_page(co_sell_vendor, draft, "updates/"), {"body": "Hello"}).status_code == 403
    with scopes_disabled():
        assert Deal.objects.get(pk=draft.pk).state == DealState.DRAFT
    assert "Edit registration" not in client.get(deal_page(co_sell_vendor, draft)).content.decode()


def test_a_participants_admin_cannot_issue_a_quote_or_order(login, beta_admin, quoted, co_sell_vendor):
    client = login(beta_admin)
    response = client.get(deal_page(co_sell_vendor, quoted, "quotes/new/"))
    assert response.status_code == 302  # refused with an explanation on the deal page
    refused = client.post(
        deal_page(co_sell_vendor, quoted, "order/start/"), {"po_number": "PO-1"}, follow=True
    )
    assert "You are not allowed to do this to this registration." in refused.content.decode()
    with scopes_disabled():
        assert Deal.objects.get(pk=quoted.pk).state == DealState.QUOTED


def test_a_participants_partner_user_sees_only_their_own_registrations(
    login, beta_user, quoted, co_sell_vendor
):
    client = login(beta_user)
    assert client.get(deal_page(co_sell_vendor, quoted)).status_code == 404
    assert client.get(deal_page(co_sell_vendor, quoted, "quotes/1/")).status_code == 404


def test_a_reseller_that_takes_no_part_gets_404(login, gamma_admin, quoted, co_sell_vendor):
    client = login(gamma_admin)
    assert client.get(deal_page(co_sell_vendor, quoted)).status_code == 404
    assert client.get(deal_page(co_sell_vendor, quoted, "quotes/1/")).status_code == 404
    assert quoted.deal_number not in client.get(f"/v/{co_sell_vendor.slug}/deals/").content.decode()


def test_another_distributor_still_gets_404(login, quoted, co_sell_vendor):
    stranger = member(Role.DISTRIBUTOR_USER, organization=DistributorFactory(vendor=co_sell_vendor))
    assert login(stranger).get(deal_page(co_sell_vendor, quoted)).status_code == 404


def test_the_participants_list_shows_the_deal_with_a_co_sell_badge(login, beta_admin, quoted, co_sell_vendor):
    html = login(beta_admin).get(f"/v/{co_sell_vendor.slug}/deals/").content.decode()
    assert quoted.deal_number in html
    assert "co-sell</span>" in html
    assert "led by Alpha Resellers" in html


def test_the_leads_list_shows_each_co_sell_deal_once(login, partner_admin, quoted, co_sell_vendor, reseller):
    DealFactory(organization=reseller)  # a second, single-partner deal
    response = login(partner_admin).get(f"/v/{co_sell_vendor.slug}/deals/")
    html = response.content.decode()
    assert response.context["page"].paginator.count == 2
    assert html.count(quoted.deal_number) == 1
    assert "led by" not in html


def test_the_visibility_filter_returns_a_deal_once_however_many_participants(
    co_sell_vendor, reseller, other_reseller, partner_admin, quoted
):
    gamma = OrganizationFactory(vendor=co_sell_vendor, name="Gamma")
    with scopes_disabled():
        DealParticipant.objects.filter(deal=quoted, organization=reseller).update(share=40)
        DealParticipant.objects.create(deal=quoted, organization=gamma, role=PRole.OTHER, share=20)
        membership = Membership.objects.get(user=partner_admin)
        visible = Deal.objects.filter(deal_visibility_q(membership, partner_admin), vendor=co_sell_vendor)
        assert list(visible) == [quoted]


def test_the_review_page_shows_the_partners(login, channel_manager, co_sell_vendor, reseller, other_reseller):
    deal = co_sell(
        DealFactory(organization=reseller, state=DealState.SUBMITTED),
        (reseller, PRole.LEAD, 60),
        (other_reseller, PRole.REFERRAL, 40),
    )
    html = login(channel_manager).get(deal_page(co_sell_vendor, deal, "review/")).content.decode()
    assert "Co-sell partners" in html
    assert "Referral partner" in html and "40%" in html and "60%" in html


def test_an_exclusive_programs_pages_have_no_co_sell_panel(login, partner_user, vendor, reseller):
    deal = DealFactory(organization=reseller, registered_by=partner_user)
    client = login(partner_user)
    assert "Co-sell partners" not in client.get(deal_page(vendor, deal)).content.decode()
    assert "Co-sell partners" not in client.get(f"/v/{vendor.slug}/deals/new/").content.decode()


# --- the form's "Co-sell partners" fieldset -------------------------------------------------------


@pytest.fixture
def product(co_sell_vendor):
    return ProductFactory(vendor=co_sell_vendor, name="Endpoint Shield", min_quantity=100)


def co_sell_post(product, distributor, rows=(), lead_share="100", **overrides):
    data = deal_post(product, distributor, **overrides)
    data.update(
        {
            "cosell-lead-share": lead_share,
            "cosell-TOTAL_FORMS": str(max(len(rows), 1)),
            "cosell-INITIAL_FORMS": "0",
            "cosell-MIN_NUM_FORMS": "0",
            "cosell-MAX_NUM_FORMS": "10",
        }
    )
    for index, (organization, role, share) in enumerate(rows):
        data[f"cosell-{index}-organization"] = str(organization.pk) if organization else ""
        data[f"cosell-{index}-role"] = role
        data[f"cosell-{index}-share"] = share
    return data


def test_the_form_offers_the_fieldset_with_the_lead_row_prefilled(
    login, partner_user, co_sell_vendor, other_reseller, product
):
    response = login(partner_user).get(f"/v/{co_sell_vendor.slug}/deals/new/")
    html = response.content.decode()
    assert '<legend class="h6">Co-sell partners</legend>' in html
    assert "<strong>Alpha Resellers</strong>" in html
    assert 'name="cosell-lead-share"' in html and 'value="100.00"' in html
    choices = [
        str(org) for org in response.context["cosell"].partners.forms[0].fields["organization"].queryset
    ]
    assert choices == ["Beta Resellers"]  # the vendor's other active resellers, not the registrant itself


def test_the_form_saves_the_draft_with_its_partners_and_tells_them(
    login, partner_user, beta_admin, co_sell_vendor, other_reseller, product, distributor
):
    data = co_sell_post(
        product, distributor, [(other_reseller, PRole.CONSULTING, "40")], lead_share="60", intent="save"
    )
    response = login(partner_user).post(f"/v/{co_sell_vendor.slug}/deals/new/", data)
    assert response.status_code == 302
    [deal] = deals_of(co_sell_vendor)
    assert participants_of(deal) == [
        ("Alpha Resellers", PRole.LEAD, Decimal("60.00")),
        ("Beta Resellers", PRole.CONSULTING, Decimal("40.00")),
    ]
    [notice] = notifications_of(beta_admin, "participant_added")
    assert notice.body.startswith(
        f"Alpha Resellers added you as consulting partner (40%) on {deal.deal_number}"
    )
    [email] = emails("participant_added", to=beta_admin.email)
    assert f"Alpha Resellers added you as consulting partner (40%) on {deal.deal_number}" in email.subject
    assert notifications_of(partner_user, "participant_added") == []

    # Editing shows the saved rows; saving them unchanged tells nobody again.
    client = login(partner_user)
    edit = client.get(deal_page(co_sell_vendor, deal, "edit/"))
    assert edit.context["cosell"].partners.initial == [
        {"organization": other_reseller, "role": PRole.CONSULTING, "share": Decimal("40.00")}
    ]
    data["cosell-INITIAL_FORMS"] = "1"
    assert client.post(deal_page(co_sell_vendor, deal, "edit/"), data).status_code == 302
    assert len(emails("participant_added")) == 1
    with scopes_disabled():
        assert DealEvent.objects.filter(deal=deal, action="participants_changed").count() == 1


def test_the_form_submits_a_co_sell_registration(
    login, partner_user, co_sell_vendor, other_reseller, product, distributor
):
    data = co_sell_post(product, distributor, [(other_reseller, PRole.SOFTWARE, "25.5")], lead_share="74.5")
    response = login(partner_user).post(f"/v/{co_sell_vendor.slug}/deals/new/", data)
    assert response.status_code == 302
    [deal] = deals_of(co_sell_vendor)
    assert deal.state == DealState.SUBMITTED
    assert [share for _, _, share in participants_of(deal)] == [Decimal("74.50"), Decimal("25.50")]


@pytest.mark.parametrize("intent", ["save", "submit"])
def test_the_form_refuses_shares_that_do_not_add_up_and_saves_nothing(
    login, partner_user, co_sell_vendor, other_reseller, product, distributor, intent
):
    data = co_sell_post(
        product, distributor, [(other_reseller, PRole.CONSULTING, "30")], lead_share="60", intent=intent
    )
    response = login(partner_user).post(f"/v/{co_sell_vendor.slug}/deals/new/", data)
    assert response.status_code == 400
    assert (
        "The attribution shares add up to 90%; they must add up to exactly 100%." in response.content.decode()
    )
    assert deals_of(co_sell_vendor) == []
    with scopes_disabled():
        assert not DealParticipant.objects.exists()


def test_the_form_marks_each_broken_row(
    login, partner_user, co_sell_vendor, other_reseller, reseller, product, distributor
):
    data = co_sell_post(
        product,
        distributor,
        [
            (other_reseller, PRole.CONSULTING, "20"),
            (other_reseller, PRole.SOFTWARE, "20"),  # twice
            (other_reseller, "", ""),  # no role, no share (and a third time)
            (None, PRole.REFERRAL, "10"),  # no organisation
            (other_reseller, PRole.OTHER, "12.345"),  # three decimals
        ],
        lead_share="30",
        intent="save",
    )
    response = login(partner_user).post(f"/v/{co_sell_vendor.slug}/deals/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Beta Resellers is listed twice; each partner takes part once." in html
    assert "Choose the role of Beta Resellers." in html
    assert "Enter the share of Beta Resellers." in html
    assert "Choose the partner organisation of this row." in html
    assert "Use at most two decimals, e.g. 33.33." in html
    assert 'aria-invalid="true" aria-describedby="id_cosell-1-organization-error"' in html
    assert deals_of(co_sell_vendor) == []


def test_the_form_refuses_an_organisation_it_does_not_offer(
    login, partner_user, co_sell_vendor, other_vendor, product, distributor
):
    foreign = OrganizationFactory(vendor=other_vendor, name="Foreign Partner")
    suspended = OrganizationFactory(vendor=co_sell_vendor, name="Sleepy", status="suspended")
    for organization in (foreign, suspended):
        data = co_sell_post(product, distributor, [(organization, PRole.OTHER, "50")], lead_share="50")
        response = login(partner_user).post(f"/v/{co_sell_vendor.slug}/deals/new/", data)
        assert response.status_code == 400
        assert "Choose one of the program&#x27;s active resellers." in response.content.decode()
    assert deals_of(co_sell_vendor) == []


def test_the_live_checklist_judges_the_attribution(
    login, partner_user, co_sell_vendor, other_reseller, product, distributor
):
    data = co_sell_post(product, distributor, [(other_reseller, PRole.CONSULTING, "30")], lead_share="60")
    response = login(partner_user).post(f"/v/{co_sell_vendor.slug}/deals/checklist/", data)
    html = response.content.decode()
    assert "Co-sell attribution" in html
    assert "add up to 90%" in html


def test_a_distributor_registers_a_co_sell_deal_led_by_its_reseller(
    login, co_sell_vendor, reseller, other_reseller, distributor, product
):
    distributor_user = member(Role.DISTRIBUTOR_USER, organization=distributor)
    data = co_sell_post(
        product,
        None,
        [(other_reseller, PRole.IMPLEMENTATION, "50")],
        lead_share="50",
        reseller=str(reseller.pk),
    )
    data.pop("distributor")
    response = login(distributor_user).post(f"/v/{co_sell_vendor.slug}/deals/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [deal] = deals_of(co_sell_vendor)
    assert participants_of(deal) == [
        ("Alpha Resellers", PRole.LEAD, Decimal("50.00")),
        ("Beta Resellers", PRole.IMPLEMENTATION, Decimal("50.00")),
    ]


def test_the_admin_shows_a_deals_co_sell_partners(staff_client, quoted):
    response = staff_client.get(f"/admin/deals/deal/{quoted.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Co-sell partners" in html or "co-sell partners" in html
    assert "Beta Resellers" in html and "Consulting partner" in html
