"""Template filters and tags of the deal pages (formatting only: no queries)."""

import uuid

from django import template

from .. import money

register = template.Library()


@register.filter
def money_in(amount, currency):
    """{{ amount|money_in:currency }} → '1,234.50 USD' (empty when there is no amount)."""
    if amount is None or not currency:
        return ""
    return money.format_money(amount, currency)


@register.simple_tag
def submission_key() -> str:
    """{% submission_key %} → a fresh one-time key for the rendered form (see deals.services.submissions)."""
    return uuid.uuid4().hex
