"""The deal page and what its registrant does there: progress updates, marking lost, files."""

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
from .common import DealAction, deal_action_view


def page_forms(**forms) -> dict:
    """The forms of the deal page's actions: the ones posted with errors, the others empty."""
    return {
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "lose_form": forms.get("lose_form") or LoseForm(),
        "update_form": forms.get("update_form") or ProgressUpdateForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "extension_request_form": ExtensionRequestForm(),
        "attachment_help": attachment_help(),
    }


def render_deal_page(request, deal, selector, template: str, *, status=200, **forms):
    """The deal page (or the review page: `selector` reads it) with its forms, the posted ones first."""
    language_code = getattr(request, "LANGUAGE_CODE", "en-us")
    context = selector(deal=deal, actor=request.actor, language_code=language_code)
    return render(request, template, {**context, **page_forms(**forms), **forms}, status=status)


def _page(request, deal, *, status=200, **forms):
    return render_deal_page(request, deal, deal_page, "deals/detail.html", status=status, **forms)


def detail_with_errors(request, deal, **forms):
    messages.error(request, "Please correct the form below.")
    return _page(request, deal, status=400, **forms)


@tenant_view(Perm.VIEW_DASHBOARD)
def deal_detail(request, number):
    return _page(request, access.deal_for(request.actor, number))


def _registrant_action(form_class, form_key: str, service, done_message):
    action = DealAction(form_class, form_key, service, done_message)
    return deal_action_view(
        action,
        perm=Perm.REGISTER_DEALS,
        find=access.registrant_deal_for,
        show_errors=detail_with_errors,
        page="deal_detail",
    )


deal_withdraw = _registrant_action(
    WithdrawForm, "withdraw_form", registration.deal_withdraw, lambda d: f"{d.deal_number} was withdrawn."
)
deal_lose = _registrant_action(
    LoseForm, "lose_form", lifecycle.deal_lose, lambda d: f"{d.deal_number} was marked lost."
)
deal_post_update = _registrant_action(
    ProgressUpdateForm,
    "update_form",
    lifecycle.deal_post_update,
    lambda d: "Your progress update was posted.",
)


@tenant_view(Perm.VIEW_DASHBOARD)
def attachment_download(request, number, attachment_id):
    deal = access.deal_for(request.actor, number)
    attachment = get_object_or_404(DealAttachment, deal=deal, pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
