"""Tenancy lives here: the vendor comes from the URL, the user's membership there decides what they see.

Every tenant model uses django-scopes' ``ScopedManager(vendor=...)``; a request under ``/v/<vendor>/``
runs inside ``scope(vendor=...)``, so a query that forgets its tenant raises instead of leaking.
Anything that must cross tenants says so with ``scopes_disabled()``.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from partners.models import Membership, Vendor
from partners.permissions import Actor, Perm, must_use_mfa, perms_for, require_perm
from partners.selectors import has_totp

SESSION_KEY = "active_membership:{vendor_id}"

# Which membership a user lands in when they hold several at one vendor.
_ROLE_PRIORITY = [
    Membership.Role.VENDOR_ADMIN,
    Membership.Role.CHANNEL_MANAGER,
    Membership.Role.PARTNER_ADMIN,
    Membership.Role.PARTNER_USER,
    Membership.Role.DISTRIBUTOR_USER,
]


def vendor_scope(vendor):
    """The scope under which one vendor's data may be read."""
    return scope(vendor=vendor)


def memberships_of(user, vendor):
    return list(
        Membership.objects.filter(user=user, vendor=vendor, is_active=True).select_related(
            "organization", "organization__tier", "vendor"
        )
    )


def choose_membership(request, vendor, memberships):
    wanted = request.session.get(SESSION_KEY.format(vendor_id=vendor.pk))
    for membership in memberships:
        if membership.pk == wanted:
            return membership
    return min(memberships, key=lambda m: _ROLE_PRIORITY.index(m.role))


def set_active_membership(request, membership):
    request.session[SESSION_KEY.format(vendor_id=membership.vendor_id)] = membership.pk


def all_memberships(user):
    """Every active membership of a user, across vendors (for the switcher)."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user, is_active=True, vendor__is_active=True)
            .select_related("vendor", "organization")
            .order_by("vendor__name", "organization__name", "role")
        )


class TenantMiddleware:
    """Resolves ``/v/<vendor_slug>/`` to a vendor and the user's membership there, or 404.

    Sets ``request.vendor``, ``request.membership`` and ``request.actor`` (the acting party that views
    hand to services); all three are None outside ``/v/``. A vendor the user does not belong to is
    indistinguishable from one that does not exist.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.vendor = None
        request.membership = None
        request.actor = None
        request.memberships_here = []
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("vendor_slug")
        if slug is None:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        vendor = Vendor.objects.filter(slug=slug, is_active=True).first()
        if vendor is None:
            raise Http404("No such vendor.")
        with vendor_scope(vendor):
            memberships = memberships_of(request.user, vendor)
            if not memberships:
                raise Http404("No such vendor.")
            request.vendor = vendor
            request.memberships_here = memberships
            request.membership = choose_membership(request, vendor, memberships)
            if must_use_mfa(request.membership) and not has_totp(request.user):
                return _set_up_mfa_first(request)
            request.actor = Actor(request.user, request.membership)
            return self.get_response(request)


def _set_up_mfa_first(request):
    messages.warning(
        request,
        "Vendor staff sign in with two-factor authentication. Set up an authenticator app to continue "
        "(you will also get recovery codes).",
    )
    return redirect("mfa_activate_totp")


def tenant_view(perm: Perm = Perm.VIEW_DASHBOARD):
    """Decorator for views under /v/<vendor_slug>/: drops the slug and checks one perm (403 if missing)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, vendor_slug, **kwargs):
            require_perm(request.membership, perm)
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm
        return wrapped

    return decorator


def tenant_context(request):
    membership = getattr(request, "membership", None)
    return {
        "current_vendor": getattr(request, "vendor", None),
        "current_membership": membership,
        "perms_here": perms_for(membership),
        "switchable_memberships": all_memberships(request.user) if hasattr(request, "user") else [],
    }
