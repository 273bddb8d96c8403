"""The benchmark behind `python -m bench`: the portal's hot paths at a realistic volume, as figures.

Speed is measured here and printed, never asserted in tests (timings belong to a machine). A run
1. builds a throwaway vendor (bench.world: slug ``bench-<random>``) with partners, products, prospects,
   the vendor's pipeline and registrations in every state, all with bulk_create (setup is not measured);
2. times each hot path with time.perf_counter and counts its queries (an execute wrapper): conflict
   detection, the program rules, the review queue, the list pages (through django.test.Client as a
   channel manager and as a partner), approvals, the periodic jobs (twice: the second run must be an
   idempotent no-op) and outbox delivery (locmem email backend);
3. deletes everything it created, also when a step fails.

The periodic jobs and outbox delivery work for the whole installation, so the benchmark refuses a
database holding any other vendor: it runs against a database of its own (`make bench`: portal_bench).
"""

import math
import os
import random
import secrets
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from unittest import mock

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from deals import jobs
from deals.errors import DealActionError
from deals.models import LIVE_STATES, Deal, DealState
from deals.policy import conflicts, rules
from deals.selectors import lists as selectors
from deals.services import review as services
from notifications import outbox
from notifications.models import OutboxEmail
from partners.models import Vendor
from partners.permissions import Actor

from .world import BENCH_SLUG_PREFIX, RESELLERS, World, leftover_bench_vendors, remove_bench_vendor

# Every row the figures table has, in order (the smoke test checks each one is printed).
CONFLICTS = "Conflict detection (review_matches)"
RULES = "Program rules (rules.evaluate)"
QUEUE_SELECTOR = "Review queue (selectors.review_queue)"
QUEUE_COUNTS = "Review queue counts (selectors)"
LIST_MANAGER = "Deal list page, channel manager"
LIST_PARTNER = "Deal list page, partner admin"
QUEUE_PAGE = "Approval queue page, channel manager"
APPROVALS = "Approvals (deal_approve + first quote)"
JOB_EXPIRY = "Job: expiry + expiry warnings"
JOB_STALENESS = "Job: staleness"
JOB_CADENCE = "Job: update cadence reminders"
JOB_REVIEW_SLA = "Job: review SLA alerts"
JOB_SWEEP = "Job: missed-event sweep"
OUTBOX = "Outbox delivery (locmem backend)"
ROW_LABELS = (
    CONFLICTS,
    RULES,
    QUEUE_SELECTOR,
    QUEUE_COUNTS,
    LIST_MANAGER,
    LIST_PARTNER,
    QUEUE_PAGE,
    APPROVALS,
    JOB_EXPIRY,
    JOB_STALENESS,
    JOB_CADENCE,
    JOB_REVIEW_SLA,
    JOB_SWEEP,
    OUTBOX,
)


class BenchmarkRefused(Exception):
    """The configured database is not one the benchmark may use."""


@dataclass
class Figure:
    """One row of the figures table."""

    label: str
    result: str
    queries: str = ""
    notes: str = ""


