"""Filters of the deal lists and the approval queue (django-filter). They narrow a queryset already
limited to what the viewer may see; they never widen it."""

import django_filters
from django import forms

from partners.models import PartnerOrganization
from products.models import Product, Territory

from ..models import Deal, DealState
from ..selectors.lists import SLA_LABELS, search_deals


def _search(queryset, name, value):
    return search_deals(queryset, value)


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
    """Filters of the approval queue; the queue's selector annotates each deal with its SLA state."""

    sla = django_filters.ChoiceFilter(
        label="Review SLA", choices=list(SLA_LABELS.items()), empty_label="Any SLA state"
    )

    class Meta:
        model = Deal
        fields = ["organization", "product", "territory", "sla"]
