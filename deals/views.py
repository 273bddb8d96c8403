"""Deal pages: the registration form, lists, the deal page, the approval queue and the review page.

Views are thin: they find the deal through `deal_for` (404 for what the viewer may not see), validate
input with a form, call one service and show its message. A refused action is a message, never a 500.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import DateField
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from partners.permissions import Actor, Perm, deal_visibility_q, has_perm
from portal.tenancy import tenant_view

from . import conflicts, participants, rules, services
from .errors import DealActionError, DealRulesFailed
from .filters import PartnerDealFilter, QueueFilter, VendorDealFilter, sla_state
from .forms import (
    COMPANY_FIELDS,
    DEPLOYMENT_FIELDS,
    DISTRIBUTION_FIELDS,
    END_USER_FIELDS,
    OPPORTUNITY_FIELDS,
    PARTNER_FIELDS,
    QUALIFICATION_FIELDS,
    ApproveForm,
    AttachmentForm,
    DealForm,
    LoseForm,
    ProgressUpdateForm,
    RejectForm,
    RequestInfoForm,
    RevokeForm,
    WithdrawForm,
    attachment_help,
    line_formset,
)
from .models import (
    OPEN_FOR_REVIEW,
    Deal,
    DealAttachment,
    DealLine,
    DealState,
    Prospect,
    RejectionReason,
    RevocationReason,
)
from .participant_forms import CoSellPartners
from .quote_selectors import with_current_quote

PAGE_SIZE = 25
LONG_FIELDS = {"need", "next_actions", "evidence_notes"}

# --- access ----------------------------------------------------------------------------------------


def deal_for(request, number) -> Deal:
    """The one way a view gets a deal: this vendor's deal with this number that the viewer may see, or 404."""
    deal = (
        Deal.objects.filter(vendor=request.vendor, number=number)
        .select_related("vendor__program", "organization", "distributor", "prospect", "registered_by")
        .first()
    )
    if deal is None or not Actor.from_request(request).may_view(deal):
        raise Http404("No such deal registration.")
    return deal


def registrant_deal_for(request, number) -> Deal:
    """A deal the viewer may change as its registering partner: 404 if unseen, 403 if only seen."""
    deal = deal_for(request, number)
    if not Actor.from_request(request).may_register_for(deal):
        raise PermissionDenied("Only the partner who registered this deal, or their admin, can change it.")
    return deal


def visible_deals(request):
    """Every deal the current membership may see (the roles module decides), for lists."""
    condition = deal_visibility_q(request.membership, request.user)
    if condition is None:
        return Deal.objects.none()
    return Deal.objects.filter(condition, vendor=request.vendor)


# --- the registration form ---------------------------------------------------------------------------

FORM_SECTIONS = [
    ("partner", "Partner", PARTNER_FIELDS),
    ("end-user", "End user", END_USER_FIELDS),
    ("opportunity", "Opportunity", OPPORTUNITY_FIELDS),
    ("qualification", "Qualification (BANT)", QUALIFICATION_FIELDS),
    ("deployment", "Deployment and evidence", DEPLOYMENT_FIELDS),
]

EDITABLE_STATES = (DealState.DRAFT, DealState.INFO_REQUESTED)


def _deal_form(request, *, deal=None, data=None, files=None):
    membership = request.membership
    organization = membership.organization
    initial = {}
    if deal is None:
        initial = {
            "partner_contact_name": request.user.display_name,
            "partner_contact_email": request.user.email,
            "partner_contact_phone": organization.phone,
            "country": organization.country,
            "currency": request.vendor.default_currency,
        }
    elif organization.is_distributor:
        initial = {"reseller": deal.organization}
    form = DealForm(
        data,
        files,
        instance=deal,
        initial=initial,
        organization=organization,
        program=request.vendor.program,
        language_code=getattr(request, "LANGUAGE_CODE", "en-us"),
    )
    if deal is not None and form.registers_for_reseller:
        form.fields["reseller"].disabled = True
    return form


