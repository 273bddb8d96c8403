"""The deal lists, search and the approval queue: the one read path of the list pages, the dashboards,
the jobs and the benchmark.

Visibility comes from deals.access (who sees which deals); the review SLA is defined here once, as a
database annotation that the queue shows, filters and counts.
"""

from datetime import datetime

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from partners.permissions import Actor

from .. import access
from ..clock import start_of_tomorrow
from ..models import OPEN_FOR_REVIEW, Deal, DealParticipant, Prospect, Quote

SLA_ON_TIME = "on_time"
SLA_DUE_TODAY = "due_today"
SLA_LATE = "late"
SLA_LABELS = {SLA_ON_TIME: "On time", SLA_DUE_TODAY: "Due today", SLA_LATE: "Late"}


# --- search ---------------------------------------------------------------------------------------------


def search_deals(queryset: QuerySet, text: str) -> QuerySet:
    """Narrow `queryset` by a deal number (DR-000123, 000123 or 123), or part of the prospect's name or
    domain."""
    text = (text or "").strip()
    if not text:
        return queryset
    condition = (
        Q(company_name__icontains=text) | Q(prospect__name__icontains=text) | Q(domain__icontains=text)
    )
    digits = text.upper().removeprefix("DR-").removeprefix("DR").strip()
    if digits.isdigit():
        condition |= Q(number=int(digits))
    return queryset.filter(condition)


# --- the deal list -----------------------------------------------------------------------------------------


def with_current_quote(queryset: QuerySet) -> QuerySet:
    """Deals annotated with their latest quote (sequence, net total, currency, validity), in one query."""
    latest = Quote.objects.filter(deal=OuterRef("pk")).order_by("-sequence")
    return queryset.annotate(
        current_quote_sequence=Subquery(latest.values("sequence")[:1]),
        current_quote_net_total=Subquery(latest.values("net_total")[:1]),
        current_quote_currency=Subquery(latest.values("currency")[:1]),
        current_quote_valid_until=Subquery(latest.values("valid_until")[:1]),
    )


def with_co_sell(queryset: QuerySet) -> QuerySet:
    """Annotate `is_co_sell`: the deal has a partner besides its registrant (the lists' badge)."""
    others = DealParticipant.objects.filter(deal=OuterRef("pk")).exclude(
        organization_id=OuterRef("organization_id")
    )
    return queryset.annotate(is_co_sell=Exists(others))


def deal_list(*, actor: Actor) -> QuerySet:
    """Every deal the actor may see, newest first, with its current quote and co-sell badge."""
    deals = (
        access.visible_deals(actor)
        .select_related("organization", "prospect")
        .prefetch_related("lines__product")
        .order_by("-created_at", "-number")
    )
    return with_co_sell(with_current_quote(deals))


# --- the approval queue and its SLA ------------------------------------------------------------


def sla_annotation(now: datetime) -> Case:
    """The review SLA state of a deal: late (past due), due today, or on time (due later, or no clock)."""
    return Case(
        When(review_due_at__lt=now, then=Value(SLA_LATE)),
        When(review_due_at__lt=start_of_tomorrow(now), then=Value(SLA_DUE_TODAY)),
        default=Value(SLA_ON_TIME),
        output_field=CharField(),
    )


def review_queue(*, vendor, now: datetime | None = None) -> QuerySet:
    """Registrations waiting for a decision, oldest first, annotated with `sla`.

    The review clock (review_due_at) is set on submission from the program's SLA in business days.
    """
    return (
        Deal.objects.filter(vendor=vendor, state__in=OPEN_FOR_REVIEW)
        .annotate(sla=sla_annotation(now or timezone.now()))
        .select_related("organization", "prospect")
        .prefetch_related("lines__product")
        .order_by("submitted_at", "number")
    )


def review_sla(deal, *, now: datetime | None = None) -> str | None:
    """The SLA state of one deal of the queue (None once it left the queue), as the queue shows it."""
    return (
        review_queue(vendor=deal.vendor_id, now=now).filter(pk=deal.pk).values_list("sla", flat=True).first()
    )


def prospect_by_domain(*, vendor, domain: str) -> Prospect | None:
    """The vendor's prospect with this (normalised) domain: what "Verify domain" finds."""
    return Prospect.objects.filter(vendor=vendor, domain=domain).first()
