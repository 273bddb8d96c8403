"""Template tags of quotes and orders: the deal page's panel, and money in lists."""

from django import template

from partners.permissions import Actor

from .. import money, quote_selectors

register = template.Library()


@register.inclusion_tag("deals/detail/_quotes_panel.html", takes_context=True)
def quotes_panel(context, deal):
    """The quote and order panel of the deal page, for whoever is looking."""
    actor = Actor.from_request(context["request"])
    return {
        "deal": deal,
        "current_vendor": context.get("current_vendor"),
        "panel": quote_selectors.quote_panel(deal, actor),
    }


@register.filter
def money_in(amount, currency):
    """{{ amount|money_in:currency }} → '1,234.50 USD' (empty when there is no amount)."""
    if amount is None or not currency:
        return ""
    return money.format_money(amount, currency)
