"""The deal page (and the review page, which adds the conflict matches): everything it shows, read once.

Views add only their forms; templates only render. The panels (quotes, clocks and extensions, co-sell
partners) are read here with the rest, not by template tags.
"""

from django.db.models import DateField
from django.utils.formats import date_format

from partners.permissions import Actor, Perm

from .. import access
from ..models import (
    EDITABLE_STATES,
    Action,
    Deal,
    DealState,
    RejectionReason,
    RevocationReason,
)
from ..models import deal as field_groups
from ..policy import co_sell, conflicts, rules
from ..policy.actions import approval_refusal
from . import lifecycle, lists, quotes

STAGES = ["Registered", "Approved", "Quoted", "Order started", "Order submitted"]
STAGE_OF_STATE = {
    DealState.SUBMITTED: 0,
    DealState.INFO_REQUESTED: 0,
    DealState.APPROVED: 1,
    DealState.QUOTED: 2,
    DealState.EXTENDED: 2,
    DealState.ORDERED: 3,
    DealState.WON: 4,
}


def stage_progress(deal) -> list[dict]:
    """The progress bar of seed 004: each stage done, current or still to come."""
    reached = STAGE_OF_STATE.get(deal.state)
    if reached is None:  # drafts and closed registrations: how far they got
        reached = (
            -1 if deal.state == DealState.DRAFT else (3 if deal.po_number else 2 if deal.approved_at else 0)
        )
        current = None
    else:
        current = None if deal.state == DealState.WON else reached
    return [
        {"label": label, "status": "current" if index == current else "done" if index <= reached else "todo"}
        for index, label in enumerate(STAGES)
    ]


def allowed_actions(deal, actor: Actor) -> set[str]:
    """What this actor may do to this deal now (FSM conditions and deals.access decide)."""
    actions = {t.name for t in deal.get_available_user_state_transitions(actor)}
    if access.may_register_for(actor, deal):
        if deal.state in EDITABLE_STATES:
            # Submitted evidence stays as the channel manager saw it: files are removed from drafts only.
            actions |= {"edit", "remove_attachment"}
        if not deal.is_terminal:
            actions |= {"post_update", "add_attachment"}
    return actions


# The deal page's sections follow the form's groups; the currency is shown with the projected value.
DEAL_FIELD_GROUPS = [
    ("Company", field_groups.COMPANY_FIELDS),
    ("Partner", field_groups.PARTNER_FIELDS),
    ("End user", field_groups.END_USER_FIELDS),
    (
        "Opportunity",
        [
            *(name for name in field_groups.OPPORTUNITY_FIELDS if name != "currency"),
            *field_groups.QUALIFICATION_FIELDS,
            *field_groups.DEPLOYMENT_FIELDS,
        ],
    ),
]


def _display_value(deal, name: str, field):
    value = getattr(deal, name)
    if name == "projected_value":
        return f"{value:,.2f} {deal.currency}" if value is not None else ""
    if field.choices:
        return getattr(deal, f"get_{name}_display")()
    if name == "country":
        return value.name if value else ""
    if isinstance(field, DateField):
        return date_format(value, "j M Y") if value else ""
    return value


def deal_fields(deal, language_code: str = "en-us") -> list[dict]:
    """The deal's data as sections of (label, value) rows; address labels follow the locale."""
    labels = field_groups.address_labels(language_code)
    sections = []
    for title, names in DEAL_FIELD_GROUPS:
        rows = []
        for name in names:
            field = Deal._meta.get_field(name)
            label = labels.get(name) or str(field.verbose_name)
            rows.append(
                {
                    "label": label[:1].upper() + label[1:],
                    "value": _display_value(deal, name, field),
                    "long": name in field_groups.LONG_FIELDS,
                }
            )
        sections.append({"title": title, "rows": rows})
    return sections


REASON_LABELS = {**dict(RejectionReason.choices), **dict(RevocationReason.choices)}


def _state_label(value: str) -> str:
    return DealState(value).label if value in DealState.values else ""


def timeline(deal) -> list[dict]:
    """The deal's events, newest first, in words: who, when, from → to, why."""
    return [
        {
            "title": Action.title_of(event.action),
            "actor": event.actor_name,
            "at": event.created_at,
            "from_state": _state_label(event.from_state),
            "to_state": _state_label(event.to_state),
            "reason": REASON_LABELS.get(event.reason, event.reason),
            "note": event.note,
        }
        for event in deal.events.select_related("actor").order_by("-created_at", "-id")
    ]


def participants_panel(deal, actor: Actor) -> dict:
    """The deal's partners, roles and shares: in multi-partner programs, and wherever a deal has some."""
    rows = co_sell.participants_of(deal)
    viewer_org_id = actor.membership.organization_id if actor.membership else None
    return {
        "show": co_sell.is_co_sell_program(deal.vendor.program) or len(rows) > 1,
        "participants": rows,
        "total": co_sell.format_share(co_sell.total_of(p.share for p in rows)),
        "own": next((p for p in rows if p.organization_id == viewer_org_id), None),
        "is_registrant_view": viewer_org_id == deal.organization_id,
    }


def deal_page(*, deal, actor: Actor, language_code: str = "en-us") -> dict:
    """The context of the deal page for this actor (forms excepted)."""
    clocks = lifecycle.deal_clocks(deal)
    return {
        "deal": deal,
        "stages": stage_progress(deal),
        "sections": deal_fields(deal, language_code),
        "deal_lines": deal.lines.select_related("product"),
        "checklist": rules.evaluate_for(actor, deal),
        "attachments": deal.attachments.select_related("uploaded_by").order_by("uploaded_at"),
        "events": timeline(deal),
        "updates": deal.updates.select_related("author"),
        "actions": allowed_actions(deal, actor),
        "is_reviewer": actor.has(Perm.REVIEW_DEALS),
        "info_request": (
            deal.events.filter(action=Action.REQUEST_INFO)
            .select_related("actor")
            .order_by("-created_at")
            .first()
            if deal.state == DealState.INFO_REQUESTED
            else None
        ),
        "quote_panel": quotes.quote_panel(deal, actor),
        "clocks": clocks,
        "protection": lifecycle.protection_status(deal, clocks),
        "extension": lifecycle.extension_panel(deal, actor),
        "program": deal.vendor.program,
        "cosell_panel": participants_panel(deal, actor),
    }


def review_page(*, deal, actor: Actor, language_code: str = "en-us") -> dict:
    """The deal page plus what a channel manager decides on: the conflict matches and the review SLA."""
    return {
        **deal_page(deal=deal, actor=actor, language_code=language_code),
        "matches": conflicts.review_matches(deal),
        "approval_refusal": approval_refusal(deal),
        "sla": lists.review_sla(deal),
    }
