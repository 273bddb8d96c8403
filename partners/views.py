"""Pages of the partners app. Thin: look up through selectors, change through services, render."""

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from portal.pagination import paginate
from portal.refusals import form_succeeded, refused
from portal.tenancy import all_memberships, set_active_membership, tenant_view, vendor_scope

from . import selectors, services
from .forms import (
    AgreementForm,
    ApproveApplicationForm,
    DeclineApplicationForm,
    InvitationForm,
    NoteForm,
    OrganizationFilterForm,
    PartnerApplicationForm,
    TierForm,
)
from .models import Invitation
from .permissions import Perm, denial_reason, has_perm, require_perm, role_grants, team_perm

# ---------------------------------------------------------------------------------------------------------
# Landing, dashboard, switcher
# ---------------------------------------------------------------------------------------------------------


@login_required
def home(request):
    """Where a person lands after login: straight into their only workspace, or a choice."""
    memberships = all_memberships(request.user)
    if len(memberships) == 1:
        return redirect("dashboard", vendor_slug=memberships[0].vendor.slug)
    return render(
        request,
        "partners/home.html",
        {"memberships": memberships, "open_vendors": selectors.vendors_open_for_applications()},
    )


@tenant_view(Perm.VIEW_DASHBOARD)
def dashboard(request):
    """One landing page per role: partners/dashboard/_<role>.html, so each role sees only what concerns it."""
    membership = request.membership
    organization = membership.organization
    context = {
        "membership": membership,
        "organization": organization,
        "role_template": f"partners/dashboard/_{membership.role}.html",
    }
    if membership.is_vendor_staff:
        context["partner_counts"] = selectors.partner_counts(vendor=request.vendor)
        context["pending_applications"] = selectors.pending_applications(vendor=request.vendor)[:5]
    else:
        context["agreements"] = selectors.agreements_of(organization=organization)
    if role_grants(membership.role, team_perm(membership)):
        context["team"] = selectors.team_of(membership=membership)
        context["open_invitations"] = selectors.open_invitations_of(membership=membership)
    return render(request, "partners/dashboard.html", context)


@require_POST
@tenant_view(Perm.VIEW_DASHBOARD)
def switch_membership(request):
    """Switch to another of the user's roles at this vendor (the navbar's switcher posts here)."""
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    membership = next((m for m in request.memberships_here if m.pk == wanted), None)
    if membership is None:
        raise Http404
    set_active_membership(request, membership)
    messages.info(
        request, f"You are now working as {membership.get_role_display()} at {membership.place_name}."
    )
    return redirect("dashboard", vendor_slug=request.vendor.slug)


# ---------------------------------------------------------------------------------------------------------
# Applying to a program (outside /v/: the applicant is no member of the vendor yet)
# ---------------------------------------------------------------------------------------------------------


@login_required
def partner_apply(request, slug):
    vendor = selectors.vendor_open_for_applications(slug=slug)
    # No /v/ prefix, so the middleware set no scope: the application reads and writes this vendor only.
    with vendor_scope(vendor):
        form = PartnerApplicationForm(request.POST or None, vendor=vendor)
        if request.method == "POST" and form.is_valid():
            try:
                organization = services.apply_for_program(
                    vendor=vendor, applicant=request.user, **form.application()
                )
            except ValidationError as error:
                refused(request, error, form=form)
            else:
                membership = organization.memberships.get(user=request.user)
                set_active_membership(request, membership)
                thanks = f"Thank you — {organization.name}'s application is with {vendor.name}."
                messages.success(request, f"{thanks} We email you when it is decided.")
                return redirect("dashboard", vendor_slug=vendor.slug)
        return render(request, "partners/apply.html", {"vendor": vendor, "form": form})


# ---------------------------------------------------------------------------------------------------------
# Vendor staff: applications queue
# ---------------------------------------------------------------------------------------------------------


@tenant_view(Perm.MANAGE_PARTNERS)
def partner_applications(request):
    return render(
        request,
        "partners/applications.html",
        {
            "applications": selectors.pending_applications(vendor=request.vendor).prefetch_related(
                "agreements"
            )
        },
    )


def _render_application(request, organization, *, approve_form=None, decline_form=None, status=200):
    return render(
        request,
        "partners/application_detail.html",
        {
            "organization": organization,
            "applicants": selectors.organization_members(organization=organization),
            "agreements": selectors.agreements_of(organization=organization),
            "approve_form": approve_form or ApproveApplicationForm(organization=organization),
            "decline_form": decline_form or DeclineApplicationForm(),
        },
        status=status,
    )


@tenant_view(Perm.MANAGE_PARTNERS)
def partner_application_detail(request, pk):
    return _render_application(request, selectors.application_of(vendor=request.vendor, pk=pk))


@require_POST
@tenant_view(Perm.MANAGE_PARTNERS)
def partner_application_approve(request, pk):
    organization = selectors.application_of(vendor=request.vendor, pk=pk)
    form = ApproveApplicationForm(request.POST, organization=organization)

    def approve(data):
        services.approve_application(
            organization=organization, actor=request.actor, tier=data["tier"], note=data["note"]
        )
        return f"{organization.name} is now an active partner."

    if form_succeeded(request, form, approve):
        return redirect("partner_applications", vendor_slug=request.vendor.slug)
    return _render_application(request, organization, approve_form=form, status=400)


