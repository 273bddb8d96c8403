"""The transition kernel every deal service is built on.

A state change reads top to bottom in its service: `locked` (the deal row, FOR UPDATE), `check` (the FSM
condition and the actor's permission), then `run` (the transition, which only changes the state; save;
a DealEvent; notifications queued for after the commit). Protection rows and the approval clocks are
here too because approval, extension and the automatic renewal share them.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from partners.permissions import Actor

from .. import access
from ..errors import DealActionError, ProtectionConflict
from ..models import (
    EXTENDABLE_STATES,
    Action,
    Deal,
    DealEvent,
    DealNumberSequence,
    DealState,
    ExtensionRequest,
    Protection,
)
from . import notices


@transaction.atomic  # the increment and the read must share one transaction, even when called alone
def allocate_deal_number(*, vendor) -> int:
    """Next human deal number of a vendor; the row lock makes concurrent registrations wait their turn."""
    DealNumberSequence.objects.get_or_create(vendor=vendor)
    DealNumberSequence.objects.filter(vendor=vendor).update(last_number=F("last_number") + 1)
    return DealNumberSequence.objects.select_for_update().get(vendor=vendor).last_number


def locked(deal) -> Deal:
    """The deal's row, locked until the transaction ends: every change of a deal starts here."""
    # of=("self",): lock the deal row only; Postgres refuses FOR UPDATE on the outer-joined program.
    return (
        Deal.objects.select_for_update(of=("self",))
        .select_related("vendor__program", "organization")
        .get(pk=deal.pk)
    )


def locked_for_registrant(deal, actor: Actor, *, to: str) -> Deal:
    """The locked deal, when the actor is its registering partner: "Only the registering partner can <to>"."""
    deal = locked(deal)
    if not access.may_register_for(actor, deal):
        raise DealActionError(f"Only the registering partner can {to}.")
    return deal


def refuse_if(reason: str) -> None:
    """Raise a policy's "why not" (deals.policy.actions), when there is one."""
    if reason:
        raise DealActionError(reason)


def refusal(deal, message: str) -> DealActionError:
    """The one shape of "not in this state": DR-000123 is <state>: <what cannot happen>."""
    return DealActionError(f"{deal.deal_number} is {deal.get_state_display().lower()}: {message}")


def check(deal, transition: str, actor: Actor) -> None:
    """Refuse with a sentence unless the FSM allows `transition` from here and the actor may run it."""
    method = getattr(deal, transition)
    if not can_proceed(method):
        raise refusal(deal, f"it cannot be {Action(transition).verb} now.")
    if not has_transition_perm(method, actor):
        raise DealActionError("You are not allowed to do this to this registration.")


def record(deal, actor: Actor | None, action: str, *, from_state="", reason="", note="") -> DealEvent:
    """The audit row of a change; its notifications are written after the commit (deals.services.notices)."""
    event = DealEvent.objects.create(
        deal=deal,
        actor=actor.user if actor and not actor.is_system else None,
        action=action,
        from_state=from_state,
        to_state=deal.state if from_state else "",
        reason=reason,
        note=note,
    )
    transaction.on_commit(lambda: notices.deal_event_recorded(event_id=event.pk))
    return event


def run(deal, transition: str, actor: Actor, **event_fields) -> DealEvent:
    """Run one checked transition on a locked deal, save it and record it."""
    from_state = deal.state
    getattr(deal, transition)()
    deal.save()
    event = record(deal, actor, transition, from_state=from_state, **event_fields)
    if deal.state not in EXTENDABLE_STATES:
        close_extension_request_of_ended_deal(deal, actor)
    return event


def require_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DealActionError(f"Please explain the {what}: the partner sees this explanation.")
    return note


# --- approval's clocks and protection ---------------------------------------------------------------


def start_approval_clocks(deal, *, now: datetime) -> None:
    """Approved now: protected for the program's validity, the staleness clock starts (not saved here)."""
    deal.approved_at = deal.decided_at = deal.last_progress_at = now
    deal.expires_at = now + timedelta(days=deal.vendor.program.validity_days)


def start_protection(deal) -> None:
    """One Protection row per product; a concurrent approval for the same prospect+product loses here."""
    rows = [
        Protection(vendor=deal.vendor, prospect=deal.prospect, product_id=line.product_id, deal=deal)
        for line in deal.lines.all()
    ]
    try:
        with transaction.atomic():
            Protection.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise ProtectionConflict(
            "Another partner's registration already protects a product of this deal at this prospect. "
            "Nothing was changed."
        ) from exc


def end_protection(deal) -> None:
    Protection.objects.filter(deal=deal, ended_at__isnull=True).update(ended_at=timezone.now())


# --- a waiting extension request follows the deal ------------------------------------------------------

# Why a waiting request closes by itself once the deal can no longer be extended.
REQUEST_CLOSED_BECAUSE = {
    DealState.ORDERED: "the order was started",
    DealState.WON: "the registration was won",
    DealState.LOST: "the deal was marked lost",
    DealState.REVOKED: "the registration was revoked",
    DealState.REJECTED: "the registration was rejected",
    DealState.WITHDRAWN: "the registration was withdrawn",
}


def close_open_extension_request(deal, *, decision: str, decided_by, note: str) -> ExtensionRequest | None:
    """Decide the deal's waiting extension request, if there is one (at most one: a DB constraint)."""
    request = ExtensionRequest.objects.select_for_update().filter(deal=deal, decided_at__isnull=True).first()
    if request is None:
        return None
    request.decision = decision
    request.decided_at = timezone.now()
    request.decided_by = decided_by
    request.decision_note = note
    request.save(update_fields=["decision", "decided_at", "decided_by", "decision_note"])
    return request


def close_extension_request_of_ended_deal(deal, actor: Actor) -> None:
    """A request nobody can grant any more (won, lost, revoked, ordered …) must not wait in the queue."""
    because = REQUEST_CLOSED_BECAUSE.get(
        deal.state, f"the registration is {deal.get_state_display().lower()}"
    )
    note = f"Closed automatically: {because}."
    closed = close_open_extension_request(
        deal, decision=ExtensionRequest.Decision.DECLINED, decided_by=None, note=note
    )
    if closed is not None:
        # Recorded for the timeline; no notification of its own: the transition's event tells the news.
        record(deal, actor, Action.EXTENSION_REQUEST_CLOSED, note=note)
