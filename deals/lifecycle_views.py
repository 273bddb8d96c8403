"""Pages of the registration lifecycle: extension requests and decisions, expiring registrations."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from partners.permissions import Actor, Perm
from portal.tenancy import tenant_view

from . import lifecycle, services
from .errors import DealActionError
from .lifecycle_forms import ExtensionDecisionForm, ExtensionRequestForm
from .models import Deal, ExtensionRequest
from .views import deal_for, visible_deals


def _back(request, deal, fallback="deal_detail"):
    """Back to where the form was (a list page passes `next`), else the deal page's extension panel."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse(fallback, args=[request.vendor.slug, deal.number]) + "#extension-panel")


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def extension_request(request, number):
    deal = deal_for(request, number)
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return _back(request, deal)
    try:
        services.deal_request_extension(
            deal=deal, actor=Actor.from_request(request), reason=form.cleaned_data["reason"]
        )
    except DealActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Your extension request for {deal.deal_number} was sent to the channel managers."
        )
    return _back(request, deal)


@require_POST
@tenant_view(Perm.REVIEW_DEALS)
def extension_decide(request, number, request_id):
    deal = deal_for(request, number)
    extension = ExtensionRequest.objects.filter(deal=deal, pk=request_id).first()
    if extension is None:
        raise Http404("No such extension request.")
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, deal, "deal_review")
    grant = form.cleaned_data["decision"] == "grant"
    try:
        services.deal_decide_extension(
            extension_request=extension,
            actor=Actor.from_request(request),
            grant=grant,
            note=form.cleaned_data["note"],
        )
    except DealActionError as exc:
        messages.error(request, str(exc))
    else:
        expires_at = Deal.objects.values_list("expires_at", flat=True).get(pk=deal.pk)
        messages.success(
            request,
            f"{deal.deal_number} extended until {expires_at:%-d %b %Y}."
            if grant
            else f"The extension of {deal.deal_number} was declined; the partner was told why.",
        )
    return _back(request, deal, "deal_review")


@tenant_view(Perm.REVIEW_DEALS)
def extension_requests(request):
    pending = list(lifecycle.pending_extension_requests(vendor=request.vendor))
    rows = [(r, lifecycle.deal_clocks(r.deal)) for r in pending]
    return render(request, "deals/lifecycle/extension_requests.html", {"rows": rows})


@tenant_view(Perm.VIEW_DASHBOARD)
def expiring_deals(request):
    deals = list(lifecycle.expiring_soon(visible_deals(request)))
    rows = [(deal, lifecycle.deal_clocks(deal)) for deal in deals]
    return render(
        request,
        "deals/lifecycle/expiring.html",
        {"rows": rows, "within_days": lifecycle.EXPIRING_WITHIN_DAYS},
    )
