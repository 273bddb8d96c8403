"""A channel manager's decisions on a registration: ask for information, approve, reject, revoke, extend."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partners.permissions import Actor, Perm

from ..errors import DealActionError, ProtectionConflict
from ..models import Action, Deal, DealState, ExtensionRequest, RejectionReason, RevocationReason
from ..policy.actions import approval_refusal, extension_refusal
from . import kernel, quotes


@transaction.atomic
def deal_request_info(*, deal, actor: Actor, note: str) -> Deal:
    deal = kernel.locked(deal)
    kernel.check(deal, Action.REQUEST_INFO, actor)
    note = kernel.require_note(note, "information you need")
    kernel.run(deal, Action.REQUEST_INFO, actor, note=note)
    return deal


@transaction.atomic
def deal_approve(*, deal, actor: Actor, note: str = "") -> Deal:
    """Submitted → approved: protection starts (exclusive per product) and the first quote is issued."""
    deal = kernel.locked(deal)
    kernel.check(deal, Action.APPROVE, actor)
    blocked = approval_refusal(deal)
    if blocked:  # the same words the review page shows; start_protection still catches a race
        raise ProtectionConflict(blocked)
    kernel.start_approval_clocks(deal, now=timezone.now())
    deal.decision_note = note.strip()
    kernel.run(deal, Action.APPROVE, actor, note=deal.decision_note)
    kernel.start_protection(deal)
    quotes.issue_first_quote(deal=deal)
    return deal


def _decide_with_reason(deal, actor: Actor, transition: str, *, reasons, reason: str, note: str, what: str):
    """Reject or revoke: a reason from the program's list and an explanation the partner reads."""
    deal = kernel.locked(deal)
    kernel.check(deal, transition, actor)
    if reason not in reasons.values:
        raise DealActionError(f"Choose one of the {what} reasons.")
    deal.decision_note = kernel.require_note(note, what)
    setattr(deal, f"{what}_reason", reason)
    return deal


@transaction.atomic
def deal_reject(*, deal, actor: Actor, reason: str, note: str) -> Deal:
    deal = _decide_with_reason(
        deal, actor, Action.REJECT, reasons=RejectionReason, reason=reason, note=note, what="rejection"
    )
    deal.decided_at = timezone.now()
    kernel.run(deal, Action.REJECT, actor, reason=reason, note=deal.decision_note)
    return deal


@transaction.atomic
def deal_revoke(*, deal, actor: Actor, reason: str, note: str) -> Deal:
    deal = _decide_with_reason(
        deal, actor, Action.REVOKE, reasons=RevocationReason, reason=reason, note=note, what="revocation"
    )
    kernel.run(deal, Action.REVOKE, actor, reason=reason, note=deal.decision_note)
    kernel.end_protection(deal)
    return deal


@transaction.atomic
def deal_grant_extension(*, deal, actor: Actor, note: str = "") -> Deal:
    """Protection runs the program's extension days longer (from now, if it had already expired)."""
    deal = kernel.locked(deal)
    kernel.check(deal, Action.GRANT_EXTENSION, actor)
    kernel.refuse_if(extension_refusal(deal))
    was_expired = deal.state == DealState.EXPIRED
    now = timezone.now()
    deal.expires_at = max(now, deal.expires_at or now) + timedelta(days=deal.vendor.program.extension_days)
    deal.extension_count += 1
    kernel.run(deal, Action.GRANT_EXTENSION, actor, note=note.strip())
    if was_expired:
        kernel.start_protection(deal)
    # A direct extension satisfies the partner's waiting request: it is granted with it.
    kernel.close_open_extension_request(
        deal, decision=ExtensionRequest.Decision.GRANTED, decided_by=actor.user, note=note.strip()
    )
    return deal


@transaction.atomic
def deal_decide_extension(
    *, extension_request, actor: Actor, grant: bool, note: str = ""
) -> ExtensionRequest:
    """A channel manager grants (new expiry, state extended) or declines (with a reason) a request."""
    # The deal first, then the request: the order in which every deal change takes its locks.
    deal = kernel.locked(extension_request.deal)
    request = ExtensionRequest.objects.select_for_update().get(pk=extension_request.pk)
    if not request.is_open:
        decided = request.get_decision_display().lower()
        closed_automatically = request.decision_note if request.decided_by_id is None else ""
        raise DealActionError(f"This extension request was already {decided}. {closed_automatically}".strip())
    if not actor.has(Perm.REVIEW_DEALS):
        raise DealActionError("Only channel managers decide extension requests.")
    note = (note or "").strip()
    if grant:
        deal_grant_extension(deal=deal, actor=actor, note=note)  # grants this request, too
        request.refresh_from_db()
        return request
    note = kernel.require_note(note, "reason for declining")
    kernel.record(deal, actor, Action.EXTENSION_DECLINED, note=note)
    return kernel.close_open_extension_request(
        deal, decision=ExtensionRequest.Decision.DECLINED, decided_by=actor.user, note=note
    )
