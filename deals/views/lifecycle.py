"""Extension requests: the partner asks for more time, a channel manager grants or declines."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from partners.permissions import Perm
from portal.tenancy import tenant_view

from .. import access
from ..forms.lifecycle import ExtensionDecisionForm, ExtensionRequestForm
from ..models import ExtensionRequest
from ..services import lifecycle, review
from .common import DealAction, attempt, deal_action_view, once_per_key


def _back(request, deal, fallback="deal_detail"):
    """Back to where the form was (a list page passes `next`), else the deal page's extension panel."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse(fallback, args=[request.vendor.slug, deal.number]) + "#extension-panel")


extension_request = deal_action_view(
    DealAction(
        ExtensionRequestForm,
        "extension_request_form",
        lifecycle.deal_request_extension,
        lambda deal: f"Your extension request for {deal.deal_number} was sent to the channel managers.",
    ),
    perm=Perm.REGISTER_DEALS,
    # The registering partner asks, as for every change of the deal: a distributor who sees it gets 403.
    find=access.registrant_deal_for,
    back=_back,
)


@require_POST
@tenant_view(Perm.REVIEW_DEALS)
@once_per_key
def extension_decide(request, number, request_id):
    deal = access.deal_for(request.actor, number)
    extension = ExtensionRequest.objects.filter(deal=deal, pk=request_id).first()
    if extension is None:
        raise Http404("No such extension request.")
    form = ExtensionDecisionForm(request.POST)

    def decide():
        grant, note = form.cleaned_data["decision"] == "grant", form.cleaned_data["note"]
        return review.deal_decide_extension(
            extension_request=extension, actor=request.actor, grant=grant, note=note
        )

    def decided_message(decided) -> str:
        if decided.decision == ExtensionRequest.Decision.GRANTED:
            return f"{deal.deal_number} extended until {decided.deal.expires_at:%-d %b %Y}."
        return f"The extension of {deal.deal_number} was declined; the partner was told why."

    return attempt(
        request, deal, decide, decided_message, form=form, back=lambda: _back(request, deal, "deal_review")
    )
