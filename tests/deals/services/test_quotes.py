"""Quotes: the first one on approval, further ones while protected, amounts and expiry."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from deals.errors import DealActionError
from deals.models import Deal, DealEvent, DealState, Protection, Quote
from deals.services import quotes
from deals.services.registration import LineInput
from deals.services.review import deal_approve
from partners.models import Membership
from partners.permissions import SYSTEM
from tests.factories import (
    DealFactory,
    DistributorFactory,
    OrganizationFactory,
    ProductFactory,
    TierFactory,
    actor_of,
    member,
    quoted_deal,
    set_program,
)
from tests.helpers import reload

Role = Membership.Role
S = DealState


def reseller_with_tier(vendor, points):
    tier = TierFactory(vendor=vendor, name=f"Tier {points}", discount_points=D(points)) if points else None
    return OrganizationFactory(vendor=vendor, tier=tier)


def quote_count(deal):
    with scopes_disabled():
        return Quote.objects.filter(deal=deal).count()


# --- the first quote -------------------------------------------------------------------------------


def test_it_issues_the_first_quote_on_approval(vendor, channel_manager, in_scope):
    set_program(vendor, reward_margin_points=D("10"), quote_validity_days=30)
    org = reseller_with_tier(vendor, "20")
    product = ProductFactory(vendor=vendor, list_price=D("12.50"), name="Endpoint Shield")
    deal = DealFactory(organization=org, state=S.SUBMITTED, lines=[(product, 400)])

    deal = deal_approve(deal=deal, actor=actor_of(channel_manager, vendor))

    assert deal.state == S.QUOTED
    quote = deal.quotes.get()
    assert quote.number == f"{deal.deal_number}-Q1"
    assert quote.currency == "USD"
    assert quote.issued_by is None  # issued by the portal on approval
    assert quote.issue_date == timezone.localdate()
    assert quote.valid_until == quote.issue_date + timedelta(days=30)
    assert (quote.tier_discount_points, quote.reward_points, quote.discount_points) == (20, 10, 30)
    line = quote.lines.get()
    assert (line.product_name, line.quantity, line.list_price) == ("Endpoint Shield", 400, D("12.50"))
    assert line.net_unit_price == D("8.75")
    assert (line.list_amount, line.net_amount) == (D("5000.00"), D("3500.00"))
    assert (quote.list_total, quote.net_total, quote.discount_total) == (D("5000"), D("3500"), D("1500"))
    actions = list(deal.events.values_list("action", "to_state"))
    assert actions[-2:] == [("approve", S.APPROVED), ("mark_quoted", S.QUOTED)]
    quoted_event = deal.events.get(action="mark_quoted")
    assert quoted_event.actor is None  # the system issues it
    assert quoted_event.note.startswith(f"Quote {quote.number}: 3,500.00 USD net, valid until")


@pytest.mark.parametrize(
    ("tier_points", "net_total"),
    [
        (None, D("9000.00")),  # no tier: only the 10-point reward
        ("10", D("8000.00")),
        ("20", D("7000.00")),
        ("32.5", D("5750.00")),
    ],
)
def test_it_adds_the_tier_discount_and_the_reward_margin(vendor, tier_points, net_total):
    set_program(vendor, reward_margin_points=D("10"))
    org = reseller_with_tier(vendor, tier_points)
    product = ProductFactory(vendor=vendor, list_price=D("10.00"))

    deal = quoted_deal(organization=org, lines=[(product, 1000)])

    with scopes_disabled():
        quote = deal.quotes.get()
        assert quote.list_total == D("10000.00")
        assert quote.net_total == net_total
        assert quote.lines.get().net_amount == net_total


@pytest.mark.parametrize(
    ("currency", "list_price", "quantity", "list_total", "net_total"),
    [
        # 1,250 JPY at 35 points → 812.5 per unit; × 3 = 2437.5 → 2438 (whole yen, half up).
        ("JPY", D("1250"), 3, D("3750"), D("2438")),
        # 12.35 KWD at 35 points → 8.0275 per unit; × 7 = 56.1925 → 56.193 (fils, half up).
        ("KWD", D("12.35"), 7, D("86.450"), D("56.193")),
        # 19.99 EUR at 35 points → 12.9935; × 3 = 38.9805 → 38.98.
        ("EUR", D("19.99"), 3, D("59.97"), D("38.98")),
        ("GBP", D("0.99"), 1, D("0.99"), D("0.64")),  # 0.6435 → 0.64
    ],
)
def test_it_prices_in_the_currency_of_the_products(
    vendor, currency, list_price, quantity, list_total, net_total
):
    set_program(vendor, reward_margin_points=D("10"))
    org = reseller_with_tier(vendor, "25")
    product = ProductFactory(vendor=vendor, list_price=list_price, currency=currency)

    deal = quoted_deal(organization=org, lines=[(product, quantity)])

    with scopes_disabled():
        quote = deal.quotes.get()
        line = quote.lines.get()
    assert quote.currency == currency
    assert (line.list_amount, line.net_amount) == (list_total, net_total)
    assert quote.net_total == net_total


def test_its_totals_are_the_sum_of_the_rounded_lines(vendor):
    # 0.01 at 50 points is 0.005 per line, rounded half up to 0.01 on each of three lines.
    # The exact sum (0.015) would round to 0.02; the quote shows 0.03 so that it adds up on paper.
    set_program(vendor, reward_margin_points=D("10"))
    org = reseller_with_tier(vendor, "40")
    products = [ProductFactory(vendor=vendor, list_price=D("0.01")) for _ in range(3)]

    deal = quoted_deal(organization=org, lines=[(p, 1) for p in products])

    with scopes_disabled():
        quote = deal.quotes.get()
        assert [ln.net_amount for ln in quote.lines.all()] == [D("0.01")] * 3
    assert quote.net_total == D("0.03")
    assert quote.list_total == D("0.03")


def test_it_rounds_each_line_once_not_the_unit_price(vendor):
    set_program(vendor, reward_margin_points=D("10"))
    org = reseller_with_tier(vendor, "22.5")  # 32.5 points in all
    product = ProductFactory(vendor=vendor, list_price=D("19.99"))

    deal = quoted_deal(organization=org, lines=[(product, 3)])

    with scopes_disabled():
        line = deal.quotes.get().lines.get()
    assert line.net_unit_price == D("13.49325")
    assert line.net_amount == D("40.48")  # 13.49 × 3 would be 40.47


def test_it_keeps_the_quoted_prices_when_the_list_price_changes_later(vendor):
    product = ProductFactory(vendor=vendor, list_price=D("10.00"))
    deal = quoted_deal(organization=reseller_with_tier(vendor, "20"), lines=[(product, 10)])
    with scopes_disabled():
        product.list_price = D("99.00")
        product.save()
        line = deal.quotes.get().lines.get()
    assert line.list_price == D("10.00")
    assert line.list_amount == D("100.00")


def test_it_refuses_to_approve_a_deal_without_products_and_saves_nothing(vendor, channel_manager, in_scope):
    deal = DealFactory(state=S.SUBMITTED, organization=reseller_with_tier(vendor, "20"), lines=[])

    with pytest.raises(DealActionError, match="no products to quote"):
        deal_approve(deal=deal, actor=actor_of(channel_manager, vendor))

    deal = reload(deal)
    assert deal.state == S.SUBMITTED
    assert deal.approved_at is None
    assert not Quote.objects.filter(deal=deal).exists()
    assert not DealEvent.objects.filter(deal=deal, action="approve").exists()


def test_it_refuses_a_program_whose_points_exceed_100_and_saves_nothing(vendor, channel_manager, in_scope):
    set_program(vendor, reward_margin_points=D("15"))
    deal = DealFactory(state=S.SUBMITTED, organization=reseller_with_tier(vendor, "90"))

    with pytest.raises(DealActionError, match="more than 100 points"):
        deal_approve(deal=deal, actor=actor_of(channel_manager, vendor))

    deal = reload(deal)
    assert deal.state == S.SUBMITTED
    assert not Protection.objects.filter(deal=deal).exists()
    assert not Quote.objects.filter(deal=deal).exists()


# --- further quotes --------------------------------------------------------------------------------


@pytest.fixture
def quoted(vendor, reseller, distributor):
    set_program(vendor, reward_margin_points=D("10"))
    first = ProductFactory(vendor=vendor, list_price=D("10.00"))
    return quoted_deal(organization=reseller, distributor=distributor, lines=[(first, 100)])


def test_it_issues_a_further_quote_with_changed_quantities(quoted, vendor, in_scope):
    product = quoted.lines.get().product
    second = ProductFactory(vendor=vendor, list_price=D("4.00"))
    partner = actor_of(quoted.registered_by, vendor)

    quote = quotes.issue_quote(
        deal=quoted,
        lines=[LineInput(product, 150), LineInput(second, 10)],
        actor=partner,
        note="Customer added a site.",
    )

    assert quote.sequence == 2
    assert quote.issued_by == quoted.registered_by
    assert quote.list_total == D("1540.00")
    assert quote.net_total == D("1078.00")  # 20 tier + 10 reward points
    assert quotes.current_quote(quoted) == quote
    quoted = reload(quoted)
    assert quoted.state == S.QUOTED
    further = quoted.events.get(action="quote_issued")
    assert further.actor == quoted.registered_by
    assert further.note.endswith("Customer added a site.")


@pytest.mark.parametrize("state", [S.APPROVED, S.QUOTED, S.EXTENDED])
def test_every_quote_while_protected_carries_the_reward_margin(vendor, reseller, state, in_scope):
    set_program(vendor, reward_margin_points=D("12.5"))
    deal = DealFactory(organization=reseller, state=state, expires_at=timezone.now() + timedelta(days=10))
    line = deal.lines.get()

    quote = quotes.issue_quote(
        deal=deal,
        lines=[LineInput(line.product, line.quantity)],
        actor=actor_of(deal.registered_by, vendor),
    )

    assert quote.reward_points == D("12.5")
    assert quote.discount_points == quote.tier_discount_points + D("12.5")
    deal = reload(deal)
    assert deal.state == (S.QUOTED if state == S.APPROVED else state)


@pytest.mark.parametrize(
    "state",
    [S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED, S.REJECTED, S.EXPIRED, S.REVOKED, S.WON, S.LOST, S.WITHDRAWN],
)
def test_it_refuses_quotes_outside_protection(vendor, reseller, state, in_scope):
    deal = DealFactory(organization=reseller, state=state)
    line = deal.lines.get()

    with pytest.raises(DealActionError, match="no longer protected"):
        quotes.issue_quote(deal=deal, lines=[LineInput(line.product, 5)], actor=SYSTEM)

    assert quote_count(deal) == 0


def test_it_refuses_quotes_once_the_protection_period_has_passed(quoted, vendor, in_scope):
    # The expiry job has not run yet, but protection has ended: no quote with the reward margin.
    Deal.objects.filter(pk=quoted.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    line = quoted.lines.get()

    with pytest.raises(DealActionError, match="no longer protected"):
        quotes.issue_quote(deal=quoted, lines=[LineInput(line.product, 5)], actor=SYSTEM)

    assert quote_count(quoted) == 1


def test_it_refuses_quotes_once_the_order_has_started(vendor, reseller, in_scope):
    deal = DealFactory(organization=reseller, state=S.ORDERED, expires_at=timezone.now() + timedelta(days=5))
    line = deal.lines.get()

    with pytest.raises(DealActionError, match="order of .* has started"):
        quotes.issue_quote(deal=deal, lines=[LineInput(line.product, 5)], actor=SYSTEM)

    assert quote_count(deal) == 0


def test_the_partner_the_distributor_and_the_channel_manager_may_quote(
    quoted, vendor, distributor_user, channel_manager, in_scope
):
    line = quoted.lines.get()
    for user in (quoted.registered_by, distributor_user, channel_manager):
        quotes.issue_quote(deal=quoted, lines=[LineInput(line.product, 7)], actor=actor_of(user, vendor))
    assert quote_count(quoted) == 4


@pytest.mark.parametrize("who", ["colleague", "other_reseller_admin", "other_distributor"])
def test_others_may_not_quote(quoted, vendor, reseller, other_reseller, who, in_scope):
    user = {
        "colleague": lambda: member(Role.PARTNER_USER, organization=reseller),  # did not register it
        "other_reseller_admin": lambda: member(Role.PARTNER_ADMIN, organization=other_reseller),
        "other_distributor": lambda: member(
            Role.DISTRIBUTOR_USER, organization=DistributorFactory(vendor=vendor)
        ),
    }[who]()
    line = quoted.lines.get()

    with pytest.raises(DealActionError, match="not allowed"):
        quotes.issue_quote(deal=quoted, lines=[LineInput(line.product, 7)], actor=actor_of(user, vendor))

    assert quote_count(quoted) == 1


@pytest.mark.parametrize(
    ("make_lines", "message"),
    [
        (lambda deal, vendor, other: [], "no products to quote"),
        (lambda deal, vendor, other: [LineInput(deal.lines.get().product, 0)], "at least 1"),
        (
            lambda deal, vendor, other: [LineInput(deal.lines.get().product, 1)] * 2,
            "appears twice",
        ),
        (
            lambda deal, vendor, other: [LineInput(ProductFactory(vendor=other), 1)],
            "this vendor's products",
        ),
        (
            lambda deal, vendor, other: [
                LineInput(deal.lines.get().product, 1),
                LineInput(ProductFactory(vendor=vendor, currency="EUR"), 1),
            ],
            "different currencies",
        ),
        (
            lambda deal, vendor, other: [LineInput(ProductFactory(vendor=vendor, currency="XYZ"), 1)],
            "cannot price in XYZ",
        ),
    ],
)
def test_it_refuses_bad_quote_lines_and_saves_nothing(quoted, vendor, other_vendor, make_lines, message):
    with scopes_disabled():
        lines = make_lines(quoted, vendor, other_vendor)
        events_before = quoted.events.count()
        with pytest.raises(DealActionError, match=message):
            quotes.issue_quote(deal=quoted, lines=lines, actor=SYSTEM)
        assert quoted.events.count() == events_before
    assert quote_count(quoted) == 1


# --- registration expiry tied to the quote (seed 000, rule 4) ---------------------------------------


def test_the_registration_expires_with_the_quote_when_the_program_says_so(vendor, reseller):
    set_program(vendor, expire_with_quote=True, validity_days=60, quote_validity_days=21)

    deal = quoted_deal(organization=reseller)

    with scopes_disabled():
        quote = deal.quotes.get()
    assert quote.valid_until == timezone.localdate() + timedelta(days=21)
    assert deal.expires_at == quote.expires_at
    assert timezone.localtime(deal.expires_at).date() == quote.valid_until + timedelta(days=1)


def test_a_further_quote_moves_the_registration_expiry(vendor, reseller, in_scope):
    set_program(vendor, expire_with_quote=True, quote_validity_days=21)
    deal = quoted_deal(organization=reseller)
    Quote.objects.filter(deal=deal).update(
        issue_date=timezone.localdate() - timedelta(days=10),
        valid_until=timezone.localdate() + timedelta(days=11),
    )
    line = deal.lines.get()

    quote = quotes.issue_quote(deal=deal, lines=[LineInput(line.product, 5)], actor=SYSTEM)

    deal = reload(deal)
    assert deal.expires_at == quote.expires_at


def test_a_further_quote_never_shortens_an_extension(vendor, reseller, in_scope):
    set_program(vendor, expire_with_quote=True, quote_validity_days=21)
    extended_until = timezone.now() + timedelta(days=80)
    deal = DealFactory(organization=reseller, state=S.EXTENDED, expires_at=extended_until)
    line = deal.lines.get()

    quotes.issue_quote(deal=deal, lines=[LineInput(line.product, 5)], actor=SYSTEM)

    assert reload(deal).expires_at == extended_until


def test_without_the_option_the_registration_keeps_the_program_validity(vendor, reseller):
    set_program(vendor, expire_with_quote=False, validity_days=60, quote_validity_days=21)

    deal = quoted_deal(organization=reseller)

    assert deal.expires_at.date() == (deal.approved_at + timedelta(days=60)).date()
    with scopes_disabled():
        assert deal.quotes.get().valid_until == timezone.localdate() + timedelta(days=21)


def test_a_quote_is_expired_after_its_last_valid_day(quoted, in_scope):
    quote = quoted.quotes.get()
    assert not quote.is_expired
    Quote.objects.filter(pk=quote.pk).update(
        issue_date=timezone.localdate() - timedelta(days=31),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    quote.refresh_from_db()
    assert quote.is_expired
