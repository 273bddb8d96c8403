"""Quotes: the price an approved registration is worth to the partner.

Approval issues the first quote (approved → quoted) inside the approving transaction. Further quotes
(changed quantities or products) may be issued while the deal is protected and its order not yet
started; each carries the program's reward margin on top of the tier discount, because a quote only
ever exists while protection holds (seed 004: "All the quotes receive any reward margins whilst the
deal is in an approved state"). No quote is issued once protection has ended.

Amounts follow deals.money: exact net unit price, each line rounded half up to the currency's minor
unit, totals = sums of the rounded lines.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partners.permissions import SYSTEM, Actor

from .. import access, money
from ..errors import DealActionError
from ..models import Action, Deal, DealState, Quote, QuoteLine
from ..policy.actions import quote_refusal
from . import kernel
from .registration import LineInput


def priced_line(*, quote: Quote, product, quantity: int, discount_points: Decimal) -> QuoteLine:
    """One unsaved line of `quote`: the product as it is today, priced by deals.money's rounding rule."""
    unit_net, list_amount, net_amount = money.line_amounts(
        list_price=product.list_price,
        quantity=quantity,
        discount_points=discount_points,
        currency=quote.currency,
    )
    return QuoteLine(
        quote=quote,
        product=product,
        sku=product.sku,
        product_name=product.name,
        unit=product.unit,
        quantity=quantity,
        list_price=product.list_price,
        net_unit_price=unit_net,
        list_amount=list_amount,
        net_amount=net_amount,
    )


def issue_first_quote(*, deal) -> Quote:
    """Quote the registered products; approval calls this inside its transaction."""
    lines = [LineInput(product=line.product, quantity=line.quantity) for line in deal.lines.all()]
    quote = _issue(deal=deal, lines=lines, actor=SYSTEM, note="Issued on approval.")
    _mark_quoted(deal, quote)
    return quote


@transaction.atomic
def issue_quote(*, deal, lines: list[LineInput], actor: Actor, note: str = "") -> Quote:
    """A further quote while the deal is protected; refused once protection ended or the order started."""
    deal = kernel.locked(deal)
    if not access.may_quote(actor, deal):
        raise DealActionError("You are not allowed to issue quotes for this registration.")
    kernel.refuse_if(quote_refusal(deal))
    quote = _issue(deal=deal, lines=lines, actor=actor, note=(note or "").strip())
    if deal.state == DealState.APPROVED:
        _mark_quoted(deal, quote)
    else:  # a further quote keeps the state; the timeline still records it
        kernel.record(deal, actor, Action.QUOTE_ISSUED, note=_event_note(quote))
    return quote


def current_quote(deal) -> Quote | None:
    """The deal's latest quote (the one an order is placed against), or None before approval."""
    return deal.quotes.order_by("-sequence").first()


def _issue(*, deal, lines: list[LineInput], actor: Actor, note: str) -> Quote:
    lines = _validated(deal, lines)
    currency = _currency_of(lines)
    program = deal.vendor.program
    tier = deal.organization.tier
    tier_points = tier.discount_points if tier else Decimal(0)
    reward_points = program.reward_margin_points
    points = tier_points + reward_points
    if points > money.HUNDRED:
        raise DealActionError(
            f"The tier discount ({tier_points}) and the reward margin ({reward_points}) add up to more "
            "than 100 points; ask the vendor to correct the program before quoting."
        )

    now = timezone.now()
    issue_date = timezone.localdate(now)
    sequence = (deal.quotes.aggregate(last=Max("sequence"))["last"] or 0) + 1
    quote = Quote(
        deal=deal,
        sequence=sequence,
        currency=currency,
        issued_at=now,
        issue_date=issue_date,
        valid_until=issue_date + timedelta(days=program.quote_validity_days),
        issued_by=None if actor.is_system else actor.user,
        tier_name=tier.name if tier else "",
        tier_discount_points=tier_points,
        reward_points=reward_points,
        list_total=Decimal(0),
        net_total=Decimal(0),
        note=note[:300],
    )
    quote_lines = [
        priced_line(quote=quote, product=line.product, quantity=line.quantity, discount_points=points)
        for line in lines
    ]
    # Totals are the sums of the rounded lines, never a rounding of the exact sum.
    quote.list_total = sum((ql.list_amount for ql in quote_lines), Decimal(0))
    quote.net_total = sum((ql.net_amount for ql in quote_lines), Decimal(0))
    quote.save()
    QuoteLine.objects.bulk_create(quote_lines)

    if program.expire_with_quote:
        # Seed 000 rule 4: "A registered opportunity will expire upon the expiration of distributor's
        # quotation." The registration follows its latest quote, but keeps the days of an extension
        # a channel manager granted (a new quote never shortens an extended registration).
        expires_at = quote.expires_at
        if deal.state == DealState.EXTENDED and deal.expires_at:
            expires_at = max(expires_at, deal.expires_at)
        deal.expires_at = expires_at
        deal.save(update_fields=["expires_at", "updated_at"])
    return quote


def _event_note(quote: Quote) -> str:
    note = (
        f"Quote {quote.number}: {money.format_money(quote.net_total, quote.currency)} net, valid until "
        f"{quote.valid_until:%Y-%m-%d}."
    )
    return f"{note} {quote.note}" if quote.note else note


def _mark_quoted(deal: Deal, quote: Quote) -> None:
    """approved → quoted, recorded once with the quote's figures (the system issues it, not a person)."""
    kernel.check(deal, Action.MARK_QUOTED, SYSTEM)
    kernel.run(deal, Action.MARK_QUOTED, SYSTEM, note=_event_note(quote))


def _validated(deal, lines: list[LineInput]) -> list[LineInput]:
    if not lines:
        raise DealActionError(f"{deal.deal_number} has no products to quote; add at least one product.")
    seen = set()
    for line in lines:
        product = line.product
        if product.vendor_id != deal.vendor_id:
            raise DealActionError("A quote can only contain this vendor's products.")
        if product.pk in seen:
            raise DealActionError(f"{product.name} appears twice; put its whole quantity on one line.")
        seen.add(product.pk)
        if not isinstance(line.quantity, int) or line.quantity < 1:
            raise DealActionError(f"The quantity of {product.name} must be a whole number of at least 1.")
    return lines


def _currency_of(lines: list[LineInput]) -> str:
    currencies = {line.product.currency.upper() for line in lines}
    if len(currencies) > 1:
        raise DealActionError(
            f"These products are priced in different currencies ({', '.join(sorted(currencies))}); "
            "one quote is in one currency."
        )
    currency = currencies.pop()
    try:
        money.minor_unit_exponent(currency)
    except money.UnsupportedCurrency as exc:
        raise DealActionError(str(exc)) from exc
    return currency
