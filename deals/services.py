"""Every change of a deal goes through this module.

Each action reads top to bottom: lock the row, check permission and conditions, run the FSM
transition (which only changes the state), set the clocks, save, record a DealEvent, and queue
notifications for after the commit.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from notifications import services as notifications
from partners.permissions import Actor, Perm

from . import participants as co_sell
from . import rules
from .clock import add_business_days
from .errors import DealActionError, DealRulesFailed, ProtectionConflict
from .models import (
    Deal,
    DealAttachment,
    DealEvent,
    DealLine,
    DealNumberSequence,
    DealParticipant,
    DealState,
    DealUpdate,
    ExtensionRequest,
    Prospect,
    Protection,
    RejectionReason,
    RevocationReason,
)

# --- numbers and prospects -------------------------------------------------------------------


@transaction.atomic  # the increment and the read must share one transaction, even when called alone
def allocate_deal_number(*, vendor) -> int:
    """Next human deal number of a vendor; the row lock makes concurrent registrations wait their turn."""
    DealNumberSequence.objects.get_or_create(vendor=vendor)
    DealNumberSequence.objects.filter(vendor=vendor).update(last_number=F("last_number") + 1)
    return DealNumberSequence.objects.select_for_update().get(vendor=vendor).last_number


def prospect_for(*, vendor, domain: str, name: str, address: dict | None = None) -> Prospect:
    """The vendor's prospect with this (already normalised) domain, created on first registration."""
    prospect, created = Prospect.objects.get_or_create(
        vendor=vendor, domain=domain, defaults={"name": name, **(address or {})}
    )
    return prospect


# --- drafts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    product: object
    quantity: int


PROSPECT_ADDRESS_FIELDS = {
    "address_line1": "address_line1",
    "address_line2": "address_line2",
    "city": "city",
    "state_region": "state",
    "postal_code": "postal_code",
    "country": "country",
}


@transaction.atomic
def deal_save_draft(
    *, actor: Actor, vendor, organization, data: dict, lines: list[LineInput], deal=None
) -> Deal:
    """Create or update a registration while it is a draft (or returned for more information).

    `data` holds cleaned form fields of Deal; `domain` must already be normalised.
    """
    if deal is None:
        deal = Deal(vendor=vendor, organization=organization, registered_by=actor.user)
        deal.number = allocate_deal_number(vendor=vendor)
        created = True
    else:
        deal = _locked(deal)
        if deal.state not in (DealState.DRAFT, DealState.INFO_REQUESTED) or not actor.may_register_for(deal):
            raise DealActionError(
                "Only drafts and registrations returned for more information can be edited."
            )
        created = False
    for field, value in data.items():
        setattr(deal, field, value)
    if not deal.currency:
        deal.currency = vendor.default_currency
    if deal.domain:
        address = {target: getattr(deal, source) for source, target in PROSPECT_ADDRESS_FIELDS.items()}
        deal.prospect = prospect_for(
            vendor=vendor, domain=deal.domain, name=deal.company_name, address=address
        )
    else:
        deal.prospect = None
    deal.save()
    deal.lines.all().delete()
    DealLine.objects.bulk_create(
        [DealLine(deal=deal, product=li.product, quantity=li.quantity) for li in lines]
    )
    if created:
        _add_lead_participant(deal)
    _record(deal, actor, "created" if created else "edited")
    return deal


# --- transitions -----------------------------------------------------------------------------


def _locked(deal) -> Deal:
    # of=("self",): lock the deal row only; Postgres refuses FOR UPDATE on the outer-joined program.
    return (
        Deal.objects.select_for_update(of=("self",))
        .select_related("vendor__program", "organization")
        .get(pk=deal.pk)
    )


def _check(deal, transition_name: str, actor: Actor) -> None:
    method = getattr(deal, transition_name)
    if not can_proceed(method):
        raise DealActionError(
            f"{deal.deal_number} is {deal.get_state_display().lower()}: it cannot be "
            f"{TRANSITION_VERBS.get(transition_name, transition_name)} now."
        )
    if not has_transition_perm(method, actor):
        raise DealActionError("You are not allowed to do this to this registration.")


