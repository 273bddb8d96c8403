"""Quote pages and downloads, further quotes, and the order actions (start with a PO number, submit).

Thin like deals.views: the deal comes from `deal_for` (404 for what the viewer may not see, so a
distributor never reaches a deal not routed to it, or one hidden from it before approval); input is
validated by a form; one service decides; a refusal is a message.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from partners.permissions import Actor, Perm
from portal.tenancy import tenant_view

from . import orders, quote_documents, quotes
from .errors import DealActionError
from .forms import DealLineFormSet
from .quote_forms import QuoteNoteForm, StartOrderForm
from .quote_selectors import quote_of, quote_summary
from .views import deal_for


def _quote_context(request, deal, quote):
    actor = Actor.from_request(request)
    return {
        "deal": deal,
        "quote": quote,
        "summary": quote_summary(quote),
        "lines": quote_documents.display_lines(quote),
        "is_current": quotes.current_quote(deal) == quote,
        "may_issue_quote": deal.state in quotes.QUOTABLE_STATES and actor.may_quote(deal),
    }


@tenant_view(Perm.VIEW_DASHBOARD)
def quote_detail(request, number, sequence):
    deal = deal_for(request, number)
    quote = quote_of(deal, sequence)
    return render(request, "deals/quotes/detail.html", _quote_context(request, deal, quote))


def _quote_download(request, number, sequence, document, content_type, extension):
    quote = quote_of(deal_for(request, number), sequence)
    response = HttpResponse(document(quote), content_type=content_type)
    filename = quote_documents.quote_filename(quote, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@tenant_view(Perm.VIEW_DASHBOARD)
def quote_pdf(request, number, sequence):
    return _quote_download(request, number, sequence, quote_documents.quote_pdf, "application/pdf", "pdf")


@tenant_view(Perm.VIEW_DASHBOARD)
def quote_csv(request, number, sequence):
    return _quote_download(
        request, number, sequence, quote_documents.quote_csv, "text/csv; charset=utf-8", "csv"
    )


def _quote_lines(request, deal, data=None):
    from products.models import Product

    products = Product.objects.filter(vendor=request.vendor, is_active=True).order_by("family", "name")
    current = quotes.current_quote(deal)
    source = current.lines.all() if current else deal.lines.all()
    initial = [{"product": line.product, "quantity": line.quantity} for line in source] or [{}]
    return DealLineFormSet(data=data, initial=None if data else initial, prefix="lines", products=products)


@tenant_view(Perm.VIEW_DASHBOARD)
def quote_new(request, number):
    """A further quote with changed quantities or products, while the deal is protected."""
    deal = deal_for(request, number)
    actor = Actor.from_request(request)
    if not (deal.state in quotes.QUOTABLE_STATES and actor.may_quote(deal)):
        messages.error(
            request,
            f"No new quote can be issued for {deal.deal_number} now: quotes are issued while the "
            "registration is protected and before its order starts, by its partner, its distributor "
            "or a channel manager.",
        )
        return redirect("deal_detail", request.vendor.slug, deal.number)
    if request.method == "POST":
        lines = _quote_lines(request, deal, data=request.POST)
        form = QuoteNoteForm(request.POST)
        if lines.is_valid() & form.is_valid():
            inputs = [quotes.QuoteLineInput(li.product, li.quantity) for li in lines.line_inputs()]
            try:
                quote = quotes.issue_quote(
                    deal=deal, lines=inputs, actor=actor, note=form.cleaned_data["note"]
                )
            except DealActionError as exc:
                messages.error(request, f"No quote was issued: {exc}")
            else:
                messages.success(request, f"Quote {quote.number} was issued.")
                return redirect("quote_detail", request.vendor.slug, deal.number, quote.sequence)
        else:
            messages.error(request, "No quote was issued: please correct the lines below.")
        status = 400
    else:
        lines, form, status = _quote_lines(request, deal), QuoteNoteForm(), 200
    return render(
        request,
        "deals/quotes/new.html",
        {"deal": deal, "lines": lines, "form": form, "current": quotes.current_quote(deal)},
        status=status,
    )


@require_POST
@tenant_view(Perm.PLACE_ORDERS)
def order_start(request, number):
    deal = deal_for(request, number)
    form = StartOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["po_number"]))
        return redirect("deal_detail", request.vendor.slug, deal.number)
    try:
        deal = orders.order_start(
            deal=deal, actor=Actor.from_request(request), po_number=form.cleaned_data["po_number"]
        )
    except DealActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The order of {deal.deal_number} was started with PO {deal.po_number}. Submit it once the "
            "customer has confirmed.",
        )
    return redirect("deal_detail", request.vendor.slug, deal.number)


@require_POST
@tenant_view(Perm.PLACE_ORDERS)
def order_submit(request, number):
    deal = deal_for(request, number)
    try:
        won, renewal = orders.order_submit(deal=deal, actor=Actor.from_request(request))
    except DealActionError as exc:
        messages.error(request, str(exc))
        return redirect("deal_detail", request.vendor.slug, deal.number)
    opened = "approved" if renewal.approved_at else "as a draft"
    messages.success(
        request,
        f"The order was submitted: {won.deal_number} is won. Its renewal registration "
        f"{renewal.deal_number} was opened {opened}.",
    )
    return redirect("deal_detail", request.vendor.slug, won.number)
