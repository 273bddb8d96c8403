"""Orders: a quote becomes an order (PO number), the confirmed order wins the deal, a win opens the renewal.

Who may order is the program's choice (Program.ordering_party → deals.access.may_order). An order is
placed against a quote that is still valid, and a won deal opens its renewal registration.
"""

from django.db import transaction
from django.utils import timezone

from partners.permissions import SYSTEM, Actor

from ..errors import DealActionError
from ..models import Action, Deal, DealLine, DealParticipant, DealState
from ..models.deal import (
    COMPANY_FIELDS,
    DISTRIBUTION_FIELDS,
    END_USER_FIELDS,
    OPPORTUNITY_FIELDS,
    PARTNER_FIELDS,
)
from . import kernel, quotes

# What a renewal inherits from the won deal: who buys, through whom, and what.
# Qualification (BANT, evidence, meeting, next actions) is asked again for the new sales cycle.
RENEWAL_COPIED_FIELDS = (
    "organization",
    "registered_by",
    "prospect",
    *DISTRIBUTION_FIELDS,
    *COMPANY_FIELDS,
    *PARTNER_FIELDS,
    *END_USER_FIELDS,
    *(name for name in OPPORTUNITY_FIELDS if name not in ("expected_close_date", "deal_type")),
    "current_tools",
    "migrating_to",
)


@transaction.atomic
def deal_start_order(*, deal, actor: Actor, po_number: str) -> Deal:
    """Quoted / extended → ordered, against the current quote, which must still be valid."""
    deal = kernel.locked(deal)
    kernel.check(deal, Action.START_ORDER, actor)
    po_number = (po_number or "").strip()
    if not po_number:
        raise DealActionError("Enter the customer's purchase order number to start the order.")
    quote = quotes.current_quote(deal)
    if quote is None:
        raise DealActionError(f"{deal.deal_number} has no quote yet; an order is placed against a quote.")
    if quote.is_expired:
        raise DealActionError(
            f"Quote {quote.number} was valid until {quote.valid_until:%Y-%m-%d}. Issue a new quote, then "
            "start the order."
        )
    deal.po_number = po_number
    kernel.run(deal, Action.START_ORDER, actor, note=f"PO {po_number}")
    return deal


@transaction.atomic
def deal_submit_order(*, deal, actor: Actor) -> tuple[Deal, Deal]:
    """Ordered → won once the customer confirmed; opens the renewal registration. Returns (won, renewal)."""
    won = kernel.locked(deal)
    kernel.check(won, Action.SUBMIT_ORDER, actor)
    kernel.run(won, Action.SUBMIT_ORDER, actor)
    kernel.end_protection(won)
    return won, open_renewal(won_deal=won)


def open_renewal(*, won_deal: Deal) -> Deal:
    """The renewal registration of a won deal, for the same partner, prospect and products.

    A draft by default: the partner completes and submits it like any registration. When the program
    says so (seed 001: the winner "will subsequently receive deal registration approval for the
    renewal"), it opens already approved — deliberately without submission, because the net-new rule
    rejects every submitted renewal: the approval is the program's reward for the win, not a review.
    Approving it follows the ordinary approval: protection rows, expiry, first quote.
    """
    program = won_deal.vendor.program
    renewal = Deal(
        vendor=won_deal.vendor,
        number=kernel.allocate_deal_number(vendor=won_deal.vendor),
        deal_type=Deal.DealType.RENEWAL,
        renewal_of=won_deal,
        state=DealState.APPROVED if program.renewal_auto_approved else DealState.DRAFT,
        **{field: getattr(won_deal, field) for field in RENEWAL_COPIED_FIELDS},
    )
    if program.renewal_auto_approved:
        kernel.start_approval_clocks(renewal, now=timezone.now())
        renewal.decision_note = f"Approved automatically: renewal of won deal {won_deal.deal_number}."
    renewal.save()
    DealLine.objects.bulk_create(
        [
            DealLine(deal=renewal, product_id=line.product_id, quantity=line.quantity)
            for line in won_deal.lines.all()
        ]
    )
    # A co-sell deal renews with the same partners, roles and shares (nobody new to tell).
    DealParticipant.objects.bulk_create(
        [
            DealParticipant(deal=renewal, organization_id=p.organization_id, role=p.role, share=p.share)
            for p in won_deal.participants.all()
        ]
    )
    kernel.record(
        won_deal, SYSTEM, Action.RENEWAL_OPENED, note=f"Renewal registration {renewal.deal_number}."
    )
    kernel.record(
        renewal,
        SYSTEM,
        Action.RENEWAL_OPENED,
        note=f"Renewal of {won_deal.deal_number}"
        + (", approved automatically by the program." if program.renewal_auto_approved else ", as a draft."),
    )
    if program.renewal_auto_approved:
        kernel.start_protection(renewal)
        quotes.issue_first_quote(deal=renewal)
    return renewal
