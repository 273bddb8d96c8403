"""Quote pages and downloads, further quotes, and the order actions (start with a PO number, submit).

The deal comes from deals.access.deal_for (404 for what the viewer may not see, so a distributor never
reaches a deal not routed to it, or one hidden from it before approval); input is validated by a form;
one service decides; a refusal is a message.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partners.permissions import Perm
from portal.refusals import refused
from portal.tenancy import tenant_view

from .. import access, documents
from ..errors import DealActionError
from ..forms.quotes import QuoteNoteForm, StartOrderForm
from ..forms.registration import line_formset
from ..policy.actions import may_issue_quote
from ..selectors.quotes import quote_of, quote_summary
from ..services import orders, quotes
from .common import DealAction, attempt, back_to, deal_action_view, once_per_key, run_once


def _quote_context(request, deal, quote):
    actor = request.actor
    return {
        "deal": deal,
        "quote": quote,
        "summary": quote_summary(quote),
        "lines": documents.display_lines(quote),
        "is_current": quotes.current_quote(deal) == quote,
        "may_issue_quote": may_issue_quote(actor, deal),
    }


@tenant_view(Perm.VIEW_DASHBOARD)
def quote_detail(request, number, sequence):
    deal = access.deal_for(request.actor, number)
    quote = quote_of(deal, sequence)
    return render(request, "deals/quotes/detail.html", _quote_context(request, deal, quote))


def _quote_download(request, number, sequence, document, content_type, extension):
    quote = quote_of(access.deal_for(request.actor, number), sequence)
    response = HttpResponse(document(quote), content_type=content_type)
    filename = documents.quote_filename(quote, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@tenant_view(Perm.VIEW_DASHBOARD)
def quote_pdf(request, number, sequence):
    return _quote_download(request, number, sequence, documents.quote_pdf, "application/pdf", "pdf")


@tenant_view(Perm.VIEW_DASHBOARD)
def quote_csv(request, number, sequence):
    return _quote_download(request, number, sequence, documents.quote_csv, "text/csv; charset=utf-8", "csv")


def _quote_path(request, deal, quote) -> str:
    return reverse("quote_detail", args=[request.vendor.slug, deal.number, quote.sequence])


def _new_quote_page(request, deal, lines, form, status=200):
    context = {"deal": deal, "lines": lines, "form": form, "current": quotes.current_quote(deal)}
    return render(request, "deals/quotes/new.html", context, status=status)


@tenant_view(Perm.VIEW_DASHBOARD)
@once_per_key
def quote_new(request, number):
    """A further quote with changed quantities or products, while the deal is protected."""
    actor = request.actor
    deal = access.deal_for(actor, number)
    if not may_issue_quote(actor, deal):
        messages.error(request, f"No new quote can be issued for {deal.deal_number} now: quotes are issued "
                       "while the registration is protected and before its order starts, by its partner, its "
                       "distributor or a channel manager.")  # fmt: skip
        return back_to(request, deal)
    if request.method != "POST":
        current = quotes.current_quote(deal)
        lines = line_formset(vendor=request.vendor, lines=(current or deal).lines.all())
        return _new_quote_page(request, deal, lines, QuoteNoteForm())
    lines, form = line_formset(vendor=request.vendor, data=request.POST), QuoteNoteForm(request.POST)
    if not (lines.is_valid() & form.is_valid()):
        messages.error(request, "No quote was issued: please correct the lines below.")
        return _new_quote_page(request, deal, lines, form, status=400)
    issue = lambda: quotes.issue_quote(  # noqa: E731
        deal=deal, lines=lines.line_inputs(), actor=actor, note=form.cleaned_data["note"]
    )
    try:
        quote = run_once(request, issue, lambda issued: _quote_path(request, deal, issued))
    except DealActionError as exc:
        refused(request, exc, prefix="No quote was issued: ")
        return _new_quote_page(request, deal, lines, form, status=400)
    messages.success(request, f"Quote {quote.number} was issued.")
    return redirect("quote_detail", request.vendor.slug, deal.number, quote.sequence)


order_start = deal_action_view(
    DealAction(
        StartOrderForm,
        "start_order_form",
        orders.deal_start_order,
        lambda deal: (
            f"The order of {deal.deal_number} was started with PO {deal.po_number}. Submit it once "
            "the customer has confirmed."
        ),
    ),
    perm=Perm.PLACE_ORDERS,
    find=access.deal_for,
)


def _order_submitted(result) -> str:
    won, renewal = result
    opened = "approved" if renewal.approved_at else "as a draft"
    return (
        f"The order was submitted: {won.deal_number} is won. Its renewal registration {renewal.deal_number} "
        f"was opened {opened}."
    )


@require_POST
@tenant_view(Perm.PLACE_ORDERS)
@once_per_key
def order_submit(request, number):
    deal = access.deal_for(request.actor, number)
    return attempt(
        request, deal, lambda: orders.deal_submit_order(deal=deal, actor=request.actor), _order_submitted
    )