def _form_page(request, form, lines, *, deal=None, status=200, rule_failures=None, cosell=None):
    cosell = cosell or _co_sell_form(request, form, deal)
    context = {
        "deal": deal,
        "form": form,
        "lines": lines,
        "cosell": cosell,
        "domain_check": _domain_check(form, deal),
        "sections": [
            (key, title, [{"field": bf, "wide": bf.name in LONG_FIELDS} for bf in form.field_group(names)])
            for key, title, names in FORM_SECTIONS
        ],
        "distribution_fields": form.field_group(DISTRIBUTION_FIELDS),
        "checklist": _live_checklist(request, form, lines, deal=deal, bound=form.is_bound, cosell=cosell),
        "rule_failures": rule_failures or [],
        "checklist_url": (
            reverse("deal_checklist_edit", args=[request.vendor.slug, deal.number])
            if deal
            else reverse("deal_checklist", args=[request.vendor.slug])
        ),
    }
    return render(request, "deals/form.html", context, status=status)


def _domain_check(form, deal):
    """The domain field's state when the page is drawn (the Verify button redraws it by htmx)."""
    value = form["domain"].value() or ""
    error = " ".join(form.errors.get("domain", []))
    verified = bool(deal and deal.prospect_id and not error and value == deal.domain)
    return {
        "value": value,
        "error": error,
        "verified": verified,
        "prospect": deal.prospect if verified else None,
    }


def _co_sell_form(request, form, deal=None, data=None):
    """The "Co-sell partners" fieldset in multi-partner programs (None in exclusive ones)."""
    if not participants.is_co_sell_program(request.vendor.program):
        return None
    lead = _registering_organization(request, form, deal)
    return CoSellPartners(vendor=request.vendor, lead=lead, data=data, deal=deal)


def _registering_organization(request, form, deal=None):
    """Who registers (and leads): the deal's organisation, the chosen reseller, or the member's own."""
    if deal is not None:
        return deal.organization
    if form.registers_for_reseller:
        return (getattr(form, "cleaned_data", None) or {}).get("reseller")
    return request.membership.organization


@transaction.atomic  # the draft, its co-sell partners and its attachments: all saved or none
def _save_draft(request, form, lines, deal, cosell=None):
    """Save the form as a draft (new or existing) with any new attachments; returns the saved deal."""
    actor = Actor.from_request(request)
    data = form.deal_data()
    organization = deal.organization if deal else request.membership.organization
    if form.registers_for_reseller:
        data["distributor"] = request.membership.organization
        organization = deal.organization if deal else form.cleaned_data["reseller"]
    saved = services.deal_save_draft(
        actor=actor,
        vendor=request.vendor,
        organization=organization,
        data=data,
        lines=lines.line_inputs(),
        deal=deal,
    )
    if cosell is not None:
        services.deal_set_participants(
            deal=saved, actor=actor, participants=cosell.participant_inputs(saved.organization)
        )
    for upload in form.cleaned_data.get("attachments") or []:
        services.deal_add_attachment(deal=saved, actor=actor, upload=upload)
    return saved


def _deal_form_view(request, deal=None):
    if deal is not None and deal.state not in EDITABLE_STATES:
        messages.error(
            request, f"{deal.deal_number} is {deal.get_state_display().lower()}; it can no longer be edited."
        )
        return redirect("deal_detail", request.vendor.slug, deal.number)
    if request.method != "POST":
        return _form_page(
            request, _deal_form(request, deal=deal), line_formset(vendor=request.vendor, deal=deal), deal=deal
        )

    form = _deal_form(request, deal=deal, data=request.POST, files=request.FILES)
    lines = line_formset(vendor=request.vendor, data=request.POST)
    submitting = request.POST.get("intent") == "submit"
    valid = form.is_valid() & lines.is_valid()
    cosell = _co_sell_form(request, form, deal, data=request.POST)
    if cosell is not None:
        valid &= cosell.is_valid()
    if valid and submitting:
        form.require_for_submission()
        if not lines.line_inputs():
            lines._non_form_errors = lines.error_class(
                ["Add at least one product with its quantity to submit."]
            )
        valid = not form.errors and not lines.non_form_errors()
    if not valid:
        messages.error(
            request,
            "Nothing was saved yet: please correct the fields marked below."
            if deal is None
            else "Your changes were not saved: please correct the fields marked below.",
        )
        return _form_page(request, form, lines, deal=deal, status=400, cosell=cosell)

    if not submitting:
        try:
            saved = _save_draft(request, form, lines, deal, cosell)
        except DealActionError as exc:
            messages.error(request, str(exc))
            return _form_page(request, form, lines, deal=deal, status=409, cosell=cosell)
        messages.success(request, f"Draft {saved.deal_number} saved. Submit it when it is complete.")
        return redirect("deal_detail", request.vendor.slug, saved.number)

    # Submitting saves and submits in one transaction: when a rule refuses, nothing is saved at all.
    try:
        with transaction.atomic():
            saved = _save_draft(request, form, lines, deal, cosell)
            saved = services.deal_submit(deal=saved, actor=Actor.from_request(request))
    except DealRulesFailed as exc:
        messages.error(
            request,
            "Nothing was saved: this deal does not qualify for the program yet. "
            "Correct the points listed below, or save it as a draft.",
        )
        return _form_page(
            request,
            form,
            lines,
            deal=deal,
            status=400,
            rule_failures=exc.checklist.failures,
            cosell=cosell,
        )
    except DealActionError as exc:
        messages.error(request, f"Nothing was saved: {exc}")
        return _form_page(request, form, lines, deal=deal, status=409, cosell=cosell)
    program = request.vendor.program
    messages.success(
        request,
        f"{saved.deal_number} was submitted for review. A channel manager decides within "
        f"{program.review_sla_business_days} business days.",
    )
    return redirect("deal_detail", request.vendor.slug, saved.number)