@require_POST
@tenant_view(Perm.MANAGE_PARTNERS)
def partner_application_decline(request, pk):
    organization = selectors.application_of(vendor=request.vendor, pk=pk)
    form = DeclineApplicationForm(request.POST)

    def decline(data):
        services.decline_application(organization=organization, actor=request.actor, note=data["note"])
        return f"{organization.name}'s application is declined; the applicant is told why."

    if form_succeeded(request, form, decline):
        return redirect("partner_applications", vendor_slug=request.vendor.slug)
    return _render_application(request, organization, decline_form=form, status=400)


# ---------------------------------------------------------------------------------------------------------
# Partner organisations
# ---------------------------------------------------------------------------------------------------------


@tenant_view(Perm.VIEW_PARTNERS)
def partner_list(request):
    form = OrganizationFilterForm(request.GET or None, vendor=request.vendor)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.partner_organizations(
        vendor=request.vendor,
        kind=filters.get("kind"),
        status=filters.get("status"),
        tier=filters.get("tier"),
        search=filters.get("q"),
    )
    page, query = paginate(request, organizations)
    return render(request, "partners/partner_list.html", {"filter_form": form, "page": page, "query": query})


def _render_partner(request, organization, *, status=200, **forms):
    can_manage = has_perm(request.membership, Perm.MANAGE_PARTNERS)
    context = {
        "organization": organization,
        "members": selectors.organization_members(organization=organization),
        "agreements": selectors.agreements_of(organization=organization),
        "can_manage": can_manage,
        "is_own_organization": organization.pk == request.membership.organization_id,
        # A refused action may concern a control the page does not show in this state: say it on top.
        "action_errors": [error for form in forms.values() for error in form.non_field_errors()],
    }
    if can_manage:
        agreement_form = forms.get("agreement_form")
        if (
            agreement_form is None
            and not organization.is_distributor
            and selectors.distributors_available_to(reseller=organization).exists()
        ):
            agreement_form = AgreementForm(reseller=organization)
        context.update(
            note_form=forms.get("note_form") or NoteForm(),
            tier_form=forms.get("tier_form") or TierForm(organization=organization),
            agreement_form=agreement_form,
        )
    return render(request, "partners/partner_detail.html", context, status=status)


@tenant_view(Perm.VIEW_DASHBOARD)
def partner_detail(request, pk):
    """Vendor staff see any of their partners; a partner sees only its own organisation (others 404)."""
    return _render_partner(request, selectors.organization_for(membership=request.membership, pk=pk))


def _managed_organization(request, pk):
    return selectors.organization_for(membership=request.membership, pk=pk)


def _partner_form_action(request, organization, form, form_key, perform):
    """An action from the partner page: back to it on success, else the page with `form`'s errors."""
    if form_succeeded(request, form, perform):
        return redirect("partner_detail", vendor_slug=request.vendor.slug, pk=organization.pk)
    return _render_partner(request, organization, status=400, **{form_key: form})


def _status_change(request, pk, service, done_message):
    organization = _managed_organization(request, pk)

    def change(data):
        service(organization=organization, actor=request.actor, note=data["note"])
        return done_message.format(name=organization.name)

    return _partner_form_action(request, organization, NoteForm(request.POST), "note_form", change)


@require_POST
@tenant_view(Perm.MANAGE_PARTNERS)
def partner_suspend(request, pk):
    return _status_change(
        request,
        pk,
        services.suspend_organization,
        "{name} is suspended: its people can still look, but cannot register deals, order or invite.",
    )


@require_POST
@tenant_view(Perm.MANAGE_PARTNERS)
def partner_reactivate(request, pk):
    return _status_change(request, pk, services.reactivate_organization, "{name} is active again.")


@require_POST
@tenant_view(Perm.MANAGE_PARTNERS)
def partner_change_tier(request, pk):
    organization = _managed_organization(request, pk)
    form = TierForm(request.POST, organization=organization)

    def change(data):
        tier = data["tier"]
        services.change_tier(organization=organization, tier=tier, actor=request.actor)
        return f"{organization.name} is now in {'tier ' + tier.name if tier else 'no tier'}."

    return _partner_form_action(request, organization, form, "tier_form", change)


@require_POST
@tenant_view(Perm.MANAGE_PARTNERS)
def partner_add_agreement(request, pk):
    organization = _managed_organization(request, pk)
    if organization.is_distributor:
        raise Http404("Distributors have no distributors.")
    form = AgreementForm(request.POST, reseller=organization)

    def add(data):
        agreement = services.add_distributor_agreement(
            reseller=organization, distributor=data["distributor"], actor=request.actor
        )
        return f"{organization.name} may now buy through {agreement.distributor.name}."

    return _partner_form_action(request, organization, form, "agreement_form", add)


