"""Registering a deal: the draft, its co-sell partners, its evidence, and submission for review."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from partners.permissions import Actor

from .. import access
from ..clock import add_business_days
from ..errors import DealActionError, DealRulesFailed
from ..models import (
    EDITABLE_STATES,
    Action,
    Deal,
    DealAttachment,
    DealLine,
    DealParticipant,
    DealState,
    Prospect,
)
from ..models.deal import ADDRESS_FIELDS
from ..policy import co_sell, rules
from . import kernel, notices


@dataclass(frozen=True)
class LineInput:
    """One product and its quantity, as a form (registration or quote) hands it to a service."""

    product: object
    quantity: int


# Where a deal's address fields go on its prospect (the deal says state_region, the prospect state).
PROSPECT_ADDRESS_FIELDS = {name: "state" if name == "state_region" else name for name in ADDRESS_FIELDS}


def prospect_for(*, vendor, domain: str, name: str, address: dict | None = None) -> Prospect:
    """The vendor's prospect with this (already normalised) domain, created on first registration."""
    prospect, _ = Prospect.objects.get_or_create(
        vendor=vendor, domain=domain, defaults={"name": name, **(address or {})}
    )
    return prospect


@transaction.atomic
def deal_save_draft(
    *, actor: Actor, vendor, organization, data: dict, lines: list[LineInput], deal=None
) -> Deal:
    """Create or update a registration while it is a draft (or returned for more information).

    `data` holds cleaned form fields of Deal; `domain` must already be normalised.
    """
    if deal is None:
        deal = Deal(vendor=vendor, organization=organization, registered_by=actor.user)
        deal.number = kernel.allocate_deal_number(vendor=vendor)
        created = True
    else:
        deal = kernel.locked(deal)
        if deal.state not in EDITABLE_STATES or not access.may_register_for(actor, deal):
            raise DealActionError(
                "Only drafts and registrations returned for more information can be edited."
            )
        created = False
    for name, value in data.items():
        setattr(deal, name, value)
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
    if created and co_sell.is_co_sell_program(deal.vendor.program):
        # A new registration of a multi-partner program starts with its registrant as lead, 100%.
        DealParticipant.objects.create(
            deal=deal,
            organization=deal.organization,
            role=DealParticipant.Role.LEAD,
            share=co_sell.FULL_SHARE,
        )
    kernel.record(deal, actor, Action.CREATED if created else Action.EDITED)
    return deal


@transaction.atomic
def deal_register(
    *,
    actor: Actor,
    vendor,
    organization,
    data: dict,
    lines: list[LineInput],
    participants: list | None = None,
    uploads: list = (),
    submit: bool = False,
    deal=None,
) -> Deal:
    """The registration form in one transaction: the draft, its co-sell partners and files, and (when
    `submit`) its submission. When anything is refused, nothing at all is saved."""
    saved = deal_save_draft(
        actor=actor, vendor=vendor, organization=organization, data=data, lines=lines, deal=deal
    )
    if participants is not None:
        deal_set_participants(deal=saved, actor=actor, participants=participants)
    deal_add_attachments(deal=saved, actor=actor, uploads=uploads)
    if submit:
        saved = deal_submit(deal=saved, actor=actor)
    return saved


@transaction.atomic
def deal_submit(*, deal, actor: Actor) -> Deal:
    """Draft → submitted (or back from "more information"): the rules must pass; the review clock starts."""
    deal = kernel.locked(deal)
    transition = Action.RESUBMIT if deal.state == DealState.INFO_REQUESTED else Action.SUBMIT
    kernel.check(deal, transition, actor)
    checklist = rules.evaluate_for(actor, deal)
    if checklist.blocks_submission:
        raise DealRulesFailed(checklist)
    now = timezone.now()
    deal.submitted_at = now
    program = deal.vendor.program
    deal.review_due_at = add_business_days(now, program.review_sla_business_days, days_off=program.days_off())
    kernel.run(deal, transition, actor)
    return deal