@dataclass
class Timing:
    seconds: float
    queries: int
    value: object = None


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def add(self, timing: Timing) -> None:
        self.seconds.append(timing.seconds)
        self.queries.append(timing.queries)

    @property
    def latency(self) -> str:
        return f"p50 {ms(percentile(self.seconds, 50))} · p95 {ms(percentile(self.seconds, 95))}"

    @property
    def query_range(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return f"{low}" if low == high else f"{low}–{high}"


class QueryCounter:
    """Counts every SQL statement sent on the connection (an execute wrapper).

    Not CaptureQueriesContext: its log keeps only the last 9,000 queries (the jobs send more) and the
    text of every one, which would slow down what is being timed.
    """

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(function: Callable[[], object]) -> Timing:
    """Run `function` once: wall time by perf_counter and the number of SQL queries it sent."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        value = function()
        elapsed = time.perf_counter() - started
    return Timing(elapsed, counter.count, value)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p50 of [1, 2, 3, 4] is 2): no interpolation between samples."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "∞"


@contextmanager
def delivery_left_to_the_outbox():
    """Emails stay in the outbox until the delivery step sends them.

    Without a broker, asking for delivery after a commit runs it in-process (Celery eager), which
    would bill every approval and job for sending emails; in production a worker does that.
    """
    with mock.patch("notifications.services._request_delivery"):
        yield


class Benchmark:
    def __init__(
        self,
        *,
        deals: int = 5000,
        prospects: int | None = None,
        pipeline: int | None = None,
        repeat: int = 30,
        approvals: int = 200,
        seed: int = 1,
        progress: Callable[[str], None] = print,
    ):
        self.deal_count = deals
        self.prospect_count = prospects if prospects is not None else deals
        self.pipeline_count = pipeline if pipeline is not None else max(1, self.prospect_count // 5)
        self.repeat = repeat
        self.approval_count = approvals
        self.rng = random.Random(seed)
        self.progress = progress
        self.slug = f"{BENCH_SLUG_PREFIX}{secrets.token_hex(4)}"
        self.setup_seconds = 0.0
        self.load_before = self.load_after = "?"
        self.figures: list[Figure] = []
        self.world = World(
            slug=self.slug,
            deals=self.deal_count,
            prospects=self.prospect_count,
            pipeline=self.pipeline_count,
            rng=self.rng,
        )

    # --- the run -------------------------------------------------------------------------------------

    def run(self) -> list[Figure]:
        self._check_database()
        self.load_before = _load_average()
        steps = [
            ("Conflict detection", self._conflicts),
            ("Program rules", self._rules),
            ("Review queue selectors", self._queue_selectors),
            ("Pages through the test client", self._pages),
            ("Approvals", self._approvals),
            ("Periodic jobs, each run twice", self._jobs),
            ("Outbox delivery", self._outbox),
        ]
        total = len(steps) + 2
        try:
            with ExitStack() as stack:
                # Production-like rendering (no template debug), the test client's host, emails kept.
                stack.enter_context(
                    override_settings(
                        DEBUG=False,
                        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                    )
                )
                stack.enter_context(delivery_left_to_the_outbox())
                mail.outbox = []
                self._say(
                    f"[1/{total}] Setting up {self.slug}: {self.deal_count:,} registrations, "
                    f"{self.prospect_count:,} prospects, {self.pipeline_count:,} pipeline entries "
                    "(bulk_create, not measured)"
                )
                started = time.perf_counter()
                self.world.build()
                self.vendor = self.world.vendor
                self.manager, self.partner_admin = self.world.manager, self.world.partner_admin
                self.setup_seconds = time.perf_counter() - started
                self._say(f"      done in {self.setup_seconds:.1f} s")
                for number, (title, step) in enumerate(steps, start=2):
                    self._say(f"[{number}/{total}] {title}")
                    for figure in step():
                        self.figures.append(figure)
                        self._say(f"      {figure.label}: {figure.result}")
        finally:
            self.load_after = _load_average()
            self._say(f"[{total}/{total}] Removing {self.slug} and everything under it")
            mail.outbox = []
            self.world.remove()
        return self.figures

    def _say(self, line: str) -> None:
        self.progress(line)

    def _check_database(self) -> None:
        others = Vendor.objects.exclude(slug__startswith=BENCH_SLUG_PREFIX)
        if others.exists():
            names = ", ".join(others.order_by("slug").values_list("slug", flat=True)[:5])
            raise BenchmarkRefused(
                f"This database holds vendors other than benchmark ones ({names}). The periodic jobs and "
                "the outbox delivery the benchmark measures work for the whole installation, so it runs "
                "only against a database of its own, e.g. DATABASE_URL=postgres://…/portal_bench."
            )
        for slug in leftover_bench_vendors():
            self._say(f"Removing {slug}, left over by an interrupted run")
            remove_bench_vendor(slug)

    @property
    def header(self) -> str:
        database = connection.settings_dict.get("NAME")
        engine = connection.vendor
        if engine == "postgresql":
            major, minor = divmod(connection.pg_version, 10000)
            engine = f"PostgreSQL {major}.{minor}"
        return (
            f"{engine}, database {database}: {self.deal_count:,} registrations, "
            f"{self.prospect_count:,} prospects, {self.pipeline_count:,} pipeline entries, "
            f"{RESELLERS} resellers; {self.repeat} samples per latency; setup {self.setup_seconds:.1f} s; "
            f"{os.cpu_count()} CPUs, load average {self.load_before} → {self.load_after} (others' work "
            "on the machine skews timings; query counts do not vary)"
        )

    # --- measurements ----------------------------------------------------------------------------------

    def _submitted_ids(self) -> list[int]:
        with scope(vendor=self.vendor):
            return list(
                Deal.objects.filter(vendor=self.vendor, state=DealState.SUBMITTED)
                .order_by("pk")
                .values_list("pk", flat=True)
            )

    def _loaded(self, pk: int) -> Deal:
        """A deal as the review page loads it (deals.views.deal_for) before it calls the code measured."""
        with scope(vendor=self.vendor):
            return Deal.objects.select_related(
                "vendor__program", "organization", "distributor", "prospect", "registered_by"
            ).get(pk=pk)

    def _probes(self) -> list[Deal]:
        ids = self._submitted_ids()
        return [self._loaded(pk) for pk in self.rng.sample(ids, min(self.repeat, len(ids)))]

    def _conflicts(self) -> list[Figure]:
        samples, matches, conflicting = Samples(), 0, 0
        for deal in self._probes():
            timing = measure(partial(conflicts.review_matches, deal))
            samples.add(timing)
            matches += len(timing.value)
            conflicting += sum(1 for m in timing.value if m.is_conflict)
        with scope(vendor=self.vendor):
            live = Deal.objects.filter(vendor=self.vendor, state__in=LIVE_STATES).count()
        checks = len(samples.seconds)
        return [
            Figure(
                CONFLICTS,
                samples.latency,
                f"{samples.query_range} per check",
                f"pg_trgm over {live:,} live registrations + {self.pipeline_count:,} pipeline entries; "
                f"{matches / checks:.1f} matches ({conflicting / checks:.1f} conflicts) per check",
            )
        ]

    def _rules(self) -> list[Figure]:
        samples, failing = Samples(), 0
        for deal in self._probes():
            timing = measure(partial(rules.evaluate, deal))
            samples.add(timing)
            failing += bool(timing.value.failures)
        return [
            Figure(
                RULES,
                samples.latency,
                f"{samples.query_range} per deal",
                f"{len(rules.RULES)} rules incl. the conflict check; {failing} of {len(samples.seconds)} "
                "deals fail one",
            )
        ]

    def _queue_selectors(self) -> list[Figure]:
        queue, counts = Samples(), Samples()
        rows = 0
        with scope(vendor=self.vendor):
            for _ in range(self.repeat):
                timing = measure(lambda: list(selectors.review_queue(vendor=self.vendor)))
                queue.add(timing)
                rows = len(timing.value)
                counts.add(measure(lambda: selectors.review_queue_counts(vendor=self.vendor)))
        return [
            Figure(QUEUE_SELECTOR, queue.latency, queue.query_range, f"all {rows:,} waiting registrations"),
            Figure(QUEUE_COUNTS, counts.latency, counts.query_range, "late / due today / on time"),
        ]

    def _pages(self) -> list[Figure]:
        deal_list = reverse("deal_list", args=[self.slug])
        queue = reverse("review_queue", args=[self.slug])
        with scopes_disabled():
            visible_to_partner = Deal.objects.filter(organization=self.partner_admin.organization).count()
        return [
            self._page(LIST_MANAGER, self.manager.user, deal_list, f"of {self.deal_count:,}"),
            self._page(LIST_PARTNER, self.partner_admin.user, deal_list, f"of {visible_to_partner:,}"),
            self._page(QUEUE_PAGE, self.manager.user, queue, "waiting"),
        ]

    def _page(self, label: str, user, url: str, of_what: str) -> Figure:
        client = Client()
        client.force_login(user)
        try:
            self._expect_page(client.get(url), url)  # the first request compiles templates: not counted
            samples, size = Samples(), 0
            for _ in range(self.repeat):
                timing = measure(partial(client.get, url))
                self._expect_page(timing.value, url)
                samples.add(timing)
                size = len(timing.value.content)
            rows = timing.value.content.count(b'<th scope="row">')
        finally:
            client.logout()
        return Figure(
            label,
            samples.latency,
            f"{samples.query_range} per request",
            f"{rows} rows {of_what}, {size / 1024:.0f} KB",
        )

    @staticmethod
    def _expect_page(response, url: str) -> None:
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}; the benchmark needs a 200.")

    def _approvals(self) -> list[Figure]:
        actor = Actor(self.manager.user, self.manager)
        ids = self._submitted_ids()
        chosen = self.rng.sample(ids, min(self.approval_count, len(ids)))
        samples, refused = Samples(), 0
        for pk in chosen:
            deal = self._loaded(pk)
            timing = measure(partial(self._approve, deal, actor))
            samples.add(timing)
            refused += timing.value is None
        approved = len(chosen) - refused
        total = sum(samples.seconds)
        notes = (
            f"{approved} approvals ({samples.latency}), each with its protection, first quote, audit "
            "event and notifications"
        )
        if refused:
            notes += f"; {refused} refused (protection conflict)"
        return [
            Figure(
                APPROVALS,
                f"{per_second(len(chosen), total)} approvals/s",
                f"{samples.query_range} per approval",
                notes,
            )
        ]

    def _approve(self, deal, actor):
        with scope(vendor=self.vendor):
            try:
                return services.deal_approve(deal=deal, actor=actor, note="Approved by the benchmark.")
            except DealActionError:
                return None

    def _jobs(self) -> list[Figure]:
        now = timezone.now()
        figures = []
        for label, job in (
            (JOB_EXPIRY, jobs.expire_registrations),
            (JOB_STALENESS, jobs.check_staleness),
            (JOB_CADENCE, jobs.send_update_reminders),
            (JOB_REVIEW_SLA, jobs.review_sla_alerts),
            (JOB_SWEEP, jobs.dispatch_missed_events),
        ):
            first = measure(partial(job, now=now))
            again = measure(partial(job, now=now))  # the same moment again: must change nothing
            figures.append(
                Figure(
                    label,
                    f"{first.seconds:.2f} s · again {ms(again.seconds)}",
                    f"{first.queries:,} · again {again.queries}",
                    f"{_done(first.value)}; again: {_done(again.value)}",
                )
            )
        return figures

    def _outbox(self) -> list[Figure]:
        waiting = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count()
        timing = measure(_deliver_everything)
        report = timing.value
        notes = f"{report.sent:,} of {waiting:,} waiting emails sent"
        if report.failed or report.given_up:
            notes += f", {report.failed + report.given_up} failed"
        if len(mail.outbox) != report.sent:
            notes += f" (backend received {len(mail.outbox):,})"
        queries = f"{timing.queries / report.sent:.1f} per email" if report.sent else str(timing.queries)
        return [
            Figure(
                OUTBOX,
                f"{per_second(report.sent, timing.seconds)} emails/s",
                queries,
                f"{notes} in {timing.seconds:.2f} s",
            )
        ]


def _load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:  # not every platform has one
        return "?"


def _deliver_everything() -> outbox.DeliveryReport:
    total = outbox.DeliveryReport()
    while True:
        report = outbox.deliver_all_due()
        total += report
        if report.handled == 0:
            return total


def _done(result: jobs.JobResult) -> str:
    return ", ".join(f"{n:,} {key}" for key, n in result.counts.items() if n) or "nothing to do"


def format_table(header: str, figures: list[Figure]) -> str:
    """The figures as a Markdown table (readable in a terminal, pasteable into the README)."""
    columns = ("Measurement", "Result", "Queries", "Notes")
    rows = [(f.label, f.result, f.queries, f.notes) for f in figures]
    widths = [max(len(column), *(len(row[i]) for row in rows)) for i, column in enumerate(columns)]

    def line(cells):
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([header, "", line(columns), rule, *(line(row) for row in rows)])