def _record(deal, actor: Actor, action: str, *, from_state="", reason="", note="") -> DealEvent:
    event = DealEvent.objects.create(
        deal=deal,
        actor=actor.user if actor and not actor.is_system else None,
        action=action,
        from_state=from_state,
        to_state=deal.state if from_state else "",
        reason=reason,
        note=note,
    )
    transaction.on_commit(lambda: notifications.deal_event_recorded(event_id=event.pk))
    return event


def _run(deal, transition_name: str, actor: Actor, **event_fields) -> DealEvent:
    """Run one transition on a locked deal, save it and record it."""
    from_state = deal.state
    getattr(deal, transition_name)()
    deal.save()
    event = _record(deal, actor, transition_name, from_state=from_state, **event_fields)
    if deal.state not in EXTENDABLE_STATES:
        _close_extension_request_of_ended_deal(deal, actor)
    return event


TRANSITION_VERBS = {
    "submit": "submitted",
    "resubmit": "resubmitted",
    "request_info": "returned for more information",
    "approve": "approved",
    "reject": "rejected",
    "mark_quoted": "quoted",
    "expire": "expired",
    "grant_extension": "extended",
    "revoke": "revoked",
    "start_order": "ordered",
    "submit_order": "submitted as an order",
    "lose": "marked lost",
    "withdraw": "withdrawn",
}


def _require_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DealActionError(f"Please explain the {what}: the partner sees this explanation.")
    return note


@transaction.atomic
def deal_submit(*, deal, actor: Actor) -> Deal:
    deal = _locked(deal)
    transition = "resubmit" if deal.state == DealState.INFO_REQUESTED else "submit"
    _check(deal, transition, actor)
    checklist = rules.evaluate(deal)
    if checklist.blocks_submission:
        raise DealRulesFailed(checklist)
    now = timezone.now()
    deal.submitted_at = now
    deal.review_due_at = add_business_days(now, deal.vendor.program.review_sla_business_days)
    _run(deal, transition, actor)
    return deal


@transaction.atomic
def deal_request_info(*, deal, actor: Actor, note: str) -> Deal:
    deal = _locked(deal)
    _check(deal, "request_info", actor)
    note = _require_note(note, "information you need")
    _run(deal, "request_info", actor, note=note)
    return deal


@transaction.atomic
def deal_approve(*, deal, actor: Actor, note: str = "") -> Deal:
    deal = _locked(deal)
    _check(deal, "approve", actor)
    now = timezone.now()
    deal.approved_at = deal.decided_at = now
    deal.expires_at = now + timedelta(days=deal.vendor.program.validity_days)
    deal.last_progress_at = now
    deal.decision_note = note.strip()
    _run(deal, "approve", actor, note=deal.decision_note)
    _start_protection(deal)
    _after_approval(deal)
    return deal


def _after_approval(deal) -> None:
    """Approval generates the first quote (approved → quoted) — see deals.quotes."""
    from . import quotes  # noqa: PLC0415 — quotes imports services' helpers

    quotes.issue_first_quote(deal=deal)


@transaction.atomic
def deal_reject(*, deal, actor: Actor, reason: str, note: str) -> Deal:
    deal = _locked(deal)
    _check(deal, "reject", actor)
    if reason not in RejectionReason.values:
        raise DealActionError("Choose one of the rejection reasons.")
    deal.rejection_reason = reason
    deal.decision_note = _require_note(note, "rejection")
    deal.decided_at = timezone.now()
    _run(deal, "reject", actor, reason=reason, note=deal.decision_note)
    return deal