@require_POST
@tenant_view(Perm.MANAGE_PARTNERS)
def partner_end_agreement(request, pk, agreement_pk):
    organization = _managed_organization(request, pk)
    agreement = selectors.agreement_of(organization=organization, pk=agreement_pk)
    services.end_distributor_agreement(agreement=agreement, actor=request.actor)
    messages.success(
        request,
        f"Agreement ended: {agreement.reseller.name} no longer buys through {agreement.distributor.name}.",
    )
    return redirect("partner_detail", vendor_slug=request.vendor.slug, pk=organization.pk)


# ---------------------------------------------------------------------------------------------------------
# Team: a partner admin's organisation, or a vendor admin's staff — the membership decides which
# ---------------------------------------------------------------------------------------------------------


def _require_team_role(membership):
    """Seeing the team needs the role; changing it also needs an active organisation."""
    perm = team_perm(membership)
    if not role_grants(membership.role, perm):
        raise PermissionDenied(denial_reason(membership, perm))
    return perm


def _render_team(request, *, form=None, status=200):
    membership = request.membership
    perm = _require_team_role(membership)
    return render(
        request,
        "partners/team.html",
        {
            "members": selectors.team_of(membership=membership),
            "invitations": selectors.open_invitations_of(membership=membership),
            "form": form or InvitationForm(roles=services.roles_invitable_by(membership)),
            "can_change": has_perm(membership, perm),
            "cannot_change_reason": denial_reason(membership, perm),
            "valid_days": Invitation.VALID_FOR.days,
        },
        status=status,
    )


@tenant_view(Perm.VIEW_DASHBOARD)
def team(request):
    membership = request.membership
    if request.method != "POST":
        return _render_team(request)
    require_perm(membership, _require_team_role(membership))
    form = InvitationForm(request.POST, roles=services.roles_invitable_by(membership))

    def invite(data):
        invitation = services.invite_member(actor=request.actor, email=data["email"], role=data["role"])
        return f"Invitation sent to {invitation.email}."

    if form_succeeded(request, form, invite):
        return redirect("team", vendor_slug=request.vendor.slug)
    return _render_team(request, form=form, status=400)


@require_POST
@tenant_view(Perm.VIEW_DASHBOARD)
def team_revoke_invitation(request, pk):
    membership = request.membership
    require_perm(membership, _require_team_role(membership))
    invitation = selectors.invitation_of(membership=membership, pk=pk)
    services.revoke_invitation(invitation=invitation, actor=request.actor)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn; its link no longer works.")
    return redirect("team", vendor_slug=request.vendor.slug)


@require_POST
@tenant_view(Perm.VIEW_DASHBOARD)
def team_remove_member(request, pk):
    membership = request.membership
    require_perm(membership, _require_team_role(membership))
    member = selectors.team_member_of(membership=membership, pk=pk)
    try:
        services.remove_member(member=member, actor=request.actor)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, f"{member.user.email} is no longer a member.")
        if member.pk == membership.pk:
            return redirect("home")
    return redirect("team", vendor_slug=request.vendor.slug)


# ---------------------------------------------------------------------------------------------------------
# Accepting an invitation (outside /v/: the invited person is no member yet)
# ---------------------------------------------------------------------------------------------------------


def _invitation_problem_page(request, invitation, problem, status=410):
    context = {"invitation": invitation, "problem": problem}
    return render(request, "partners/invitation_problem.html", context, status=status)


def _invitation_for_visitor(request, invitation, context):
    """Not signed in: sign up with the invited address (already verified by the link), or log in."""
    # Whoever holds the emailed link owns the mailbox: signing up with it needs no second confirmation.
    get_account_adapter(request).stash_verified_email(request, invitation.email)
    here = reverse("invitation_accept", args=[invitation.token])
    context["login_url"] = reverse("account_login") + "?" + urlencode({"next": here})
    context["signup_url"] = (
        reverse("account_signup") + "?" + urlencode({"next": here, "email": invitation.email})
    )
    return render(request, "partners/invitation_accept.html", context)


def invitation_accept(request, token):
    invitation = selectors.invitation_by_token(token=token)
    user = request.user if request.user.is_authenticated else None
    problem = services.invitation_problem(invitation, user)
    if problem is not None:
        return _invitation_problem_page(
            request, invitation, problem, 403 if problem.reason == "wrong_email" else 410
        )
    context = {"invitation": invitation, "place_name": _place_name(invitation)}
    if user is None:
        return _invitation_for_visitor(request, invitation, context)
    if request.method == "POST":
        with vendor_scope(invitation.vendor):  # outside /v/: the invitation names the vendor
            try:
                membership = services.accept_invitation(invitation=invitation, user=user)
            except services.InvitationUnusable as problem:
                return _invitation_problem_page(request, invitation, problem)
            set_active_membership(request, membership)
        role, place = membership.get_role_display(), _place_name(invitation)
        messages.success(request, f"Welcome — you are now {role} at {place}.")
        return redirect("dashboard", vendor_slug=invitation.vendor.slug)
    context["already_accepted"] = invitation.accepted_at is not None
    return render(request, "partners/invitation_accept.html", context)


def _place_name(invitation) -> str:
    return invitation.organization.name if invitation.organization_id else invitation.vendor.name
