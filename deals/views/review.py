"""The channel manager's review page and decisions: approve, reject, ask for information, revoke."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partners.permissions import Perm
from portal.tenancy import tenant_view

from .. import access
from ..errors import DealActionError
from ..forms.decisions import ApproveForm, RejectForm, RequestInfoForm, RevokeForm
from ..selectors.detail import review_page
from ..services import review
from .common import back_to, done, refused
from .detail import page_forms


def _page(request, deal, *, status=200, **forms):
    context = review_page(
        deal=deal, actor=request.actor, language_code=getattr(request, "LANGUAGE_CODE", "en-us")
    )
    decision_forms = {
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "request_info_form": forms.get("request_info_form") or RequestInfoForm(),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
    }
    return render(request, "deals/review.html", {**context, **page_forms(), **decision_forms}, status=status)


@tenant_view(Perm.REVIEW_DEALS)
def deal_review(request, number):
    return _page(request, access.deal_for(request.actor, number))


def _decide(request, number, form_class, form_key, action, done_message):
    deal = access.deal_for(request.actor, number)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "Please correct the form below.")
        return _page(request, deal, status=400, **{form_key: form})
    try:
        deal = action(deal=deal, actor=request.actor, **form.cleaned_data)
    except DealActionError as exc:
        refused(request, exc)
        return back_to(request, deal, "deal_review")
    return done(request, deal, done_message(deal), page="deal_review")


@require_POST
@tenant_view(Perm.REVIEW_DEALS)
def deal_approve(request, number):
    return _decide(
        request,
        number,
        ApproveForm,
        "approve_form",
        review.deal_approve,
        lambda d: (
            f"{d.deal_number} was approved; protected until {timezone.localtime(d.expires_at):%d %b %Y}."
        ),
    )


@require_POST
@tenant_view(Perm.REVIEW_DEALS)
def deal_reject(request, number):
    return _decide(
        request,
        number,
        RejectForm,
        "reject_form",
        review.deal_reject,
        lambda d: f"{d.deal_number} was rejected.",
    )


@require_POST
@tenant_view(Perm.REVIEW_DEALS)
def deal_request_info(request, number):
    return _decide(
        request,
        number,
        RequestInfoForm,
        "request_info_form",
        review.deal_request_info,
        lambda d: f"{d.deal_number} was returned to the partner for more information.",
    )


@require_POST
@tenant_view(Perm.REVIEW_DEALS)
def deal_revoke(request, number):
    return _decide(
        request,
        number,
        RevokeForm,
        "revoke_form",
        review.deal_revoke,
        lambda d: f"{d.deal_number} was revoked.",
    )
