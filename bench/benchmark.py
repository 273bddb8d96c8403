"""The benchmark behind `python -m bench`: the portal's hot paths at a realistic volume, as figures.

Speed is measured here and printed, never asserted in tests (timings belong to a machine). A run
1. builds a throwaway vendor (bench.world: slug ``bench-<random>``) with partners, products, prospects,
   the vendor's pipeline and registrations in every state, all with bulk_create (setup is not measured);
2. times, with time.perf_counter, and counts the queries of (an execute wrapper) what the pages and jobs
   run, through the same public entry points: the review page's checks (rules.evaluate, then
   conflicts.review_matches), the list selectors as the list views filter and page them
   (lists.deal_list, lists.review_queue), the deal and review pages' context (detail.deal_page,
   detail.review_page), the pages themselves through django.test.Client, approvals as the approve
   button runs them, the periodic jobs of deals.jobs.JOBS (twice: the second run must be an idempotent
   no-op) and outbox delivery as its task runs it (locmem email backend);
3. deletes everything it created, also when a step fails.

The periodic jobs and outbox delivery work for the whole installation, so the benchmark refuses a
database holding any other vendor: it runs against a database of its own (`make bench`: portal_bench).
"""

import math
import os
import platform
import random
import secrets
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from unittest import mock

import django
from django.conf import settings
from django.core import mail
from django.db import connection
from django.db.models import QuerySet
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from deals import access, jobs
from deals.errors import DealActionError
from deals.forms.filters import PartnerDealFilter, QueueFilter, VendorDealFilter
from deals.models import LIVE_STATES, Deal, DealState
from deals.policy import conflicts, rules
from deals.selectors import lists
from deals.selectors.detail import deal_page, review_page
from deals.services import review
from notifications import outbox
from notifications.models import OutboxEmail
from notifications.tasks import deliver_outbox
from partners.models import Vendor
from partners.permissions import Actor
from portal.pagination import PAGE_SIZE, paginate
from portal.tenancy import vendor_scope

from .world import BENCH_SLUG_PREFIX, RESELLERS, World, leftover_bench_vendors, remove_bench_vendor

# Every row the figures table has, in order (the smoke test checks each one is printed). Each names the
# public entry point it runs; every one is what a page, a job or the delivery task runs.
RULES = "Program rules (rules.evaluate)"
CONFLICTS = "Conflict detection (review_matches)"
LIST_SELECTOR_MANAGER = "Deal list (lists.deal_list + filter, page 1), channel manager"
LIST_SELECTOR_PARTNER = "Deal list (lists.deal_list + filter, page 1), partner admin"
QUEUE_SELECTOR = "Approval queue (lists.review_queue + filter, page 1)"
DEAL_PAGE_CONTEXT = "Deal page context (detail.deal_page), partner admin"
REVIEW_PAGE_CONTEXT = "Review page context (detail.review_page), channel manager"
LIST_MANAGER = "Deal list page, channel manager"
LIST_PARTNER = "Deal list page, partner admin"
QUEUE_PAGE = "Approval queue page, channel manager"
DEAL_PAGE = "Deal page, partner admin"
REVIEW_PAGE = "Review page, channel manager"
APPROVALS = "Approvals (deal_approve + first quote)"
# The periodic jobs, in the order jobs.run_all runs them (deals.jobs.JOBS; Celery beat runs each alone).
JOB_LABELS = {
    jobs.dispatch_missed_events: "Job: missed-event sweep",
    jobs.expire_registrations: "Job: expiry + expiry warnings",
    jobs.check_staleness: "Job: staleness",
    jobs.send_update_reminders: "Job: update cadence reminders",
    jobs.review_sla_alerts: "Job: review SLA alerts",
}


def job_label(job) -> str:
    """A job's row; a job added to deals.jobs.JOBS later is measured too, under its own name."""
    return JOB_LABELS.get(job) or f"Job: {job.__name__.replace('_', ' ')}"


OUTBOX = "Outbox delivery (locmem backend)"
ROW_LABELS = (
    RULES,
    CONFLICTS,
    LIST_SELECTOR_MANAGER,
    LIST_SELECTOR_PARTNER,
    QUEUE_SELECTOR,
    DEAL_PAGE_CONTEXT,
    REVIEW_PAGE_CONTEXT,
    LIST_MANAGER,
    LIST_PARTNER,
    QUEUE_PAGE,
    DEAL_PAGE,
    REVIEW_PAGE,
    APPROVALS,
    *(job_label(job) for job in jobs.JOBS),
    OUTBOX,
)