@transaction.atomic
def deal_revoke(*, deal, actor: Actor, reason: str, note: str) -> Deal:
    deal = _locked(deal)
    _check(deal, "revoke", actor)
    if reason not in RevocationReason.values:
        raise DealActionError("Choose one of the revocation reasons.")
    deal.revocation_reason = reason
    deal.decision_note = _require_note(note, "revocation")
    _run(deal, "revoke", actor, reason=reason, note=deal.decision_note)
    _end_protection(deal)
    return deal


@transaction.atomic
def deal_expire(*, deal, actor: Actor) -> Deal:
    deal = _locked(deal)
    _check(deal, "expire", actor)
    _run(deal, "expire", actor)
    _end_protection(deal)
    return deal


@transaction.atomic
def deal_grant_extension(*, deal, actor: Actor, note: str = "") -> Deal:
    deal = _locked(deal)
    _check(deal, "grant_extension", actor)
    program = deal.vendor.program
    if deal.extension_count >= program.max_extensions:
        raise DealActionError(
            f"This registration has had the program's maximum of {program.max_extensions} extensions."
        )
    was_expired = deal.state == DealState.EXPIRED
    now = timezone.now()
    deal.expires_at = max(now, deal.expires_at or now) + timedelta(days=program.extension_days)
    deal.extension_count += 1
    _run(deal, "grant_extension", actor, note=note.strip())
    if was_expired:
        _start_protection(deal)
    # A direct extension satisfies the partner's waiting request: it is granted with it.
    _close_open_extension_request(
        deal, decision=ExtensionRequest.Decision.GRANTED, decided_by=actor.user, note=note.strip()
    )
    return deal


@transaction.atomic
def deal_start_order(*, deal, actor: Actor, po_number: str) -> Deal:
    deal = _locked(deal)
    _check(deal, "start_order", actor)
    po_number = (po_number or "").strip()
    if not po_number:
        raise DealActionError("Enter the customer's purchase order number to start the order.")
    deal.po_number = po_number
    _run(deal, "start_order", actor, note=f"PO {po_number}")
    return deal


@transaction.atomic
def deal_submit_order(*, deal, actor: Actor) -> Deal:
    deal = _locked(deal)
    _check(deal, "submit_order", actor)
    _run(deal, "submit_order", actor)
    _end_protection(deal)
    return deal


@transaction.atomic
def deal_lose(*, deal, actor: Actor, reason: str) -> Deal:
    deal = _locked(deal)
    _check(deal, "lose", actor)
    deal.lost_reason = _require_note(reason, "reason the deal was lost")
    _run(deal, "lose", actor, note=deal.lost_reason)
    _end_protection(deal)
    return deal


@transaction.atomic
def deal_withdraw(*, deal, actor: Actor, note: str = "") -> Deal:
    deal = _locked(deal)
    _check(deal, "withdraw", actor)
    _run(deal, "withdraw", actor, note=note.strip())
    return deal


@transaction.atomic
def deal_post_update(*, deal, actor: Actor, body: str) -> DealUpdate:
    """A progress update restarts the staleness clock."""
    deal = _locked(deal)
    if not actor.may_register_for(deal):
        raise DealActionError("Only the registering partner can post progress updates.")
    if deal.is_terminal:
        raise DealActionError("This registration is closed; updates are no longer recorded.")
    body = _require_note(body, "progress")
    update = DealUpdate.objects.create(deal=deal, author=actor.user, body=body)
    deal.last_progress_at = update.created_at
    deal.save(update_fields=["last_progress_at", "updated_at"])
    _record(deal, actor, "progress_update", note=body)
    return update


@transaction.atomic
def deal_add_attachment(*, deal, actor: Actor, upload) -> DealAttachment:
    """Store one file of pre-sales evidence on an open registration, within the size and type limits."""
    deal = _locked(deal)
    if not actor.may_register_for(deal):
        raise DealActionError("Only the registering partner can add attachments.")
    if deal.is_terminal:
        raise DealActionError("This registration is closed; attachments can no longer be added.")
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in settings.ATTACHMENT_ALLOWED_EXTENSIONS:
        raise DealActionError(f"Files of type .{extension or '?'} cannot be attached.")
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise DealActionError(
            f"“{upload.name}” is larger than the limit of {settings.ATTACHMENT_MAX_BYTES} bytes per file."
        )
    name = Path(upload.name).name[:200]
    attachment = DealAttachment(deal=deal, original_name=name, size=upload.size, uploaded_by=actor.user)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    _record(deal, actor, "attachment_added", note=name)
    return attachment