@tenant_view(Perm.REGISTER_DEALS)
def deal_create(request):
    return _deal_form_view(request)


@tenant_view(Perm.REGISTER_DEALS)
def deal_edit(request, number):
    return _deal_form_view(request, registrant_deal_for(request, number))


def _unsaved_deal(request, form, lines, deal=None, cosell=None):
    """A Deal built from whatever the form holds right now, for the live checklist (never saved)."""
    organization = request.membership.organization
    if deal is not None:
        organization = deal.organization
    elif form.registers_for_reseller:
        organization = form.cleaned_data.get("reseller") or organization
    candidate = Deal(
        vendor=request.vendor,
        organization=organization,
        registered_by=request.user,
        number=deal.number if deal else 0,
        pk=deal.pk if deal else None,
    )
    for name, value in form.deal_data().items():
        setattr(candidate, name, value)
    if form.registers_for_reseller:
        candidate.distributor = request.membership.organization
    if candidate.domain:
        candidate.prospect = Prospect.objects.filter(vendor=request.vendor, domain=candidate.domain).first()
    if not candidate.currency:
        candidate.currency = request.vendor.default_currency
    candidate.pending_lines = [
        DealLine(deal=candidate, product=line.product, quantity=line.quantity) for line in lines.line_inputs()
    ]
    if cosell is not None:
        candidate.pending_participants = cosell.pending_participants(candidate)
    return candidate


def _live_checklist(request, form, lines, *, deal=None, bound=True, cosell=None):
    """The checklist and conflict notice of the form's current content ("would this deal qualify?")."""
    if bound:
        # Invalid fields are left out of the candidate; the checklist still judges the rest.
        form.is_valid()
        lines.is_valid()
        candidate = _unsaved_deal(request, form, lines, deal, cosell=cosell)
    elif deal is not None:
        candidate = deal
    else:
        return None
    # The conflict rule in the checklist carries the conflict notice (that one exists, never whose).
    return rules.evaluate(candidate)


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def deal_checklist(request, number=None):
    """htmx: the checklist panel for the form as it is filled in."""
    deal = registrant_deal_for(request, number) if number is not None else None
    form = _deal_form(request, deal=deal, data=request.POST)
    lines = line_formset(vendor=request.vendor, data=request.POST)
    form.is_valid()  # the chosen reseller leads a distributor's registration
    cosell = _co_sell_form(request, form, deal, data=request.POST)
    return render(
        request,
        "deals/partials/checklist_panel.html",
        {"checklist": _live_checklist(request, form, lines, deal=deal, cosell=cosell)},
    )


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def verify_domain(request):
    """htmx: normalise the domain and say whether the prospect exists or will be created."""
    from django.core.exceptions import ValidationError

    from .domains import normalize_domain

    raw = request.POST.get("domain", "")
    context = {"value": raw, "field_name": "domain"}
    try:
        domain = normalize_domain(raw)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "deals/partials/domain_check.html", context)
    context.update(
        value=domain,
        verified=True,
        prospect=Prospect.objects.filter(vendor=request.vendor, domain=domain).first(),
    )
    return render(request, "deals/partials/domain_check.html", context)


