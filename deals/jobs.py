"""The program's clocks, run periodically (Celery beat, or `manage.py run_periodic_jobs`).

Every job takes `now` (tests travel in time by passing it) and is:
- idempotent: a reminder is sent when its row in the SentReminder ledger (unique deal + kind + period)
  is inserted, so a second run finds the row and sends nothing; state changes re-check their condition
  on the locked row, so a second run finds nothing left to change;
- batched: candidates are found with one query over all vendors; recipients of a batch are loaded
  together (deals.services.notices.RecipientDirectory); only due items are touched one by one;
- safe with two workers: reminder rows are claimed with INSERT … ON CONFLICT DO NOTHING (the unique
  index makes the second worker wait, then skip), state changes lock their row with
  SELECT … FOR UPDATE SKIP LOCKED (the second worker skips a row the first is changing).

The jobs cross vendors on purpose (scopes_disabled): they work for the whole installation.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_scopes import scopes_disabled

from notifications.models import DispatchedEvent, SentReminder
from notifications.services import claim_keys
from partners.models import Program
from partners.permissions import SYSTEM

from .clock import DAY, add_months, business_day_before, end_of_month, fiscal_quarter_start
from .errors import DealActionError
from .models import CLOCKED_STATES, Deal, DealEvent, DealState, RevocationReason
from .services import lifecycle, review
from .services.notices import DealNotice, dispatch_events, notify_deals

S = DealState


@dataclass
class JobResult:
    name: str
    counts: dict = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def __str__(self):
        done = ", ".join(f"{n} {key}" for key, n in self.counts.items() if n) or "nothing to do"
        return f"{self.name}: {done}"


def _deals():
    return Deal.objects.select_related("vendor__program", "organization", "registered_by")


def _send_once(notices: list[DealNotice], kind: str) -> int:
    """Claim each notice's ledger row and notify for the ones this call claimed, in one transaction."""
    if not notices:
        return 0
    now = timezone.now()
    by_key = {(n.deal.pk, kind, n.key): n for n in notices}
    with transaction.atomic():
        claimed = claim_keys(
            SentReminder._meta.db_table,
            ("deal_id", "kind", "period", "sent_at"),
            [(deal_id, kind, period, now) for deal_id, kind, period in by_key],
        )
        mine = [by_key[(deal_id, k, period)] for deal_id, k, period, _ in claimed]
        for notice in mine:
            notice.key = f"{kind}:{notice.deal.pk}:{notice.key}"
        notify_deals(mine)
    return len(mine)


def _transition_each(ids, *, still_due, change) -> tuple[int, int]:
    """Run `change(deal)` on each deal whose locked row is `still_due`; returns (changed, skipped).

    Each deal is its own transaction; a row another worker holds is skipped (it is doing it).
    """
    changed = skipped = 0
    for deal_id in ids:
        with transaction.atomic():
            deal = (
                still_due(Deal.objects.select_for_update(skip_locked=True, of=("self",)).filter(pk=deal_id))
                .select_related("vendor__program", "organization")
                .first()
            )
            if deal is None:
                skipped += 1
                continue
            try:
                change(deal)
            except DealActionError:
                skipped += 1
                continue
            changed += 1
    return changed, skipped


# --- expiry ----------------------------------------------------------------------------------------


def expire_registrations(*, now: datetime | None = None) -> JobResult:
    """End protection at the end of validity, and warn the partner N days before (program's list)."""
    now = now or timezone.now()
    result = JobResult("expiry")
    with scopes_disabled():
        ids = list(
            Deal.objects.filter(state__in=CLOCKED_STATES, expires_at__lte=now)
            .order_by("expires_at")
            .values_list("pk", flat=True)
        )
        expired, _ = _transition_each(
            ids,
            still_due=lambda qs: qs.filter(state__in=CLOCKED_STATES, expires_at__lte=now),
            change=lambda deal: lifecycle.deal_expire(deal=deal, actor=SYSTEM),
        )
        result.add("expired", expired)

        horizon = max((max(p.expiry_warning_day_list, default=0) for p in Program.objects.all()), default=0)
        candidates = _deals().filter(
            state__in=CLOCKED_STATES, expires_at__gt=now, expires_at__lte=now + horizon * DAY
        )
        notices = []
        for deal in candidates:
            remaining = deal.expires_at - now
            crossed = [d for d in deal.vendor.program.expiry_warning_day_list if remaining <= d * DAY]
            if not crossed:
                continue
            threshold = min(crossed)  # only the most imminent warning, if the job missed earlier ones
            notices.append(
                DealNotice(
                    deal=deal,
                    event_type="expiry_warning",
                    key=f"{deal.expires_at:%Y%m%dT%H%M%S}:{threshold}d",
                    context={"days_left": math.ceil(remaining / DAY)},
                )
            )
        result.add("warnings sent", _send_once(notices, "expiry_warning"))
    return result


