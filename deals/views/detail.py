"""The deal page and what its registrant does there: progress updates, marking lost, files."""

from functools import partial

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render

from partners.permissions import Perm
from portal.tenancy import tenant_view

from .. import access
from ..forms.decisions import AttachmentForm, LoseForm, ProgressUpdateForm, WithdrawForm
from ..forms.lifecycle import ExtensionRequestForm
from ..forms.registration import attachment_help
from ..models import DealAttachment
from ..selectors.detail import deal_page
from ..services import lifecycle, registration
from .common import DealAction, deal_action_view, forms_of_page

# The forms of the deal page's actions (the extension request's is in its panel).
PAGE_FORMS = {
    "withdraw_form": WithdrawForm,
    "lose_form": LoseForm,
    "update_form": ProgressUpdateForm,
    "attachment_form": AttachmentForm,
    "extension_request_form": ExtensionRequestForm,
}


def render_deal_page(
    request, deal, *, selector=deal_page, template="deals/detail.html", forms=PAGE_FORMS, status=200, **posted
):
    """The deal page (or the review page: `selector`, `template` and its `forms`) with the posted forms."""
    language_code = getattr(request, "LANGUAGE_CODE", "en-us")
    context = selector(deal=deal, actor=request.actor, language_code=language_code)
    page_forms = forms_of_page({**PAGE_FORMS, **forms}, posted)
    context = {**context, **page_forms, "attachment_help": attachment_help()}
    return render(request, template, context, status=status)


def detail_with_errors(request, deal, **forms):
    messages.error(request, "Please correct the form below.")
    return render_deal_page(request, deal, status=400, **forms)


@tenant_view(Perm.VIEW_DASHBOARD)
def deal_detail(request, number):
    return render_deal_page(request, access.deal_for(request.actor, number))


# The registering partner's buttons on the deal page; a form's errors show there, with the form open.
registrant_action = partial(
    deal_action_view,
    perm=Perm.REGISTER_DEALS,
    find=access.registrant_deal_for,
    show_errors=detail_with_errors,
)
deal_withdraw = registrant_action(
    DealAction(
        WithdrawForm, "withdraw_form", registration.deal_withdraw, lambda d: f"{d.deal_number} was withdrawn."
    )
)
deal_lose = registrant_action(
    DealAction(LoseForm, "lose_form", lifecycle.deal_lose, lambda d: f"{d.deal_number} was marked lost.")
)
deal_post_update = registrant_action(
    DealAction(
        ProgressUpdateForm,
        "update_form",
        lifecycle.deal_post_update,
        lambda d: "Your progress update was posted.",
    )
)


@tenant_view(Perm.VIEW_DASHBOARD)
def attachment_download(request, number, attachment_id):
    deal = access.deal_for(request.actor, number)
    attachment = get_object_or_404(DealAttachment, deal=deal, pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