# --- lists -------------------------------------------------------------------------------------------


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@tenant_view(Perm.VIEW_DASHBOARD)
def deal_list(request):
    """Partners: their organisation's (or their own) deals. Vendor staff: every deal of the vendor."""
    is_staff = has_perm(request.membership, Perm.VIEW_VENDOR_DEALS)
    queryset = (
        visible_deals(request)
        .select_related("organization", "prospect")
        .prefetch_related("lines__product")
        .order_by("-created_at", "-number")
    )
    queryset = with_current_quote(queryset)  # the list's quote and order column (issue 4)
    queryset = participants.with_co_sell(queryset)  # the co-sell badge (seed 003)
    # Distributors also see whose deal it is: the reseller that routed it through them.
    organization = request.membership.organization
    show_partner = is_staff or bool(organization and organization.is_distributor)
    if is_staff:
        filters = VendorDealFilter(request.GET or None, queryset=queryset, vendor=request.vendor)
    else:
        filters = PartnerDealFilter(request.GET or None, queryset=queryset)
    page, query = _page(request, filters.qs)
    return render(
        request,
        "deals/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "is_staff": is_staff,
            "show_partner": show_partner,
            "may_register": has_perm(request.membership, Perm.REGISTER_DEALS),
        },
    )


@tenant_view(Perm.REVIEW_DEALS)
def review_queue(request):
    """Submitted registrations waiting for a decision, oldest first, with their review SLA."""
    queryset = (
        Deal.objects.filter(vendor=request.vendor, state__in=OPEN_FOR_REVIEW)
        .select_related("organization", "prospect")
        .prefetch_related("lines__product")
        .order_by("submitted_at", "number")
    )
    filters = QueueFilter(request.GET or None, queryset=queryset, vendor=request.vendor)
    page, query = _page(request, filters.qs)
    now = timezone.now()
    rows = [{"deal": deal, "sla": sla_state(deal, now)} for deal in page]
    return render(
        request,
        "deals/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query,
            "sla_days": request.vendor.program.review_sla_business_days,
        },
    )


# --- the deal page -----------------------------------------------------------------------------------

STAGES = ["Registered", "Approved", "Quoted", "Order started", "Order submitted"]
_STAGE_OF_STATE = {
    DealState.SUBMITTED: 0,
    DealState.INFO_REQUESTED: 0,
    DealState.APPROVED: 1,
    DealState.QUOTED: 2,
    DealState.EXTENDED: 2,
    DealState.ORDERED: 3,
    DealState.WON: 4,
}


def stage_progress(deal):
    """The progress bar of seed 004: each stage done, current or still to come."""
    reached = _STAGE_OF_STATE.get(deal.state)
    if reached is None:  # drafts and closed registrations: how far they got
        reached = (
            -1 if deal.state == DealState.DRAFT else (3 if deal.po_number else 2 if deal.approved_at else 0)
        )
        current = None
    else:
        current = None if deal.state == DealState.WON else reached
    return [
        {
            "label": label,
            "status": "current" if index == current else "done" if index <= reached else "todo",
        }
        for index, label in enumerate(STAGES)
    ]


def allowed_actions(deal, actor) -> set[str]:
    """What this actor may do to this deal now (FSM conditions and permissions decide)."""
    actions = {t.name for t in deal.get_available_user_state_transitions(actor)}
    if actor.may_register_for(deal):
        if deal.state in EDITABLE_STATES:
            actions.add("edit")
        if not deal.is_terminal:
            actions |= {"post_update", "add_attachment"}
        if deal.state in EDITABLE_STATES:  # submitted evidence stays as the channel manager saw it
            actions.add("remove_attachment")
    return actions


# The deal page's sections follow the form's groups; the currency is shown with the projected value.
DEAL_FIELD_GROUPS = [
    ("Company", COMPANY_FIELDS),
    ("Partner", PARTNER_FIELDS),
    ("End user", END_USER_FIELDS),
    (
        "Opportunity",
        [
            *(name for name in OPPORTUNITY_FIELDS if name != "currency"),
            *QUALIFICATION_FIELDS,
            *DEPLOYMENT_FIELDS,
        ],
    ),
]


