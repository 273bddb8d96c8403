"""What every deal view shares: how a refused action reaches the person, and how a done one does.

A service refuses with DealActionError (its message is written for the person). `refused` turns it into
an error on the form that was posted (shown next to it) or, without a form, into a message on the page
the person returns to; nothing else in the views handles a refusal.
"""

from django.contrib import messages
from django.shortcuts import redirect

from ..errors import DealActionError


def refused(request, exc: DealActionError, *, form=None, prefix: str = "") -> None:
    message = f"{prefix}{exc}"
    if form is not None:
        form.add_error(None, message)
    else:
        messages.error(request, message)


def done(request, deal, message: str, page: str = "deal_detail"):
    messages.success(request, message)
    return redirect(page, request.vendor.slug, deal.number)


def back_to(request, deal, page: str = "deal_detail"):
    return redirect(page, request.vendor.slug, deal.number)
