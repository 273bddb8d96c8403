"""Template filters of the deal pages (formatting only: no queries)."""

from django import template

from .. import money

register = template.Library()


@register.filter
def money_in(amount, currency):
    """{{ amount|money_in:currency }} → '1,234.50 USD' (empty when there is no amount)."""
    if amount is None or not currency:
        return ""
    return money.format_money(amount, currency)