# --- staleness -------------------------------------------------------------------------------------


def check_staleness(*, now: datetime | None = None) -> JobResult:
    """Warn at the program's warning day without a progress update; at the limit revoke or flag."""
    now = now or timezone.now()
    result = JobResult("staleness")
    with scopes_disabled():
        earliest = min(
            (min(p.stale_warning_day, p.stale_after_days) for p in Program.objects.all()), default=None
        )
        if earliest is None:
            return result
        candidates = _deals().filter(
            state__in=CLOCKED_STATES,
            last_progress_at__isnull=False,
            last_progress_at__lte=now - earliest * DAY,
        )
        warnings, flags, to_revoke = [], [], []
        for deal in candidates:
            program = deal.vendor.program
            silent = now - deal.last_progress_at
            clock = f"{deal.last_progress_at:%Y%m%dT%H%M%S}"
            if silent >= program.stale_after_days * DAY:
                if program.stale_action == Program.StaleAction.REVOKE:
                    to_revoke.append(deal.pk)
                else:
                    flags.append(
                        DealNotice(
                            deal=deal,
                            event_type="stale_flagged",
                            key=clock,
                            context={"days_silent": silent.days},
                        )
                    )
            elif silent >= program.stale_warning_day * DAY:
                warnings.append(
                    DealNotice(
                        deal=deal,
                        event_type="stale_warning",
                        key=clock,
                        context={"stale_on": deal.last_progress_at + program.stale_after_days * DAY},
                    )
                )
        result.add("warnings sent", _send_once(warnings, "stale_warning"))
        result.add("flagged to channel managers", _send_once(flags, "stale_flag"))

        def revoke(deal):
            limit = deal.vendor.program.stale_after_days
            review.deal_revoke(
                deal=deal,
                actor=SYSTEM,
                reason=RevocationReason.STALE,
                note=f"No progress update for {(now - deal.last_progress_at).days} days "
                f"(the program allows {limit}).",
            )

        def still_stale(qs):
            # The limit is per program: re-check it on the locked row below.
            return qs.filter(state__in=CLOCKED_STATES, last_progress_at__lte=now - DAY)

        def revoke_if_still_stale(deal):
            if now - deal.last_progress_at < deal.vendor.program.stale_after_days * DAY:
                raise DealActionError("An update arrived meanwhile.")
            revoke(deal)

        revoked, _ = _transition_each(to_revoke, still_due=still_stale, change=revoke_if_still_stale)
        result.add("revoked as stale", revoked)
    return result


# --- update cadence ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cadence:
    horizon: str  # "this month", "next quarter", …
    every: str  # "weekly", …
    days: int


def cadence_for(close: date, *, today: date, fiscal_year_start_month: int = 1) -> Cadence | None:
    """Seed 001's table: how often a deal closing on `close` needs an update (None: as often as needed)."""
    end_of_week = today + timedelta(days=6 - today.weekday())
    if close <= end_of_week:
        return None
    if close <= end_of_month(today):
        return Cadence("this month", "weekly", 7)
    if close <= end_of_month(add_months(today, 1)):
        return Cadence("next month", "weekly", 7)
    quarter_start = fiscal_quarter_start(today, fiscal_year_start_month)
    if close < add_months(quarter_start, 3):
        return Cadence("this quarter", "every two weeks", 14)
    if close < add_months(quarter_start, 6):
        return Cadence("next quarter", "every two weeks", 14)
    if close <= add_months(today, 6):
        return Cadence("within six months", "monthly", 30)
    return Cadence("in more than six months", "every two months", 60)


