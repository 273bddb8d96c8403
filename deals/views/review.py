"""The channel manager's review page and decisions: approve, reject, ask for information, revoke."""

from functools import partial

from django.contrib import messages
from django.utils import timezone
from django.utils.html import format_html

from partners.permissions import Perm
from portal.tenancy import tenant_view

from .. import access
from ..forms.decisions import ApproveForm, RejectForm, RequestInfoForm, RevokeForm
from ..selectors.detail import review_page
from ..services import review
from .common import DealAction, deal_action_view
from .detail import render_deal_page

DECISION_FORMS = {
    "approve_form": ApproveForm,
    "reject_form": RejectForm,
    "request_info_form": RequestInfoForm,
    "revoke_form": RevokeForm,
}


def _page(request, deal, *, status=200, **posted):
    return render_deal_page(
        request,
        deal,
        selector=review_page,
        template="deals/review.html",
        forms=DECISION_FORMS,
        status=status,
        **posted,
    )


@tenant_view(Perm.REVIEW_DEALS)
def deal_review(request, number):
    return _page(request, access.deal_for(request.actor, number))


def _with_errors(request, deal, **forms):
    # The decision's form is folded far down the page: the message at the top says what is wrong and
    # links to the (now open) form. Rendered in this response, so the safe markup survives.
    [form] = forms.values()
    errors = " ".join(error for field_errors in form.errors.values() for error in field_errors)
    link = format_html(
        '<a href="#decision-{}" class="alert-link">Correct it in the open form</a>', form.prefix
    )
    messages.error(request, format_html("Not sent: {} {}.", errors, link))
    return _page(request, deal, status=400, **forms)


def _protected_until(deal) -> str:
    return f"{deal.deal_number} was approved; protected until {timezone.localtime(deal.expires_at):%d %b %Y}."


# The channel manager's decisions; a form's errors show on the review page, with the form open.
decision = partial(
    deal_action_view,
    perm=Perm.REVIEW_DEALS,
    find=access.deal_for,
    show_errors=_with_errors,
    page="deal_review",
)
deal_approve = decision(DealAction(ApproveForm, "approve_form", review.deal_approve, _protected_until))
deal_reject = decision(
    DealAction(RejectForm, "reject_form", review.deal_reject, lambda d: f"{d.deal_number} was rejected.")
)
deal_request_info = decision(
    DealAction(
        RequestInfoForm,
        "request_info_form",
        review.deal_request_info,
        lambda d: f"{d.deal_number} was returned to the partner for more information.",
    )
)
deal_revoke = decision(
    DealAction(RevokeForm, "revoke_form", review.deal_revoke, lambda d: f"{d.deal_number} was revoked.")
)
