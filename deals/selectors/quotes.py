"""Reads about quotes and orders: what the deal page, the lists and the quote page show."""

from django.http import Http404
from django.utils import timezone

from .. import access, money
from ..models import Quote
from ..policy.actions import may_issue_quote


def quote_of(deal, sequence: int) -> Quote:
    """A quote of a deal the viewer may already see (the view checked the deal), or 404."""
    quote = (
        Quote.objects.filter(deal=deal, sequence=sequence)
        .select_related("deal__vendor__program", "deal__organization", "deal__distributor", "issued_by")
        .prefetch_related("lines")
        .first()
    )
    if quote is None:
        raise Http404("No such quote.")
    return quote


def quote_summary(quote: Quote) -> dict:
    """A quote as the panels and lists show it: money already formatted, status in words."""
    today = timezone.localdate()
    return {
        "quote": quote,
        "net_total": money.format_money(quote.net_total, quote.currency),
        "list_total": money.format_money(quote.list_total, quote.currency),
        "discount_total": money.format_money(quote.discount_total, quote.currency),
        "points": money.format_points(quote.discount_points),
        "is_expired": quote.valid_until < today,
        "status": "Expired" if quote.valid_until < today else "Valid",
    }


def quote_panel(deal, actor) -> dict:
    """The deal page's quote and order panel: current and earlier quotes, order facts, permitted actions."""
    deal_quotes = list(deal.quotes.order_by("-sequence"))
    return {
        "current": quote_summary(deal_quotes[0]) if deal_quotes else None,
        "earlier": [quote_summary(q) for q in deal_quotes[1:]],
        "may_issue_quote": may_issue_quote(actor, deal),
        "po_number": deal.po_number,
        "order_status": order_status(deal),
        # Links to the renewal (or the renewed deal) only for viewers who may open them.
        "renewal": _visible(deal.renewals.order_by("-created_at").first(), actor),
        "renewal_of": _visible(deal.renewal_of, actor),
    }


def _visible(deal, actor):
    return deal if deal is not None and access.may_view(actor, deal) else None


ORDER_STATUS = {
    "approved": "Quote being prepared",
    "quoted": "Quoted, no order yet",
    "extended": "Quoted, no order yet",
    "ordered": "Order started",
    "won": "Order submitted, deal won",
    "lost": "Lost",
}


def order_status(deal) -> str:
    return ORDER_STATUS.get(deal.state, "")