def deal_fields(deal, language_code="en-us"):
    """The deal's data as (section, [(label, value)]) for display; labels follow the locale."""
    from .forms import ADDRESS_LABELS

    address_labels = ADDRESS_LABELS.get((language_code or "").lower(), ADDRESS_LABELS["en-us"])
    sections = []
    for title, names in DEAL_FIELD_GROUPS:
        rows = []
        for name in names:
            field = Deal._meta.get_field(name)
            label = address_labels.get(name) or str(field.verbose_name)
            if name == "projected_value":
                value = (
                    f"{deal.projected_value:,.2f} {deal.currency}" if deal.projected_value is not None else ""
                )
            elif field.choices:
                value = getattr(deal, f"get_{name}_display")()
            elif name == "country":
                value = deal.country.name if deal.country else ""
            elif isinstance(field, DateField):
                value = date_format(getattr(deal, name), "j M Y") if getattr(deal, name) else ""
            else:
                value = getattr(deal, name)
            rows.append({"label": label[:1].upper() + label[1:], "value": value, "long": name in LONG_FIELDS})
        sections.append({"title": title, "rows": rows})
    return sections


EVENT_TITLES = {
    "created": "Registration created",
    "edited": "Registration edited",
    "submit": "Submitted for review",
    "resubmit": "Resubmitted with more information",
    "request_info": "More information requested",
    "approve": "Approved",
    "reject": "Rejected",
    "mark_quoted": "Quote issued",
    "expire": "Expired",
    "grant_extension": "Extension granted",
    "revoke": "Revoked",
    "start_order": "Order started",
    "submit_order": "Order submitted",
    "lose": "Marked lost",
    "withdraw": "Withdrawn",
    "progress_update": "Progress update",
    "attachment_added": "Attachment added",
    "participants_changed": "Co-sell partners changed",
    "attachment_removed": "Attachment removed",
}
_REASON_LABELS = {**dict(RejectionReason.choices), **dict(RevocationReason.choices)}


def timeline(deal):
    """The deal's events, newest first, in words: who, when, from → to, why."""
    return [
        {
            "title": EVENT_TITLES.get(event.action, event.action.replace("_", " ").capitalize()),
            "actor": event.actor_name,
            "at": event.created_at,
            "from_state": DealState(event.from_state).label if event.from_state in DealState.values else "",
            "to_state": DealState(event.to_state).label if event.to_state in DealState.values else "",
            "reason": _REASON_LABELS.get(event.reason, event.reason),
            "note": event.note,
        }
        for event in deal.events.select_related("actor").order_by("-created_at", "-id")
    ]


def _deal_context(request, deal, **forms):
    actor = Actor.from_request(request)
    actions = allowed_actions(deal, actor)
    return {
        "deal": deal,
        "stages": stage_progress(deal),
        "sections": deal_fields(deal, getattr(request, "LANGUAGE_CODE", "en-us")),
        "deal_lines": deal.lines.select_related("product"),
        "checklist": rules.evaluate(deal),
        "attachments": deal.attachments.select_related("uploaded_by").order_by("uploaded_at"),
        "events": timeline(deal),
        "updates": deal.updates.select_related("author"),
        "actions": actions,
        "is_reviewer": actor.has(Perm.REVIEW_DEALS),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "lose_form": forms.get("lose_form") or LoseForm(),
        "update_form": forms.get("update_form") or ProgressUpdateForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "attachment_help": attachment_help(),
        "info_request": (
            deal.events.filter(action="request_info").select_related("actor").order_by("-created_at").first()
            if deal.state == DealState.INFO_REQUESTED
            else None
        ),
    }


@tenant_view(Perm.VIEW_DASHBOARD)
def deal_detail(request, number):
    deal = deal_for(request, number)
    return render(request, "deals/detail.html", _deal_context(request, deal))


def _detail_with_errors(request, deal, **forms):
    messages.error(request, "Please correct the form below.")
    return render(request, "deals/detail.html", _deal_context(request, deal, **forms), status=400)


def _done(request, deal, message, page="deal_detail"):
    messages.success(request, message)
    return redirect(page, request.vendor.slug, deal.number)


def _refused(request, deal, exc, page="deal_detail"):
    messages.error(request, str(exc))
    return redirect(page, request.vendor.slug, deal.number)


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def deal_submit(request, number):
    deal = registrant_deal_for(request, number)
    try:
        deal = services.deal_submit(deal=deal, actor=Actor.from_request(request))
    except DealRulesFailed as exc:
        reasons = " ".join(f"{v.rule}: {v.reason}" for v in exc.checklist.failures)
        return _refused(request, deal, f"{deal.deal_number} was not submitted. {reasons}")
    except DealActionError as exc:
        return _refused(request, deal, exc)
    return _done(request, deal, f"{deal.deal_number} was submitted for review.")


