""" "May this happen to the deal now?": each answer once, for the services that refuse and the pages that
offer the button. Each function returns why not (a sentence for the person), or "" when it may."""

from django.utils import timezone

from .. import access
from ..models import EXTENDABLE_STATES, QUOTABLE_STATES, DealState
from .conflicts import protection_holders


def extension_refusal(deal) -> str:
    """Whether the registration may be extended (asked for by the partner, or granted directly)."""
    if deal.state not in EXTENDABLE_STATES:
        return (
            f"{deal.deal_number} is {deal.get_state_display().lower()}: only approved, quoted, extended or "
            "expired registrations can be extended."
        )
    limit = deal.vendor.program.max_extensions
    if deal.extension_count >= limit:
        return (
            f"This registration has had the program's maximum of {limit} extension"
            f"{'s' if limit != 1 else ''}; it cannot be extended again."
        )
    return ""


def approval_refusal(deal) -> str:
    """Whether approving could succeed: not while another deal protects one of its products at its prospect.

    For the channel manager (who may know who holds a registration): it names the holder.
    """
    holders = protection_holders(deal)
    if not holders:
        return ""
    held = "; ".join(
        f"{holder.deal_number} ({holder.organization.name}) protects {', '.join(p.name for p in products)}"
        for holder, products in holders.items()
    )
    return (
        "Approval is blocked: another partner's registration already protects a product of this deal at "
        f"this prospect. {held}. It can be approved once that protection has ended."
    )


def quote_refusal(deal, *, now=None) -> str:
    """Whether a further quote may be issued: while protected, before its order starts."""
    if deal.state == DealState.ORDERED:
        return (
            f"The order of {deal.deal_number} has started against its current quote; no further quote "
            "can be issued."
        )
    now = now or timezone.now()
    if deal.state not in QUOTABLE_STATES or (deal.expires_at and deal.expires_at <= now):
        return (
            f"{deal.deal_number} is no longer protected ({deal.get_state_display().lower()}): quotes with "
            "the registration reward are issued only while protection lasts."
        )
    return ""


def may_issue_quote(actor, deal) -> bool:
    """The "New quote" button and the quote service agree: the actor may quote, and the deal may be."""
    return access.may_quote(actor, deal) and not quote_refusal(deal)