class BenchmarkRefused(Exception):
    """The configured database is not one the benchmark may use."""


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


@dataclass
class Figure:
    """One row of the figures table."""

    label: str
    result: str
    queries: str = ""
    notes: str = ""
    samples: Samples | None = None  # a latency row's samples
    first: Timing | None = None  # a job's run, then the same run again
    again: Timing | None = None
    numbers: dict = field(default_factory=dict)  # a throughput row's figures (per second, counts)

    def as_json(self) -> dict:
        """The row for results.json: the printed cells, and the numbers behind them (ms, queries).

        p50_ms and p95_ms are null for rows that are one run, not samples (the jobs, outbox delivery).
        """
        row = {"label": self.label, "result": self.result, "p50_ms": None, "p95_ms": None}
        if self.samples is not None:
            row["p50_ms"] = round(percentile(self.samples.seconds, 50) * 1000, 2)
            row["p95_ms"] = round(percentile(self.samples.seconds, 95) * 1000, 2)
            row["samples"] = len(self.samples.seconds)
        row["queries"] = self.queries
        if self.samples is not None:
            row["queries_min"], row["queries_max"] = min(self.samples.queries), max(self.samples.queries)
        if self.first is not None and self.again is not None:
            row["first_ms"] = round(self.first.seconds * 1000, 2)
            row["first_queries"] = self.first.queries
            row["again_ms"] = round(self.again.seconds * 1000, 2)
            row["again_queries"] = self.again.queries
        row.update(self.numbers)
        row["note"] = self.notes
        return row


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
    with mock.patch.object(deliver_outbox, "delay"):  # queued, as for a worker that is busy elsewhere
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
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress
        self.slug = f"{BENCH_SLUG_PREFIX}{secrets.token_hex(4)}"
        self.setup_seconds = 0.0
        self.load_before = self.load_after = None
        self.started_at = None
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
        self.started_at = timezone.now()
        steps = [
            ("The review page's checks: program rules, then conflict detection", self._review_checks),
            ("The list pages' selectors: deal list and approval queue, page 1", self._list_selectors),
            ("The deal and review pages' selectors", self._detail_selectors),
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
        return (
            f"{_engine()}, database {connection.settings_dict.get('NAME')}: {self.deal_count:,} "
            f"registrations, {self.prospect_count:,} prospects, {self.pipeline_count:,} pipeline entries, "
            f"{RESELLERS} resellers; {self.repeat} samples per latency; setup {self.setup_seconds:.1f} s; "
            f"{os.cpu_count()} CPUs, load average {_one_decimal(self.load_before)} → "
            f"{_one_decimal(self.load_after)} (others' work on the machine skews timings; query counts "
            "do not vary)"
        )

    def results(self) -> dict:
        """The run as JSON: the machine, the sizes, and a row per printed row (bench/results.json)."""
        return {
            "date": self.started_at.isoformat(timespec="seconds") if self.started_at else None,
            "machine": {
                "cpus": os.cpu_count(),
                "load_average": {"before": self.load_before, "after": self.load_after},
                "python": platform.python_version(),
                "django": django.get_version(),
                "database": _engine(),
            },
            "sizes": {
                "deals": self.deal_count,
                "prospects": self.prospect_count,
                "pipeline": self.pipeline_count,
                "resellers": RESELLERS,
                "repeat": self.repeat,
                "approvals": self.approval_count,
                "seed": self.seed,
            },
            "setup_seconds": round(self.setup_seconds, 2),
            "rows": [figure.as_json() for figure in self.figures],
        }

    # --- measurements ----------------------------------------------------------------------------------
    #
    # Each one runs what a page runs, as its view runs it: the acting party the tenant middleware builds
    # (bench.world loads the memberships as it does), inside the vendor's scope (portal.tenancy), the
    # deal found by access.deal_for. What the view does before the measured call is not timed; the HTTP
    # rows time everything, middleware and templates included.

    def _actor(self, membership) -> Actor:
        return Actor(membership.user, membership)

    def _numbers(self, actor: Actor, *, state=None) -> list[int]:
        """Numbers of deals this actor sees (of one state, if given), a sample of `repeat` of them."""
        with vendor_scope(self.vendor):
            deals = access.visible_deals(actor)
            if state is not None:
                deals = deals.filter(state=state)
            numbers = list(deals.order_by("number").values_list("number", flat=True))
        return self.rng.sample(numbers, min(self.repeat, len(numbers)))

    def _deal_for(self, actor: Actor, number: int):
        with vendor_scope(self.vendor):
            return access.deal_for(actor, number)

    def _review_checks(self) -> list[Figure]:
        """The review page's two checks, in its order (deal_page's checklist, then review_page's matches)."""
        manager = self._actor(self.manager)
        rules_samples, conflict_samples = Samples(), Samples()
        failing = matches = conflicting = 0
        for number in self._numbers(manager, state=DealState.SUBMITTED):
            deal = self._deal_for(manager, number)
            with vendor_scope(self.vendor):
                checked = measure(partial(rules.evaluate, deal))
                matched = measure(partial(conflicts.review_matches, deal))
            rules_samples.add(checked)
            conflict_samples.add(matched)
            failing += bool(checked.value.failures)
            matches += len(matched.value)
            conflicting += sum(1 for m in matched.value if m.is_conflict)
        with scope(vendor=self.vendor):
            live = Deal.objects.filter(vendor=self.vendor, state__in=LIVE_STATES).count()
        checks = len(conflict_samples.seconds)
        return [
            Figure(
                RULES,
                rules_samples.latency,
                f"{rules_samples.query_range} per deal",
                f"{len(rules.RULES)} rules incl. the conflict check; {failing} of {checks} waiting deals "
                "fail one",
                samples=rules_samples,
            ),
            Figure(
                CONFLICTS,
                conflict_samples.latency,
                f"{conflict_samples.query_range} per check",
                f"pg_trgm over {live:,} live registrations + {self.pipeline_count:,} pipeline entries; "
                f"{matches / checks:.1f} matches ({conflicting / checks:.1f} conflicts) per check",
                samples=conflict_samples,
            ),
        ]

    def _list_selectors(self) -> list[Figure]:
        """deal_list and review_queue, filtered and paged as deals.views.lists does with no query string."""
        manager, partner = self._actor(self.manager), self._actor(self.partner_admin)
        deal_list_url = reverse("deal_list", args=[self.slug])
        queue_url = reverse("review_queue", args=[self.slug])
        return [
            self._selector(
                LIST_SELECTOR_MANAGER,
                deal_list_url,
                lambda request: VendorDealFilter(
                    request.GET or None, queryset=lists.deal_list(actor=manager), vendor=self.vendor
                ),
            ),
            self._selector(
                LIST_SELECTOR_PARTNER,
                deal_list_url,
                lambda request: PartnerDealFilter(
                    request.GET or None, queryset=lists.deal_list(actor=partner)
                ),
            ),
            self._selector(
                QUEUE_SELECTOR,
                queue_url,
                lambda request: QueueFilter(
                    request.GET or None, queryset=lists.review_queue(vendor=self.vendor), vendor=self.vendor
                ),
            ),
        ]

    def _selector(self, label: str, url: str, filtered: Callable) -> Figure:
        request = RequestFactory().get(url)

        def first_page():
            page, _query = paginate(request, filtered(request).qs)
            return page.paginator.count, list(page)  # what the template reads: the total and the rows

        samples, total, rows = Samples(), 0, 0
        with vendor_scope(self.vendor):
            for _ in range(self.repeat):
                timing = measure(first_page)
                samples.add(timing)
                total, page_rows = timing.value
                rows = len(page_rows)
        return Figure(
            label,
            samples.latency,
            samples.query_range,
            f"{rows} rows of {total:,} (portal.pagination, {PAGE_SIZE} a page)",
            samples=samples,
        )

    def _detail_selectors(self) -> list[Figure]:
        """deal_page and review_page, with the lazy querysets of their context read as the template does."""
        partner, manager = self._actor(self.partner_admin), self._actor(self.manager)
        return [
            self._context(DEAL_PAGE_CONTEXT, deal_page, partner, self._numbers(partner)),
            self._context(
                REVIEW_PAGE_CONTEXT,
                review_page,
                manager,
                self._numbers(manager, state=DealState.SUBMITTED),
            ),
        ]

    def _context(self, label: str, selector: Callable, actor: Actor, numbers: list[int]) -> Figure:
        samples, states = Samples(), set()
        for number in numbers:
            deal = self._deal_for(actor, number)
            states.add(deal.state)
            with vendor_scope(self.vendor):
                samples.add(measure(lambda deal=deal: _read_as_rendered(selector(deal=deal, actor=actor))))
        return Figure(
            label,
            samples.latency,
            f"{samples.query_range} per deal",
            f"{len(numbers)} deals in {len(states)} state{'s' * (len(states) != 1)}; its querysets read "
            "as the template does",
            samples=samples,
        )

    def _pages(self) -> list[Figure]:
        deal_list = reverse("deal_list", args=[self.slug])
        queue = reverse("review_queue", args=[self.slug])
        partner, manager = self._actor(self.partner_admin), self._actor(self.manager)
        deal_pages = [reverse("deal_detail", args=[self.slug, n]) for n in self._numbers(partner)]
        review_pages = [
            reverse("deal_review", args=[self.slug, n])
            for n in self._numbers(manager, state=DealState.SUBMITTED)
        ]
        with scopes_disabled():
            visible_to_partner = Deal.objects.filter(organization=self.partner_admin.organization).count()
        return [
            self._page(LIST_MANAGER, self.manager.user, [deal_list], f"rows of {self.deal_count:,}"),
            self._page(LIST_PARTNER, self.partner_admin.user, [deal_list], f"rows of {visible_to_partner:,}"),
            self._page(QUEUE_PAGE, self.manager.user, [queue], "rows waiting"),
            self._page(DEAL_PAGE, self.partner_admin.user, deal_pages, "different deals"),
            self._page(REVIEW_PAGE, self.manager.user, review_pages, "different waiting deals"),
        ]

    def _page(self, label: str, user, urls: list[str], of_what: str) -> Figure:
        """GET `urls` in turn, `repeat` times; a list page counts its rows, a deal page its deals."""
        client = Client()
        client.force_login(user)
        try:
            self._expect_page(
                client.get(urls[0]), urls[0]
            )  # the first request compiles templates: not counted
            samples, size = Samples(), 0
            for n in range(self.repeat):
                url = urls[n % len(urls)]
                timing = measure(partial(client.get, url))
                self._expect_page(timing.value, url)
                samples.add(timing)
                size = len(timing.value.content)
            rows = timing.value.content.count(b'<th scope="row">') if len(urls) == 1 else len(set(urls))
        finally:
            client.logout()
        return Figure(
            label,
            samples.latency,
            f"{samples.query_range} per request",
            f"{rows} {of_what}, {size / 1024:.0f} KB",
            samples=samples,
        )

    @staticmethod
    def _expect_page(response, url: str) -> None:
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}; the benchmark needs a 200.")

    def _approvals(self) -> list[Figure]:
        """What the approve button runs (deals.views.review.deal_approve): deal_for, then the service."""
        actor = self._actor(self.manager)
        with vendor_scope(self.vendor):
            waiting = access.visible_deals(actor).filter(state=DealState.SUBMITTED)
            numbers = list(waiting.order_by("number").values_list("number", flat=True))
        chosen = self.rng.sample(numbers, min(self.approval_count, len(numbers)))
        samples, refused = Samples(), 0
        for number in chosen:
            deal = self._deal_for(actor, number)
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
                samples=samples,
                numbers={"per_second": round(len(chosen) / total, 1) if total else None},
            )
        ]

    def _approve(self, deal, actor):
        with vendor_scope(self.vendor):
            try:
                return review.deal_approve(deal=deal, actor=actor, note="Approved by the benchmark.")
            except DealActionError:
                return None

    def _jobs(self) -> list[Figure]:
        """Every job of deals.jobs.JOBS, as its Celery task runs it, then again at the same moment."""
        now = timezone.now()
        figures = []
        for job in jobs.JOBS:
            first = measure(partial(job, now=now))
            again = measure(partial(job, now=now))  # the same moment again: must change nothing
            figures.append(
                Figure(
                    job_label(job),
                    f"{first.seconds:.2f} s · again {ms(again.seconds)}",
                    f"{first.queries:,} · again {again.queries}",
                    f"{_done(first.value)}; again: {_done(again.value)}",
                    first=first,
                    again=again,
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
                numbers={
                    "total_ms": round(timing.seconds * 1000, 2),
                    "total_queries": timing.queries,
                    "emails": report.sent,
                    "per_second": round(report.sent / timing.seconds, 1) if timing.seconds else None,
                },
            )
        ]


def _engine() -> str:
    if connection.vendor != "postgresql":
        return connection.vendor
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def _load_average() -> float | None:
    """The one-minute load average (None where the platform has none)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _one_decimal(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


def _read_as_rendered(context: dict) -> dict:
    """Read the querysets a page context leaves lazy (its template iterates them), so they are timed."""
    for value in context.values():
        if isinstance(value, QuerySet):
            list(value)
    return context


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
