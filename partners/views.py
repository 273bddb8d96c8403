from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.tenancy import all_memberships, set_active_membership, tenant_view

from . import selectors
from .permissions import Perm


@login_required
def home(request):
    """Where a person lands after login: straight into their only workspace, or a choice."""
    memberships = all_memberships(request.user)
    if len(memberships) == 1:
        return redirect("dashboard", vendor_slug=memberships[0].vendor.slug)
    return render(
        request,
        "partners/home.html",
        {"memberships": memberships, "open_vendors": selectors.vendors_open_for_applications()},
    )


@tenant_view(Perm.VIEW_DASHBOARD)
def dashboard(request):
    membership = request.membership
    context = {"membership": membership, "organization": membership.organization}
    if membership.is_vendor_staff:
        context["pending_applications"] = selectors.pending_applications(vendor=request.vendor)
    return render(request, "partners/dashboard.html", context)


@require_POST
@tenant_view(Perm.VIEW_DASHBOARD)
def switch_membership(request):
    """Switch to another of the user's roles at this vendor (the navbar's switcher posts here)."""
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    membership = next((m for m in request.memberships_here if m.pk == wanted), None)
    if membership is None:
        raise Http404
    set_active_membership(request, membership)
    messages.info(request, f"You are now working as {membership.get_role_display()} at {membership.place_name}.")
    return redirect("dashboard", vendor_slug=request.vendor.slug)
