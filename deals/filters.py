"""Filters of the deal lists and the approval queue (django-filter). They narrow a queryset already
limited to what the viewer may see; they never widen it."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from partners.models import PartnerOrganization
from products.models import Product, Territory

from .models import Deal, DealState

SLA_CHOICES = [("on_time", "On time"), ("due_today", "Due today"), ("late", "Late")]


def _search(queryset, name, value):
    """Deal number (DR-000123, 000123 or 123) or part of the prospect's name or domain."""
    value = (value or "").strip()
    if not value:
        return queryset
    condition = (
        Q(company_name__icontains=value) | Q(prospect__name__icontains=value) | Q(domain__icontains=value)
    )
    digits = value.upper().removeprefix("DR-").removeprefix("DR").strip()
    if digits.isdigit():
        condition |= Q(number=int(digits))
    return queryset.filter(condition)


def _territory(queryset, name, territory):
    if not territory:
        return queryset
    return queryset.filter(country__in=[c.code for c in territory.countries])


class PartnerDealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method=_search,
        widget=forms.TextInput(attrs={"placeholder": "Deal number or prospect name", "type": "search"}),
    )
    state = django_filters.ChoiceFilter(label="State", choices=DealState.choices, empty_label="All states")

    class Meta:
        model = Deal
        fields = ["q", "state"]


class VendorChoiceFilters(django_filters.FilterSet):
    """Partner, product and territory, chosen among the vendor's own (the deal list and the queue)."""

    organization = django_filters.ModelChoiceFilter(
        label="Partner", queryset=None, empty_label="All partners"
    )
    product = django_filters.ModelChoiceFilter(
        label="Product", queryset=None, field_name="lines__product", distinct=True, empty_label="All products"
    )
    territory = django_filters.ModelChoiceFilter(
        label="Territory", queryset=None, method=_territory, empty_label="All territories"
    )

    class Meta:
        model = Deal
        fields = ["organization", "product", "territory"]

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organization"].queryset = PartnerOrganization.objects.filter(
            vendor=vendor, kind=PartnerOrganization.Kind.RESELLER
        ).order_by("name")
        self.filters["product"].queryset = Product.objects.filter(vendor=vendor).order_by("name")
        self.filters["territory"].queryset = Territory.objects.filter(vendor=vendor).order_by("code")


class VendorDealFilter(PartnerDealFilter, VendorChoiceFilters):
    """The channel manager's view of every deal of the vendor."""

    class Meta:
        model = Deal
        fields = ["q", "state", "organization", "product", "territory"]


class QueueFilter(VendorChoiceFilters):
    """Filters of the approval queue; the SLA state is applied by the view on the computed state."""

    sla = django_filters.ChoiceFilter(
        label="Review SLA", choices=SLA_CHOICES, method="filter_sla", empty_label="Any SLA state"
    )

    class Meta:
        model = Deal
        fields = ["organization", "product", "territory", "sla"]

    def filter_sla(self, queryset, name, value):
        return queryset.filter(sla_q(value)) if value else queryset


def _start_of_tomorrow(now):
    today = timezone.localtime(now).date()
    return timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))


def sla_q(value, now=None):
    """Deals in one review-SLA state: late (past due), due today, or on time (due later)."""
    now = now or timezone.now()
    tomorrow = _start_of_tomorrow(now)
    if value == "late":
        return Q(review_due_at__lt=now)
    if value == "due_today":
        return Q(review_due_at__gte=now, review_due_at__lt=tomorrow)
    return Q(review_due_at__gte=tomorrow) | Q(review_due_at__isnull=True)


def sla_state(deal, now=None) -> str:
    """Python twin of sla_q for one deal of the queue."""
    now = now or timezone.now()
    if deal.review_due_at is None or deal.review_due_at >= _start_of_tomorrow(now):
        return "on_time"
    return "late" if deal.review_due_at < now else "due_today"