@transaction.atomic
def deal_remove_attachment(*, deal, actor: Actor, attachment: DealAttachment) -> None:
    """Remove one file from a draft (or a registration returned for more information).

    Once submitted, the evidence is what the channel manager reviewed and stays. The stored file is
    deleted after the commit, so a rollback never leaves a row whose file is gone.
    """
    deal = _locked(deal)
    if not actor.may_register_for(deal):
        raise DealActionError("Only the registering partner can remove attachments.")
    if deal.state not in (DealState.DRAFT, DealState.INFO_REQUESTED):
        raise DealActionError(
            f"{deal.deal_number} is {deal.get_state_display().lower()}: attachments can be removed only "
            "while it is a draft or returned for more information."
        )
    attachment = DealAttachment.objects.select_for_update().filter(deal=deal, pk=attachment.pk).first()
    if attachment is None:
        raise DealActionError("This attachment was already removed.")
    storage, stored_name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored_name))
    _record(deal, actor, "attachment_removed", note=attachment.original_name)


# --- protection: the database's exclusivity guarantee ------------------------------------------


def _start_protection(deal) -> None:
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


def _end_protection(deal) -> None:
    Protection.objects.filter(deal=deal, ended_at__isnull=True).update(ended_at=timezone.now())


# --- extension requests (issue 5) ----------------------------------------------------------------

EXTENDABLE_STATES = (DealState.APPROVED, DealState.QUOTED, DealState.EXTENDED, DealState.EXPIRED)


# Why a waiting request closes by itself once the deal can no longer be extended.
REQUEST_CLOSED_BECAUSE = {
    DealState.ORDERED: "the order was started",
    DealState.WON: "the registration was won",
    DealState.LOST: "the deal was marked lost",
    DealState.REVOKED: "the registration was revoked",
    DealState.REJECTED: "the registration was rejected",
    DealState.WITHDRAWN: "the registration was withdrawn",
}


def _close_open_extension_request(deal, *, decision: str, decided_by, note: str) -> ExtensionRequest | None:
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


def _close_extension_request_of_ended_deal(deal, actor: Actor) -> None:
    """A request nobody can grant any more (won, lost, revoked, ordered …) must not wait in the queue."""
    because = REQUEST_CLOSED_BECAUSE.get(
        deal.state, f"the registration is {deal.get_state_display().lower()}"
    )
    note = f"Closed automatically: {because}."
    closed = _close_open_extension_request(
        deal, decision=ExtensionRequest.Decision.DECLINED, decided_by=None, note=note
    )
    if closed is not None:
        # Recorded for the timeline; no notification of its own: the transition's event tells the news.
        _record(deal, actor, "extension_request_closed", note=note)


@transaction.atomic
def deal_request_extension(*, deal, actor: Actor, reason: str) -> ExtensionRequest:
    """The partner asks for more time — also after expiry; a channel manager decides."""
    deal = _locked(deal)
    if not actor.may_register_for(deal):
        raise DealActionError("Only the registering partner can ask for an extension.")
    if deal.state not in EXTENDABLE_STATES:
        raise DealActionError(
            f"{deal.deal_number} is {deal.get_state_display().lower()}: only approved, quoted, extended "
            "or expired registrations can be extended."
        )
    program = deal.vendor.program
    if deal.extension_count >= program.max_extensions:
        raise DealActionError(
            f"This registration has had the program's maximum of {program.max_extensions} extension"
            f"{'s' if program.max_extensions != 1 else ''}; it cannot be extended again."
        )
    reason = _require_note(reason, "reason you need more time")
    if ExtensionRequest.objects.filter(deal=deal, decided_at__isnull=True).exists():
        raise DealActionError("An extension request for this registration is already waiting for a decision.")
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(deal=deal, requested_by=actor.user, reason=reason)
    except IntegrityError as exc:  # the database's guard: one open request per deal
        raise DealActionError(
            "An extension request for this registration is already waiting for a decision."
        ) from exc
    _record(deal, actor, "extension_requested", note=reason)
    return request


