"""Reads about quotes and orders: what the deal page, the lists and the quote page show."""

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from . import money
from .models import Quote
from .quotes import QUOTABLE_STATES


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


def with_current_quote(queryset):
    """Deals annotated with their latest quote (sequence, net total, currency, validity), in one query."""
    latest = Quote.objects.filter(deal=OuterRef("pk")).order_by("-sequence")
    return queryset.annotate(
        current_quote_sequence=Subquery(latest.values("sequence")[:1]),
        current_quote_net_total=Subquery(latest.values("net_total")[:1]),
        current_quote_currency=Subquery(latest.values("currency")[:1]),
        current_quote_valid_until=Subquery(latest.values("valid_until")[:1]),
    )


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
    may_quote = deal.state in QUOTABLE_STATES and actor.may_quote(deal)
    return {
        "current": quote_summary(deal_quotes[0]) if deal_quotes else None,
        "earlier": [quote_summary(q) for q in deal_quotes[1:]],
        "may_issue_quote": may_quote,
        "po_number": deal.po_number,
        "order_status": order_status(deal),
        # Links to the renewal (or the renewed deal) only for viewers who may open them.
        "renewal": _visible(deal.renewals.order_by("-created_at").first(), actor),
        "renewal_of": _visible(deal.renewal_of, actor),
    }


def _visible(deal, actor):
    return deal if deal is not None and actor.may_view(deal) else None


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
