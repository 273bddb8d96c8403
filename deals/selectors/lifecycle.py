"""Reads for the lifecycle pages: the deal's clocks, its extension panel, pending requests, expiring deals."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from partners.models import Program
from partners.permissions import Actor, Perm

from .. import access
from ..clock import DAY, days_until
from ..models import CLOCKED_STATES, PROTECTED_STATES, Deal, DealState, ExtensionRequest
from ..policy.actions import extension_refusal

S = DealState
EXPIRING_WITHIN_DAYS = 14


@dataclass(frozen=True)
class DealClocks:
    """Where a deal stands on its validity and staleness clocks (None: the clock does not run)."""

    expires_at: datetime | None
    days_to_expiry: int | None
    expiry_warning: bool  # inside the program's earliest warning window
    is_expired: bool
    stale_at: datetime | None
    days_to_stale: int | None
    stale_warning: bool  # past the program's warning day
    is_stale: bool  # past the limit (flagging programs keep the deal protected)
    protection_ends_at: datetime | None = None  # the earliest clock that ends protection
    ends_by_staleness: bool = False  # ... is the staleness clock (a progress update restarts it)

    @property
    def days_since_expiry(self):
        return -self.days_to_expiry if self.days_to_expiry is not None else None

    @property
    def days_stale(self):
        return -self.days_to_stale if self.days_to_stale is not None else None


def deal_clocks(deal: Deal, *, now: datetime | None = None) -> DealClocks:
    now = now or timezone.now()
    program = deal.vendor.program
    runs = deal.state in CLOCKED_STATES
    expires_at = deal.expires_at if (runs or deal.state == S.EXPIRED) else None
    days_to_expiry = days_until(expires_at, now) if expires_at else None
    warning_days = max(program.expiry_warning_day_list, default=0)
    stale_at = None
    if runs and deal.last_progress_at:
        stale_at = deal.last_progress_at + program.stale_after_days * DAY
    days_to_stale = days_until(stale_at, now) if stale_at else None
    warn_from = deal.last_progress_at + program.stale_warning_day * DAY if stale_at else None
    # A revoking program's staleness clock ends protection too; the header shows whichever comes first.
    revokes_at = stale_at if program.stale_action == Program.StaleAction.REVOKE else None
    ends = [at for at in (expires_at, revokes_at) if runs and at is not None]
    protection_ends_at = min(ends, default=None)
    return DealClocks(
        expires_at=expires_at,
        days_to_expiry=days_to_expiry,
        expiry_warning=bool(runs and expires_at and now >= expires_at - warning_days * DAY),
        is_expired=deal.state == S.EXPIRED,
        stale_at=stale_at,
        days_to_stale=days_to_stale,
        stale_warning=bool(warn_from and now >= warn_from),
        is_stale=bool(stale_at and now >= stale_at),
        protection_ends_at=protection_ends_at,
        ends_by_staleness=bool(protection_ends_at and protection_ends_at == revokes_at != expires_at),
    )


@dataclass(frozen=True)
class ProtectionStatus:
    """The header's one line on protection: until when it runs, or when it really ended."""

    label: str
    at: datetime | None = None
    note: str = ""
    valid_until: datetime | None = None  # the later validity clock, when staleness ends protection first


def _protection_ended_at(deal: Deal) -> datetime | None:
    """When protection really ended: its rows' end, else the transition out of a protected state."""
    ended = deal.protections.filter(ended_at__isnull=False).aggregate(last=Max("ended_at"))["last"]
    if ended is not None:
        return ended
    left = (
        deal.events.filter(from_state__in=PROTECTED_STATES)
        .exclude(to_state__in=PROTECTED_STATES)
        .order_by("-created_at")
        .first()
    )
    return left.created_at if left else None


def protection_status(deal: Deal, clocks: DealClocks) -> ProtectionStatus | None:
    """Not the registration's expiry date as such: a won deal's expiry may lie ahead, and a revoking
    program's staleness clock may end protection before it."""
    if clocks.protection_ends_at:
        if clocks.ends_by_staleness:
            return ProtectionStatus(
                "Protected until",
                clocks.protection_ends_at,
                "unless a progress update is posted before then",
                valid_until=clocks.expires_at,
            )
        return ProtectionStatus("Protected until", clocks.protection_ends_at)
    if deal.state in PROTECTED_STATES:  # an order in progress is exempt from the clocks
        return ProtectionStatus("Protected", note="while the order is in progress")
    if deal.approved_at is None:
        return None
    ended_at = _protection_ended_at(deal)
    return ProtectionStatus("Protection ended", ended_at) if ended_at else None


@dataclass(frozen=True)
class ExtensionPanel:
    open_request: ExtensionRequest | None
    history: list
    may_request: bool
    why_not: str  # shown to the partner when a request is not possible
    may_decide: bool
    extensions_used: int
    max_extensions: int
    extension_days: int


def extension_panel(deal: Deal, actor: Actor) -> ExtensionPanel:
    program = deal.vendor.program
    requests = list(deal.extension_requests.select_related("requested_by", "decided_by"))
    open_request = next((r for r in requests if r.is_open), None)
    is_partner = access.may_register_for(actor, deal)
    why_not = extension_refusal(deal)
    if not why_not and open_request:
        why_not = "Your request is waiting for a channel manager's decision."
    return ExtensionPanel(
        open_request=open_request,
        history=[r for r in requests if not r.is_open],
        may_request=is_partner and not why_not,
        why_not=why_not if is_partner else "",
        may_decide=open_request is not None and actor.has(Perm.REVIEW_DEALS) and not actor.is_system,
        extensions_used=deal.extension_count,
        max_extensions=program.max_extensions,
        extension_days=program.extension_days,
    )


def pending_extension_requests(*, vendor) -> QuerySet:
    """Open requests of a vendor, oldest first (the channel managers' worklist)."""
    return (
        ExtensionRequest.objects.filter(deal__vendor=vendor, decided_at__isnull=True)
        .select_related("deal__organization", "deal__vendor__program", "requested_by")
        .order_by("created_at")
    )


def expiring_soon(deals: QuerySet, *, now: datetime | None = None, within_days: int = EXPIRING_WITHIN_DAYS):
    """Protected deals whose validity ends within `within_days`, and expired ones that may still be
    extended — soonest first."""
    now = now or timezone.now()
    return (
        deals.filter(
            Q(state__in=CLOCKED_STATES, expires_at__lte=now + within_days * DAY) | Q(state=S.EXPIRED)
        )
        .select_related("vendor__program", "organization")
        .order_by("expires_at")
    )