def _registrant_action(request, number, form_class, form_key, action, done_message):
    """A registrant's action on the deal page: the form's errors show there; the service may refuse."""
    deal = registrant_deal_for(request, number)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail_with_errors(request, deal, **{form_key: form})
    try:
        action(deal=deal, actor=Actor.from_request(request), **form.cleaned_data)
    except DealActionError as exc:
        return _refused(request, deal, exc)
    return _done(request, deal, done_message(deal))


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def deal_withdraw(request, number):
    return _registrant_action(
        request,
        number,
        WithdrawForm,
        "withdraw_form",
        services.deal_withdraw,
        lambda d: f"{d.deal_number} was withdrawn.",
    )


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def deal_lose(request, number):
    return _registrant_action(
        request,
        number,
        LoseForm,
        "lose_form",
        services.deal_lose,
        lambda d: f"{d.deal_number} was marked lost.",
    )


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def deal_post_update(request, number):
    return _registrant_action(
        request,
        number,
        ProgressUpdateForm,
        "update_form",
        services.deal_post_update,
        lambda d: "Your progress update was posted.",
    )


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def deal_add_attachments(request, number):
    deal = registrant_deal_for(request, number)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_with_errors(request, deal, attachment_form=form)
    actor = Actor.from_request(request)
    try:
        with transaction.atomic():  # all files or none
            for upload in form.cleaned_data["attachments"]:
                services.deal_add_attachment(deal=deal, actor=actor, upload=upload)
    except DealActionError as exc:
        return _refused(request, deal, exc)
    count = len(form.cleaned_data["attachments"])
    return _done(request, deal, f"{count} attachment{'s' if count != 1 else ''} added.")


@require_POST
@tenant_view(Perm.REGISTER_DEALS)
def deal_remove_attachment(request, number, attachment_id):
    deal = registrant_deal_for(request, number)
    attachment = get_object_or_404(DealAttachment, deal=deal, pk=attachment_id)
    try:
        services.deal_remove_attachment(deal=deal, actor=Actor.from_request(request), attachment=attachment)
    except DealActionError as exc:
        return _refused(request, deal, exc)
    return _done(request, deal, f"“{attachment.original_name}” was removed.")


@tenant_view(Perm.VIEW_DASHBOARD)
def attachment_download(request, number, attachment_id):
    deal = deal_for(request, number)
    attachment = get_object_or_404(DealAttachment, deal=deal, pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


# --- review (channel managers) ---------------------------------------------------------------------


def _review_context(request, deal, **forms):
    context = _deal_context(request, deal)
    context.update(
        matches=conflicts.review_matches(deal),
        sla=sla_state(deal) if deal.state in OPEN_FOR_REVIEW else None,
        approve_form=forms.get("approve_form") or ApproveForm(),
        reject_form=forms.get("reject_form") or RejectForm(),
        request_info_form=forms.get("request_info_form") or RequestInfoForm(),
        revoke_form=forms.get("revoke_form") or RevokeForm(),
    )
    return context


@tenant_view(Perm.REVIEW_DEALS)
def deal_review(request, number):
    deal = deal_for(request, number)
    return render(request, "deals/review.html", _review_context(request, deal))


def _decide(request, number, form_class, form_key, action, done_message):
    deal = deal_for(request, number)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "Please correct the form below.")
        return render(
            request, "deals/review.html", _review_context(request, deal, **{form_key: form}), status=400
        )
    try:
        deal = action(deal=deal, actor=Actor.from_request(request), **form.cleaned_data)
    except DealActionError as exc:
        return _refused(request, deal, exc, page="deal_review")
    return _done(request, deal, done_message(deal), page="deal_review")


@require_POST
@tenant_view(Perm.REVIEW_DEALS)
def deal_approve(request, number):
    return _decide(
        request,
        number,
        ApproveForm,
        "approve_form",
        services.deal_approve,
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
        services.deal_reject,
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
        services.deal_request_info,
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
        services.deal_revoke,
        lambda d: f"{d.deal_number} was revoked.",
    )


def htmx_redirect(url):
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response
