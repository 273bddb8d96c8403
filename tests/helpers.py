"""Test helpers: arrange a deal in a given state (at a point of its clocks), read it back past the scopes,
read the emails and notifications it sent, build the URLs of its pages and the form a browser posts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from deals.models import Deal, DealParticipant, DealState
from notifications.models import Notification, OutboxEmail
from tests.factories import DealFactory, ProspectFactory, member


def member_fixture(role, **where):
    """A fixture: one user holding `role` where the named fixtures say, e.g.
    `partner_user = member_fixture(Role.PARTNER_USER, organization="reseller")` (`vendor=` for staff)."""

    @pytest.fixture
    def fixture(request):
        return member(role, **{key: request.getfixturevalue(name) for key, name in where.items()})

    return fixture


def approved_deal(*, organization, registered_by, at, state=DealState.QUOTED, **fields) -> Deal:
    """A deal approved at `at` under its program's validity, with the staleness clock started then."""
    program = organization.vendor.program
    defaults = {
        "approved_at": at,
        "decided_at": at,
        "submitted_at": at - timedelta(days=1),
        "expires_at": at + timedelta(days=program.validity_days),
        "last_progress_at": at,
        "expected_close_date": (at + timedelta(days=120)).date(),
    }
    return DealFactory(
        organization=organization, registered_by=registered_by, state=state, **{**defaults, **fields}
    )


def rival_registration(organization) -> Deal:
    """An approved registration of `organization` for Contoso Ltd (contoso.example): what a later
    registration by another partner for the same prospect and product conflicts with."""
    prospect = ProspectFactory(vendor=organization.vendor, name="Contoso Ltd", domain="contoso.example")
    return DealFactory(organization=organization, prospect=prospect, state=DealState.APPROVED)


def conflicting_with(rival, quantity=500) -> dict:
    """The DealFactory fields of a registration that conflicts with `rival`: its prospect, its product."""
    with scopes_disabled():
        product = rival.lines.get().product
    return {"prospect": rival.prospect, "lines": [(product, quantity)]}


def emails(event_type=None, to=None) -> list[OutboxEmail]:
    rows = OutboxEmail.objects.order_by("id")
    if event_type:
        rows = rows.filter(event_type=event_type)
    if to:
        rows = rows.filter(to=to)
    return list(rows)


def notifications_of(user, event_type=None) -> list[Notification]:
    with scopes_disabled():
        rows = Notification.objects.filter(user=user).order_by("id")
        if event_type:
            rows = rows.filter(event_type=event_type)
        return list(rows)


def reload(deal) -> Deal:
    """A fresh copy read past the scopes (the protected FSM state field cannot be refreshed in place)."""
    with scopes_disabled():
        return Deal.objects.get(pk=deal.pk)


def participants_of(deal) -> list[tuple]:
    """The deal's partners as (organisation name, role, share), in the order they were saved."""
    with scopes_disabled():
        return [
            (p.organization.name, p.role, p.share)
            for p in DealParticipant.objects.filter(deal=deal).select_related("organization").order_by("id")
        ]


def deal_url(name, deal, *args) -> str:
    """The URL of the deal page (or one of its actions) called `name`."""
    return reverse(name, args=[deal.vendor.slug, deal.number, *args])


def deal_page(vendor, deal, suffix="") -> str:
    """The deal page's path as a browser sees it, or the path `suffix` below it ("submit/", "quotes/1/")."""
    return f"/v/{vendor.slug}/deals/{deal.number}/{suffix}"


def deals_of(vendor) -> list[Deal]:
    with scopes_disabled():
        return list(Deal.objects.filter(vendor=vendor))


def deal_post(product, distributor, **overrides):
    """A complete registration as the browser would post it."""
    data = {
        "company_name": "Initech Corporation",
        "domain": "https://www.initech-corp.com/about",
        "partner_contact_name": "Pat Partner",
        "partner_contact_email": "pat@alpha.example",
        "partner_contact_phone": "+1 201 555 0100",
        "contact_first_name": "Bill",
        "contact_last_name": "Lumbergh",
        "contact_title": "VP Operations",
        "contact_role": Deal.ContactRole.DECISION_MAKER,
        "contact_email": "bill@initech-corp.com",
        "contact_phone": "+1 201 555 0199",
        "address_line1": "1 Initech Way",
        "city": "Austin",
        "state_region": "TX",
        "postal_code": "73301",
        "country": "US",
        "projected_value": "50000",
        "currency": "USD",
        "expected_close_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "deal_type": Deal.DealType.NET_NEW,
        "vertical": Deal.Vertical.COMMERCIAL,
        "segment": Deal.Segment.END_CUSTOMER,
        "priority": Deal.Priority.HIGH,
        "budget_status": Deal.BudgetStatus.APPROVED,
        "authority": "Bill Lumbergh, VP Operations",
        "need": "Replace an unsupported antivirus on 800 laptops.",
        "timeline": "Purchase order this quarter",
        "distributor": str(distributor.pk) if distributor else "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "20",
        "lines-0-product": str(product.pk),
        "lines-0-quantity": "800",
        "intent": "submit",
    }
    data.update(overrides)
    return data


def lines_post(product, quantity, **extra) -> dict:
    """The product-line formset as the deal and quote pages post it: one line, plus any other fields."""
    return {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "20",
        "lines-0-product": str(product.pk),
        "lines-0-quantity": str(quantity),
        **extra,
    }


def cosell_post(organization, share, *, lead_share="100") -> dict:
    """The deal form's co-sell fieldset as posted: the lead's share and one other partner."""
    return {
        "cosell-lead-share": lead_share,
        "cosell-TOTAL_FORMS": "1",
        "cosell-INITIAL_FORMS": "0",
        "cosell-MIN_NUM_FORMS": "0",
        "cosell-MAX_NUM_FORMS": "10",
        "cosell-0-organization": str(organization.pk),
        "cosell-0-role": "consulting",
        "cosell-0-share": share,
    }
