"""What happens to a registration while it is protected: expiry, progress updates, extension requests,
and the partner closing it as lost."""

from django.db import IntegrityError, transaction

from partners.permissions import Actor

from ..errors import DealActionError
from ..models import Action, Deal, DealUpdate, ExtensionRequest
from ..policy.actions import extension_refusal
from . import kernel

ALREADY_WAITING = "An extension request for this registration is already waiting for a decision."


@transaction.atomic
def deal_expire(*, deal, actor: Actor) -> Deal:
    deal = kernel.locked(deal)
    kernel.check(deal, Action.EXPIRE, actor)
    kernel.run(deal, Action.EXPIRE, actor)
    kernel.end_protection(deal)
    return deal


@transaction.atomic
def deal_lose(*, deal, actor: Actor, reason: str) -> Deal:
    deal = kernel.locked(deal)
    kernel.check(deal, Action.LOSE, actor)
    deal.lost_reason = kernel.require_note(reason, "reason the deal was lost")
    kernel.run(deal, Action.LOSE, actor, note=deal.lost_reason)
    kernel.end_protection(deal)
    return deal


@transaction.atomic
def deal_post_update(*, deal, actor: Actor, body: str) -> DealUpdate:
    """A progress update restarts the staleness clock."""
    deal = kernel.locked_for_registrant(deal, actor, to="post progress updates")
    if deal.is_terminal:
        raise DealActionError("This registration is closed; updates are no longer recorded.")
    body = kernel.require_note(body, "progress")
    update = DealUpdate.objects.create(deal=deal, author=actor.user, body=body)
    deal.last_progress_at = update.created_at
    deal.save(update_fields=["last_progress_at", "updated_at"])
    kernel.record(deal, actor, Action.PROGRESS_UPDATE, note=body)
    return update


@transaction.atomic
def deal_request_extension(*, deal, actor: Actor, reason: str) -> ExtensionRequest:
    """The partner asks for more time — also after expiry; a channel manager decides."""
    deal = kernel.locked_for_registrant(deal, actor, to="ask for an extension")
    kernel.refuse_if(extension_refusal(deal))
    reason = kernel.require_note(reason, "reason you need more time")
    if ExtensionRequest.objects.filter(deal=deal, decided_at__isnull=True).exists():
        raise DealActionError(ALREADY_WAITING)
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(deal=deal, requested_by=actor.user, reason=reason)
    except IntegrityError as exc:  # the database's guard: one open request per deal
        raise DealActionError(ALREADY_WAITING) from exc
    kernel.record(deal, actor, Action.EXTENSION_REQUESTED, note=reason)
    return request