def send_update_reminders(*, now: datetime | None = None) -> JobResult:
    """Remind the partner when a deal has gone its cadence interval without a progress update."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = JobResult("update reminders")
    with scopes_disabled():
        candidates = _deals().filter(
            state__in=CLOCKED_STATES,
            expected_close_date__isnull=False,
            last_progress_at__isnull=False,
            last_progress_at__lte=now - 7 * DAY,
        )
        notices = []
        for deal in candidates:
            cadence = cadence_for(
                deal.expected_close_date,
                today=today,
                fiscal_year_start_month=deal.vendor.program.fiscal_year_start_month,
            )
            silent = now - deal.last_progress_at
            if cadence is None or silent < cadence.days * DAY:
                continue
            # One reminder per interval of silence: days 7, 14, 21 … for a weekly cadence.
            intervals = silent // (cadence.days * DAY)
            notices.append(
                DealNotice(
                    deal=deal,
                    event_type="update_reminder",
                    key=f"{deal.last_progress_at:%Y%m%dT%H%M%S}:{cadence.days}d:{intervals}",
                    context={
                        "days_silent": silent.days,
                        "cadence_label": cadence.horizon,
                        "cadence_every": cadence.every,
                    },
                )
            )
        result.add("reminders sent", _send_once(notices, "update_reminder"))
    return result


# --- review SLA --------------------------------------------------------------------------------------


def review_sla_alerts(*, now: datetime | None = None) -> JobResult:
    """Alert channel managers a business day before a review is due, and once it is late."""
    now = now or timezone.now()
    result = JobResult("review SLA")
    with scopes_disabled():
        # No look-ahead limit: a business day before can be weeks earlier across a closure period,
        # and only the queue's submitted deals are read.
        candidates = _deals().filter(state=S.SUBMITTED, review_due_at__isnull=False)
        due_soon, overdue = [], []
        calendars = {}  # one calendar per program, not one per deal
        for deal in candidates:
            key = f"{deal.review_due_at:%Y%m%dT%H%M%S}"
            program = deal.vendor.program
            if program.pk not in calendars:
                calendars[program.pk] = program.days_off()
            if now >= deal.review_due_at:
                overdue.append(DealNotice(deal=deal, event_type="review_overdue", key=key))
            elif now >= business_day_before(deal.review_due_at, days_off=calendars[program.pk]):
                due_soon.append(DealNotice(deal=deal, event_type="review_due_soon", key=key))
        result.add("due-soon alerts", _send_once(due_soon, "review_due_soon"))
        result.add("overdue alerts", _send_once(overdue, "review_overdue"))
    return result


# --- the notification sweep ----------------------------------------------------------------------------

SWEEP_GRACE = timedelta(minutes=1)  # the after-commit hook normally dispatches within milliseconds
SWEEP_WINDOW = timedelta(days=7)


def dispatch_missed_events(*, now: datetime | None = None, batch: int = 200) -> JobResult:
    """Dispatch deal events whose after-commit hook never ran (a crash between commit and dispatch)."""
    now = now or timezone.now()
    result = JobResult("missed events")
    with scopes_disabled():
        missed = list(
            DealEvent.objects.filter(created_at__gte=now - SWEEP_WINDOW, created_at__lte=now - SWEEP_GRACE)
            .filter(~Exists(DispatchedEvent.objects.filter(event_id=OuterRef("pk"))))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    for start in range(0, len(missed), batch):
        result.add("dispatched", dispatch_events(event_ids=missed[start : start + batch]))
    return result


JOBS = (
    dispatch_missed_events,
    expire_registrations,
    check_staleness,
    send_update_reminders,
    review_sla_alerts,
)


def run_all(*, now: datetime | None = None) -> list[JobResult]:
    """Every periodic job once, in an order where each sees the previous one's changes."""
    return [job(now=now) for job in JOBS]
