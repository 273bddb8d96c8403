"""deals.money: minor units per currency, half-up rounding per line, exact net unit prices."""

from decimal import Decimal as D

import pytest

from deals import money


@pytest.mark.parametrize(
    ("currency", "unit"),
    [("USD", D("0.01")), ("EUR", D("0.01")), ("GBP", D("0.01")), ("JPY", D("1")), ("KWD", D("0.001"))],
)
def test_it_knows_the_minor_unit_of_each_currency(currency, unit):
    assert money.minor_unit(currency) == unit


def test_it_refuses_a_currency_it_cannot_round():
    with pytest.raises(money.UnsupportedCurrency, match="cannot price in XYZ"):
        money.round_money(D("1.00"), "XYZ")


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        (D("2.345"), "USD", D("2.35")),  # half up at .005, not banker's rounding
        (D("2.335"), "USD", D("2.34")),  # banker's rounding would give 2.34 too; half up as well
        (D("2.325"), "EUR", D("2.33")),  # banker's rounding would give 2.32
        (D("2.3449999"), "USD", D("2.34")),
        (D("-2.345"), "USD", D("-2.35")),  # half away from zero
        (D("12.5"), "JPY", D("13")),
        (D("13.5"), "JPY", D("14")),
        (D("12.4999"), "JPY", D("12")),
        (D("1.0005"), "KWD", D("1.001")),
        (D("1.0004999"), "KWD", D("1.000")),
    ],
)
def test_it_rounds_half_up_to_the_minor_unit(amount, currency, rounded):
    result = money.round_money(amount, currency)
    assert result == rounded
    assert result.as_tuple().exponent == -money.minor_unit_exponent(currency)


def test_it_refuses_floats():
    with pytest.raises(TypeError):
        money.round_money(2.345, "USD")


@pytest.mark.parametrize(
    ("list_price", "points", "net"),
    [
        (D("100.00"), D("0"), D("100.00")),
        (D("100.00"), D("30"), D("70.00")),
        (D("19.99"), D("32.5"), D("13.493250")),  # exact, never rounded before multiplying
        (D("100.00"), D("100"), D("0")),
    ],
)
def test_it_computes_the_exact_net_unit_price(list_price, points, net):
    assert money.net_unit_price(list_price, points) == net


@pytest.mark.parametrize("points", [D("-1"), D("100.01")])
def test_it_refuses_discounts_outside_0_to_100_points(points):
    with pytest.raises(ValueError, match="not between 0 and 100"):
        money.net_unit_price(D("10.00"), points)


def test_it_rounds_the_line_not_the_unit_price():
    # 19.99 at 32.5 points = 13.49325 per unit; × 3 = 40.47975 → 40.48.
    # Rounding the unit first (13.49 × 3 = 40.47) would lose a cent.
    unit, list_line, net_line = money.line_amounts(
        list_price=D("19.99"), quantity=3, discount_points=D("32.5"), currency="USD"
    )
    assert unit == D("13.49325")
    assert list_line == D("59.97")
    assert net_line == D("40.48")


def test_it_rounds_a_line_landing_exactly_on_half_a_cent_up():
    # 0.01 at 50 points = 0.005 per unit → 0.01 (half up), not 0.00 (half even).
    _, _, net_line = money.line_amounts(
        list_price=D("0.01"), quantity=1, discount_points=D("50"), currency="USD"
    )
    assert net_line == D("0.01")


def test_it_rounds_yen_lines_to_whole_yen():
    # 1,250 JPY at 35 points = 812.5 per unit → 813 (half up).
    _, list_line, net_line = money.line_amounts(
        list_price=D("1250"), quantity=1, discount_points=D("35"), currency="JPY"
    )
    assert (list_line, net_line) == (D("1250"), D("813"))


def test_it_keeps_three_decimals_for_kuwaiti_dinar():
    # 12.35 KWD at 27.5 points = 8.95375 per unit; × 7 = 62.67625 → 62.676.
    _, list_line, net_line = money.line_amounts(
        list_price=D("12.35"), quantity=7, discount_points=D("27.5"), currency="KWD"
    )
    assert list_line == D("86.450")
    assert net_line == D("62.676")


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (D("1234.5"), "USD", "1,234.50 USD"),
        (D("1200"), "JPY", "1,200 JPY"),
        (D("1.5"), "KWD", "1.500 KWD"),
        (D("0.005"), "EUR", "0.01 EUR"),
    ],
)
def test_it_formats_amounts_with_the_minor_digits(amount, currency, text):
    assert money.format_money(amount, currency) == text


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (D("13.49325000"), "USD", "13.49325"),
        (D("70.00000000"), "USD", "70.00"),
        (D("812.50000000"), "JPY", "812.5"),
        (D("1000"), "JPY", "1000"),
        (D("8.95375000"), "KWD", "8.95375"),
        (D("9.00000000"), "KWD", "9.000"),
    ],
)
def test_it_shows_unit_prices_exactly_but_without_trailing_noise(amount, currency, shown):
    assert f"{money.display_unit_price(amount, currency):f}" == shown
