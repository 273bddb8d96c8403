"""The deal lists: every deal the viewer may see, the approval queue, expiring registrations and the
extension requests waiting for a decision."""

from django.shortcuts import render

from partners.permissions import Perm, has_perm
from portal.pagination import paginate
from portal.tenancy import tenant_view

from .. import access
from ..forms.filters import PartnerDealFilter, QueueFilter, VendorDealFilter
from ..selectors import lifecycle
from ..selectors.lists import deal_list, review_queue


@tenant_view(Perm.VIEW_DASHBOARD)
def deal_list_page(request):
    """Partners: their organisation's (or their own) deals. Vendor staff: every deal of the vendor."""
    is_staff = has_perm(request.membership, Perm.VIEW_VENDOR_DEALS)
    deals = deal_list(actor=request.actor)
    if is_staff:
        filters = VendorDealFilter(request.GET or None, queryset=deals, vendor=request.vendor)
    else:
        filters = PartnerDealFilter(request.GET or None, queryset=deals)
    page, query = paginate(request, filters.qs)
    organization = request.membership.organization
    context = {
        "filters": filters,
        "page": page,
        "query": query,
        "is_staff": is_staff,
        # Distributors also see whose deal it is: the reseller that routed it through them.
        "show_partner": is_staff or bool(organization and organization.is_distributor),
        "may_register": has_perm(request.membership, Perm.REGISTER_DEALS),
    }
    return render(request, "deals/list.html", context)


@tenant_view(Perm.REVIEW_DEALS)
def review_queue_page(request):
    """Submitted registrations waiting for a decision, oldest first, with their review SLA."""
    filters = QueueFilter(
        request.GET or None, queryset=review_queue(vendor=request.vendor), vendor=request.vendor
    )
    page, query = paginate(request, filters.qs)
    context = {
        "filters": filters,
        "page": page,
        "query": query,
        "sla_days": request.vendor.program.review_sla_business_days,
    }
    return render(request, "deals/queue.html", context)


@tenant_view(Perm.REVIEW_DEALS)
def extension_requests(request):
    pending = lifecycle.pending_extension_requests(vendor=request.vendor)
    rows = [(r, lifecycle.deal_clocks(r.deal)) for r in pending]
    return render(request, "deals/lifecycle/extension_requests.html", {"rows": rows})


@tenant_view(Perm.VIEW_DASHBOARD)
def expiring_deals(request):
    deals = lifecycle.expiring_soon(access.visible_deals(request.actor))
    rows = [(deal, lifecycle.deal_clocks(deal)) for deal in deals]
    context = {"rows": rows, "within_days": lifecycle.EXPIRING_WITHIN_DAYS}
    return render(request, "deals/lifecycle/expiring.html", context)