@transaction.atomic
def deal_decide_extension(
    *, extension_request, actor: Actor, grant: bool, note: str = ""
) -> ExtensionRequest:
    """A channel manager grants (new expiry, state extended) or declines (with a reason) a request."""
    # The deal first, then the request: the order in which every deal change takes its locks.
    deal = _locked(extension_request.deal)
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
    note = _require_note(note, "reason for declining")
    _record(deal, actor, "extension_declined", note=note)
    return _close_open_extension_request(
        deal, decision=ExtensionRequest.Decision.DECLINED, decided_by=actor.user, note=note
    )


# --- co-sell partners (seed 003: multi-partner registrations) ---------------------------------------


def _add_lead_participant(deal) -> None:
    """A new registration of a multi-partner program starts with its registrant as lead, 100%."""
    if co_sell.is_co_sell_program(deal.vendor.program):
        DealParticipant.objects.create(
            deal=deal,
            organization=deal.organization,
            role=DealParticipant.Role.LEAD,
            share=co_sell.FULL_SHARE,
        )


@transaction.atomic
def deal_set_participants(*, deal, actor: Actor, participants: list) -> list[DealParticipant]:
    """Replace the co-sell partners of a draft (or a registration returned for more information).

    `participants` is a list of (organization, role, share): the registering organisation as lead
    partner and every other active reseller of the vendor once, the shares adding up to exactly 100.
    All or nothing: any broken rule refuses the whole set with every reason. Organisations added to
    the deal hear about it (in-app and by email, written in this transaction).
    """
    deal = _locked(deal)
    if not co_sell.is_co_sell_program(deal.vendor.program):
        raise DealActionError("This program registers one partner per deal; it has no co-sell partners.")
    if not actor.may_register_for(deal):
        raise DealActionError("Only the partner who registered this deal can choose its co-sell partners.")
    if deal.state not in (DealState.DRAFT, DealState.INFO_REQUESTED):
        raise DealActionError(
            f"{deal.deal_number} is {deal.get_state_display().lower()}: its co-sell partners can be "
            "changed only while it is a draft or returned for more information."
        )
    wanted = [co_sell.ParticipantInput(*row) for row in participants]
    problems = co_sell.participant_problems(deal, wanted)
    if problems:
        raise DealActionError(" ".join(problems))

    current = {p.organization_id: p for p in DealParticipant.objects.filter(deal=deal)}
    wanted_ids = {row.organization.pk for row in wanted}
    removed = [p for org_id, p in current.items() if org_id not in wanted_ids]
    added, changed = [], []
    for organization, role, share in wanted:
        share = co_sell.as_share(share)
        row = current.get(organization.pk)
        if row is None:
            added.append(DealParticipant(deal=deal, organization=organization, role=role, share=share))
        elif (row.role, row.share) != (role, share):
            row.role, row.share = role, share
            changed.append(row)
    if not (added or changed or removed):
        return co_sell.participants_of(deal)

    DealParticipant.objects.filter(pk__in=[p.pk for p in removed]).delete()
    # Shares move between rows; each row stays within (0, 100], so the order of the updates is free.
    DealParticipant.objects.bulk_update(changed, ["role", "share"])
    DealParticipant.objects.bulk_create(added)
    result = co_sell.participants_of(deal)
    _record(deal, actor, "participants_changed", note=co_sell.describe(result))
    notifications.notify_participants_added(
        deal=deal, participants=[p for p in added if p.organization_id != deal.organization_id], actor=actor
    )
    return result
