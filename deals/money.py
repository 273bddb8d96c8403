"""Money: `Decimal` amounts in a currency's minor unit, and the one rounding rule of quotes.

Rounding rule (used by every quote, page, PDF and CSV):
- The net unit price is exact: list price × (1 − (tier discount points + reward points) / 100).
  It is shown unrounded (at least to the minor unit) and never rounded before multiplying.
- Each line is rounded once, ROUND_HALF_UP, to the currency's minor unit:
  list line = round(list price × quantity), net line = round(net unit price × quantity).
- Totals are the sums of the rounded lines, so a quote always adds up on paper;
  the discount of a line is its list line minus its net line.

Minor units are the ISO 4217 exponents: JPY has none (¥1), KWD three (0.001 KD), most currencies two.
"""

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor-unit exponents of the currencies the portal prices in.
MINOR_UNITS: dict[str, int] = {
    "AUD": 2,
    "BHD": 3,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CLP": 0,
    "CNY": 2,
    "CZK": 2,
    "DKK": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "HUF": 2,
    "INR": 2,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KRW": 0,
    "KWD": 3,
    "MXN": 2,
    "NOK": 2,
    "NZD": 2,
    "OMR": 3,
    "PLN": 2,
    "SEK": 2,
    "SGD": 2,
    "TND": 3,
    "USD": 2,
    "ZAR": 2,
}

# Money columns store this many decimals: enough for the currencies with the most minor digits.
STORED_DECIMALS = max(MINOR_UNITS.values())

CURRENCY_CHOICES = [(code, code) for code in sorted(MINOR_UNITS)]

HUNDRED = Decimal(100)


class UnsupportedCurrency(ValueError):
    """A currency the portal has no minor unit for; amounts in it cannot be rounded correctly."""


def minor_unit_exponent(currency: str) -> int:
    try:
        return MINOR_UNITS[currency.upper()]
    except KeyError:
        raise UnsupportedCurrency(
            f"The portal cannot price in {currency or 'an empty currency'}: supported are "
            f"{', '.join(sorted(MINOR_UNITS))}."
        ) from None


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of a currency: 0.01 USD, 1 JPY, 0.001 KWD."""
    return Decimal(1).scaleb(-minor_unit_exponent(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (2.345 USD → 2.35, 12.5 JPY → 13)."""
    if not isinstance(amount, Decimal):
        raise TypeError("Money is Decimal, never float.")
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def net_unit_price(list_price: Decimal, discount_points: Decimal) -> Decimal:
    """The exact net price of one unit after `discount_points` percentage points off the list price."""
    if not Decimal(0) <= discount_points <= HUNDRED:
        raise ValueError(f"A discount of {discount_points} points is not between 0 and 100.")
    return list_price * (HUNDRED - discount_points) / HUNDRED


def line_amounts(
    *, list_price: Decimal, quantity: int, discount_points: Decimal, currency: str
) -> tuple[Decimal, Decimal, Decimal]:
    """(exact net unit price, rounded list line, rounded net line) of one quote line."""
    unit_net = net_unit_price(list_price, discount_points)
    return unit_net, round_money(list_price * quantity, currency), round_money(unit_net * quantity, currency)


def in_minor_units(amount: Decimal, currency: str) -> Decimal:
    """An amount written with exactly the currency's minor digits (display, CSV): 5 USD → 5.00."""
    return round_money(amount, currency)


def display_unit_price(amount: Decimal, currency: str) -> Decimal:
    """An exact unit price shown with at least the minor digits and no trailing noise: 12.3450 → 12.345."""
    exponent = minor_unit_exponent(currency)
    normalized = amount.normalize()
    if -normalized.as_tuple().exponent < exponent:
        return amount.quantize(minor_unit(currency))
    return normalized


def format_money(amount: Decimal, currency: str) -> str:
    """1234.5 USD → '1,234.50 USD'; 1200 JPY → '1,200 JPY'; 1.5 KWD → '1.500 KWD'."""
    exponent = minor_unit_exponent(currency)
    return f"{in_minor_units(amount, currency):,.{exponent}f} {currency.upper()}"


def format_points(points: Decimal) -> str:
    """Discount points without trailing zeros: 20.00 → '20', 32.50 → '32.5'."""
    return f"{points.normalize():f}"
