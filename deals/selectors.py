"""Read queries of deals: what a membership sees, search, and the review queue with its SLA state.

Visibility is decided by partners.permissions.deal_visibility_q (one place for every list); these
functions only build on it. Each runs in the vendor's scope, so jobs and dashboards can call them too.
"""

from datetime import datetime, time, timedelta

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone
from django_scopes import scope

from partners.permissions import deal_visibility_q

from .models import OPEN_FOR_REVIEW, Deal, Prospect

SLA_LATE = "late"
SLA_DUE_TODAY = "due_today"
SLA_ON_TIME = "on_time"
SLA_LABELS = {SLA_ON_TIME: "On time", SLA_DUE_TODAY: "Due today", SLA_LATE: "Late"}


def deals_visible_to(membership, user):
    """Every deal of the membership's vendor that this membership may see (none for no membership)."""
    if membership is None:
        return Deal.objects.none()
    with scope(vendor=membership.vendor_id):
        condition = deal_visibility_q(membership, user)
        if condition is None:
            return Deal.objects.none()
        return Deal.objects.filter(condition, vendor_id=membership.vendor_id)


def search_deals(queryset, text: str):
    """Narrow `queryset` by a deal number (DR-000123, 000123 or 123) or part of the prospect's name."""
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


def deal_by_number(vendor, number: int) -> Deal | None:
    with scope(vendor=vendor):
        return (
            Deal.objects.filter(vendor=vendor, number=number)
            .select_related("vendor__program", "organization", "distributor", "prospect", "registered_by")
            .first()
        )


def prospect_by_domain(vendor, domain: str) -> Prospect | None:
    """The vendor's prospect with this (normalised) domain: what "Verify domain" finds."""
    with scope(vendor=vendor):
        return Prospect.objects.filter(vendor=vendor, domain=domain).first()


def _start_of_tomorrow(now: datetime) -> datetime:
    today = timezone.localtime(now).date()
    return timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))


def review_queue(vendor, *, now: datetime | None = None):
    """Registrations waiting for a decision, oldest first, annotated with `sla`: late, due_today, on_time.

    The review clock (review_due_at) is set on submission from the program's SLA in business days.
    """
    now = now or timezone.now()
    tomorrow = _start_of_tomorrow(now)
    with scope(vendor=vendor):
        return (
            Deal.objects.filter(vendor=vendor, state__in=OPEN_FOR_REVIEW)
            .annotate(
                sla=Case(
                    When(review_due_at__lt=now, then=Value(SLA_LATE)),
                    When(review_due_at__lt=tomorrow, then=Value(SLA_DUE_TODAY)),
                    default=Value(SLA_ON_TIME),
                    output_field=CharField(),
                )
            )
            .select_related("organization", "prospect")
            .order_by("submitted_at", "number")
        )


def review_queue_counts(vendor, *, now: datetime | None = None) -> dict[str, int]:
    """How many registrations are late, due today and on time (one query), for dashboards and alerts."""
    counts = dict.fromkeys(SLA_LABELS, 0)
    rows = review_queue(vendor, now=now).order_by().values("sla").annotate(n=Count("pk"))
    counts.update({row["sla"]: row["n"] for row in rows})
    return counts