@transaction.atomic
def deal_withdraw(*, deal, actor: Actor, note: str = "") -> Deal:
    deal = kernel.locked(deal)
    kernel.check(deal, Action.WITHDRAW, actor)
    kernel.run(deal, Action.WITHDRAW, actor, note=note.strip())
    return deal


# --- evidence ----------------------------------------------------------------------------------------


def attachment_problem(upload) -> str:
    """Why this file cannot be attached (type or size), or "" when it can: the form and the service ask."""
    allowed = settings.ATTACHMENT_ALLOWED_EXTENSIONS
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in allowed:
        return f"“{upload.name}” is a .{extension or '?'} file; allowed are: {', '.join(allowed)}."
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        return (
            f"“{upload.name}” is {filesizeformat(upload.size)}; "
            f"the limit is {filesizeformat(settings.ATTACHMENT_MAX_BYTES)} per file."
        )
    return ""


@transaction.atomic
def deal_add_attachment(*, deal, actor: Actor, upload) -> DealAttachment:
    """Store one file of pre-sales evidence on an open registration, within the size and type limits."""
    deal = kernel.locked_for_registrant(deal, actor, to="add attachments")
    if deal.is_terminal:
        raise DealActionError("This registration is closed; attachments can no longer be added.")
    problem = attachment_problem(upload)
    if problem:
        raise DealActionError(problem)
    name = Path(upload.name).name[:200]
    attachment = DealAttachment(deal=deal, original_name=name, size=upload.size, uploaded_by=actor.user)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    kernel.record(deal, actor, Action.ATTACHMENT_ADDED, note=name)
    return attachment


@transaction.atomic
def deal_add_attachments(*, deal, actor: Actor, uploads) -> list[DealAttachment]:
    """Several files at once: all of them or none."""
    return [deal_add_attachment(deal=deal, actor=actor, upload=upload) for upload in uploads]


@transaction.atomic
def deal_remove_attachment(*, deal, actor: Actor, attachment: DealAttachment) -> None:
    """Remove one file from a draft (or a registration returned for more information).

    Once submitted, the evidence is what the channel manager reviewed and stays. The stored file is
    deleted after the commit, so a rollback never leaves a row whose file is gone.
    """
    deal = kernel.locked_for_registrant(deal, actor, to="remove attachments")
    if deal.state not in EDITABLE_STATES:
        raise kernel.refusal(
            deal, "attachments can be removed only while it is a draft or returned for more information."
        )
    attachment = DealAttachment.objects.select_for_update().filter(deal=deal, pk=attachment.pk).first()
    if attachment is None:
        raise DealActionError("This attachment was already removed.")
    storage, stored_name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored_name))
    kernel.record(deal, actor, Action.ATTACHMENT_REMOVED, note=attachment.original_name)


# --- co-sell partners (seed 003: multi-partner registrations) -----------------------------------------


@transaction.atomic
def deal_set_participants(*, deal, actor: Actor, participants: list) -> list[DealParticipant]:
    """Replace the co-sell partners of a draft (or a registration returned for more information).

    `participants` is a list of (organization, role, share): the registering organisation as lead
    partner and every other active reseller of the vendor once, the shares adding up to exactly 100.
    All or nothing: any broken rule refuses the whole set with every reason. Organisations added to
    the deal hear about it (in-app and by email, written in this transaction).
    """
    deal = kernel.locked(deal)
    if not co_sell.is_co_sell_program(deal.vendor.program):
        raise DealActionError("This program registers one partner per deal; it has no co-sell partners.")
    if not access.may_register_for(actor, deal):
        raise DealActionError("Only the partner who registered this deal can choose its co-sell partners.")
    if deal.state not in EDITABLE_STATES:
        raise kernel.refusal(
            deal,
            "its co-sell partners can be changed only while it is a draft or returned for more information.",
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
    kernel.record(deal, actor, Action.PARTICIPANTS_CHANGED, note=co_sell.describe(result))
    notices.notify_participants_added(
        deal=deal, participants=[p for p in added if p.organization_id != deal.organization_id], actor=actor
    )
    return result
