"""The registration form (new, edit, live checklist, domain check), submission, withdrawal and files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partners.permissions import Perm
from portal.refusals import refused
from portal.tenancy import tenant_view

from .. import access
from ..domains import normalize_domain
from ..errors import DealActionError, DealRulesFailed
from ..forms.decisions import AttachmentForm
from ..forms.registration import KnownProspectNameForm, RegistrationForms
from ..models import EDITABLE_STATES, DealAttachment
from ..models.deal import DISTRIBUTION_FIELDS
from ..policy import rules
from ..selectors.lists import prospect_by_domain
from ..services import registration
from .common import attempt, back_to, done, once_per_key, run_once
from .detail import detail_with_errors


def _forms(request, deal=None, data=None, files=None) -> RegistrationForms:
    return RegistrationForms(
        actor=request.actor,
        vendor=request.vendor,
        deal=deal,
        data=data,
        files=files,
        language_code=getattr(request, "LANGUAGE_CODE", "en-us"),
    )


def _form_page(request, forms: RegistrationForms, *, status=200, rule_failures=()):
    deal = forms.deal
    candidate = forms.candidate()
    return render(
        request,
        "deals/form.html",
        {
            "deal": deal,
            "form": forms.form,
            "lines": forms.lines,
            "cosell": forms.cosell,
            "domain_check": forms.domain_check(),
            "sections": forms.sections(),
            "distribution_fields": forms.form.field_group(DISTRIBUTION_FIELDS),
            # The conflict rule in the checklist carries the conflict notice (that one exists, never whose).
            "checklist": rules.evaluate_for(request.actor, candidate) if candidate is not None else None,
            "rule_failures": rule_failures,
            "checklist_url": reverse("deal_checklist_edit", args=[request.vendor.slug, deal.number])
            if deal
            else reverse("deal_checklist", args=[request.vendor.slug]),
        },
        status=status,
    )


def deal_path(request, deal) -> str:
    return reverse("deal_detail", args=[request.vendor.slug, deal.number])


def _deal_form_view(request, deal=None):
    if deal is not None and deal.state not in EDITABLE_STATES:
        messages.error(
            request, f"{deal.deal_number} is {deal.get_state_display().lower()}; it can no longer be edited."
        )
        return back_to(request, deal)
    if request.method != "POST":
        return _form_page(request, _forms(request, deal))
    return _save_posted_form(request, deal)


def _save_posted_form(request, deal=None):
    forms = _forms(request, deal, data=request.POST, files=request.FILES)
    submitting = request.POST.get("intent") == "submit"
    if not forms.is_valid(submitting=submitting):
        not_saved = "Nothing was saved yet" if deal is None else "Your changes were not saved"
        messages.error(request, f"{not_saved}: please correct the fields marked below.")
        return _form_page(request, forms, status=400)
    register = lambda: registration.deal_register(  # noqa: E731
        actor=request.actor, deal=deal, submit=submitting, **forms.registration()
    )
    try:  # saving and submitting are one transaction: when a rule refuses, nothing is saved at all
        saved = run_once(request, register, lambda saved: deal_path(request, saved))
    except DealRulesFailed as exc:
        messages.error(request, "Nothing was saved: this deal does not qualify for the program yet. "
                       "Correct the points listed below, or save it as a draft.")  # fmt: skip
        return _form_page(request, forms, status=400, rule_failures=exc.checklist.failures)
    except DealActionError as exc:
        refused(request, exc, prefix="Nothing was saved: " if submitting else "")
        return _form_page(request, forms, status=409)
    if not submitting:
        return done(request, saved, f"Draft {saved.deal_number} saved. Submit it when it is complete.")
    days = request.vendor.program.review_sla_business_days
    return done(
        request,
        saved,
        f"{saved.deal_number} was submitted for review. A channel manager decides within {days} business "
        "days.",
    )


@tenant_view(Perm.REGISTER_DEALS)
@once_per_key
def deal_create(request):
    return _deal_form_view(request)


@tenant_view(Perm.REGISTER_DEALS)
@once_per_key
def deal_edit(request, number):
    return _deal_form_view(request, access.registrant_deal_for(request.actor, number))


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def deal_checklist(request, number=None):
    """htmx: the checklist panel for the form as it is filled in."""
    deal = access.registrant_deal_for(request.actor, number) if number is not None else None
    candidate = _forms(request, deal, data=request.POST).candidate()
    return render(
        request, "deals/_checklist_panel.html", {"checklist": rules.evaluate_for(request.actor, candidate)}
    )


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def verify_domain(request):
    """htmx: normalise the domain and say whether the prospect exists or will be created."""
    raw = request.POST.get("domain", "")
    context = {"value": raw, "field_name": "domain"}
    try:
        domain = normalize_domain(raw)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
    else:
        prospect = prospect_by_domain(vendor=request.vendor, domain=domain)
        context.update(value=domain, verified=True, prospect=prospect)
        if prospect is not None:
            context["company_name"] = KnownProspectNameForm(initial={"company_name": prospect.name})[
                "company_name"
            ]
    return render(request, "deals/_domain_check.html", context)


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
@once_per_key
def deal_submit(request, number):
    deal = access.registrant_deal_for(request.actor, number)
    try:
        submit = lambda: registration.deal_submit(deal=deal, actor=request.actor)  # noqa: E731
        deal = run_once(request, submit, lambda submitted: deal_path(request, submitted))
    except DealRulesFailed as exc:
        reasons = " ".join(f"{v.rule}: {v.reason}" for v in exc.checklist.failures)
        messages.error(request, f"{deal.deal_number} was not submitted. {reasons}")
        return back_to(request, deal)
    except DealActionError as exc:
        refused(request, exc)
        return back_to(request, deal)
    return done(request, deal, f"{deal.deal_number} was submitted for review.")


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
@once_per_key
def deal_add_attachments(request, number):
    deal = access.registrant_deal_for(request.actor, number)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return detail_with_errors(request, deal, attachment_form=form)
    uploads = form.cleaned_data["attachments"]
    return attempt(
        request,
        deal,
        lambda: registration.deal_add_attachments(deal=deal, actor=request.actor, uploads=uploads),
        f"{len(uploads)} attachment{'s' if len(uploads) != 1 else ''} added.",
    )


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
@once_per_key
def deal_remove_attachment(request, number, attachment_id):
    deal = access.registrant_deal_for(request.actor, number)
    attachment = get_object_or_404(DealAttachment, deal=deal, pk=attachment_id)
    return attempt(
        request,
        deal,
        lambda: registration.deal_remove_attachment(deal=deal, actor=request.actor, attachment=attachment),
        f"“{attachment.original_name}” was removed.",
    )
