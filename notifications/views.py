"""A person's inbox and email preferences. Notifications belong to the person, across vendors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.pagination import paginate

from . import selectors, services
from .forms import PreferencesForm


def _redirect_on_this_host(request, url):
    """Follow `url` only if it stays on this site: a crafted link must not turn the portal into a springboard
    to a look-alike login page. Anything else goes to the inbox."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("notification_inbox")


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    notifications = selectors.inbox(user=request.user, unread_only=unread_only)
    page, query = paginate(request, notifications)
    context = {"page": page, "notifications": page.object_list, "unread_only": unread_only, "query": query}
    return render(request, "notifications/inbox.html", context)


@require_POST
@login_required
def open_notification(request, notification_id):
    """Mark it read and go where it points."""
    notification = selectors.notification_of(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404("No such notification.")
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    return _redirect_on_this_host(request, notification.url)


@require_POST
@login_required
def mark_read(request, notification_id):
    if not services.notification_mark_read(user=request.user, notification_id=notification_id):
        raise Http404("No such notification.")
    if request.htmx:
        return render(
            request,
            "notifications/_row.html",
            {"notification": selectors.notification_of(user=request.user, notification_id=notification_id)},
        )
    return _redirect_on_this_host(request, request.POST.get("next"))


@require_POST
@login_required
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notification_inbox")


@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_save(user=request.user, email_on=set(form.cleaned_data["email_on"]))
            messages.success(request, "Your email preferences were saved.")
            return redirect("notification_preferences")
    else:
        on = [event.key for event, wanted in selectors.email_preferences(user=request.user) if wanted]
        form = PreferencesForm(initial={"email_on": on})
    status = 400 if form.is_bound else 200  # a valid POST has redirected above
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
