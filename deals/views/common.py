"""What the deal views share: a done action's message, the way back to the deal, the one view that
runs a deal page's button, and one change per rendered form (`once_per_key`, `run_once`). A refusal
reaches the person through portal.refusals.refused, as in every app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from portal.refusals import refused
from portal.tenancy import tenant_view

from ..errors import AlreadySubmitted, DealActionError
from ..selectors.submissions import first_result
from ..services import submissions

ALREADY_SAVED = "This was already saved; here is its result."


def submission_key(request) -> str | None:
    """The posted form's one-time key (rendered by templates/deals/_submission_key.html), if it has one."""
    return request.POST.get("submission_key", "")[:64] or None


def once_per_key(view):
    """A POST view whose form was already saved (same person, same key) shows the first one's result: it
    redirects there, saying so, instead of running again; also when the duplicate arrives simultaneously
    (`run_once` raises AlreadySubmitted once the first has committed)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = submission_key(request) if request.method == "POST" else None
        first = first_result(user=request.user, key=key) if key else None
        try:
            if first is None:
                return view(request, *args, **kwargs)
        except AlreadySubmitted as exc:
            first = exc.result_url
        messages.info(request, ALREADY_SAVED)
        return redirect(first or "/")

    return wrapped


def run_once(request, run: Callable, result_url: Callable):
    """`run()` (one service call) at most once per posted form; `result_url(result)` is where it led."""
    key = submission_key(request)
    return submissions.run_once(user=request.user, key=key, run=run, result_url=result_url)


def done(request, deal, message: str, page: str = "deal_detail"):
    messages.success(request, message)
    return redirect(page, request.vendor.slug, deal.number)


def back_to(request, deal, page: str = "deal_detail"):
    return redirect(page, request.vendor.slug, deal.number)


def form_refused(request, form) -> None:
    """A one-field form posted from a panel: its errors become the page's message (the panel is closed)."""
    messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))


def attempt(request, deal, run: Callable, done_message, *, form=None, page: str = "deal_detail", back=None):
    """Run one service call for the person: on refusal tell why, on success say what happened; either way
    go back to `page` of the deal (or `back()`). `done_message` is a sentence or result → sentence. With a
    posted one-field `form`, an invalid form is refused before anything runs. A form posted again (its
    submission key) runs once: the view is wrapped in `once_per_key`."""
    going_back = back() if back is not None else back_to(request, deal, page)
    if form is not None and not form.is_valid():
        form_refused(request, form)
        return going_back
    try:
        result = run_once(request, run, lambda _: going_back["Location"])
    except DealActionError as exc:
        refused(request, exc)
    else:
        messages.success(request, done_message(result) if callable(done_message) else done_message)
    return going_back


@dataclass(frozen=True)
class DealAction:
    """One button of a deal page: its form, the service it runs, and what the person reads when done."""

    form_class: type
    form_key: str  # the page's context name of the form, to show its errors there
    service: Callable
    done_message: Callable  # deal → sentence


def deal_action_view(
    action: DealAction, *, perm, find, page: str = "deal_detail", show_errors=None, back=None
):
    """A POST view running one service on one deal: the deal from `find(actor, number)`; an invalid form
    is shown by `show_errors(request, deal, **{form_key: form})` (the page with the form open), else as a
    message; a refusal or success returns to `page` of the deal, or to `back(request, deal)`."""

    @require_POST
    @tenant_view(perm)
    @once_per_key
    def view(request, number):
        deal = find(request.actor, number)
        form = action.form_class(request.POST)
        if show_errors is not None and not form.is_valid():
            return show_errors(request, deal, **{action.form_key: form})

        def message(result):
            # A decision returns the changed deal (its message may name the new expiry); an update itself.
            return action.done_message(result if isinstance(result, type(deal)) else deal)

        run = lambda: action.service(deal=deal, actor=request.actor, **form.cleaned_data)  # noqa: E731
        go_back = (lambda: back(request, deal)) if back is not None else None
        return attempt(request, deal, run, message, form=form, page=page, back=go_back)

    view.__name__ = view.__qualname__ = action.service.__name__
    return view


def forms_of_page(form_classes: dict, posted: dict) -> dict:
    """Every form of a page: the posted ones (with their errors) as they are, the others empty."""
    return {key: posted.get(key) or form_class() for key, form_class in form_classes.items()}
