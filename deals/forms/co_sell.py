"""The deal form's "Co-sell partners" fieldset (multi-partner programs only, seed 003).

The lead row is the registering organisation with its share; below it one row per other partner:
organisation, role, share. Rows are checked one by one and the shares together must make 100%. These
forms only validate; deals.services.registration.deal_set_participants saves the set (and checks it again).
"""

from decimal import Decimal

from django import forms

from ..models import DealParticipant, format_share
from ..policy.co_sell import (
    FULL_SHARE,
    ParticipantInput,
    eligible_partners,
    participants_of,
    total_of,
    total_problem,
)

Role = DealParticipant.Role
MAX_CO_SELL_PARTNERS = 10

SHARE_ERRORS = {
    # These two are formatted with the bound (%-style), so their percent sign is written %%.
    "min_value": "A share is more than 0%%.",
    "max_value": "A share is at most 100%%.",
    "max_decimal_places": "Use at most two decimals, e.g. 33.33.",
    "max_digits": "Enter a percentage between 0.01 and 100.",
    "invalid": "Enter the share as a number, e.g. 40 or 33.33.",
}


def share_field(*, error_messages=None, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=FULL_SHARE,
        error_messages={**SHARE_ERRORS, **(error_messages or {})},
        widget=forms.NumberInput(
            attrs={
                "min": "0.01",
                "max": "100",
                "step": "0.01",
                "inputmode": "decimal",
                "class": "cosell-share",
            }
        ),
        **kwargs,
    )


class LeadShareForm(forms.Form):
    share = share_field(
        label="Share of the lead partner (%)",
        error_messages={"required": "Enter the lead partner's share."},
    )


class CoSellPartnerForm(forms.Form):
    """One other partner: all three fields, or none (an empty row is ignored)."""

    organization = forms.ModelChoiceField(
        queryset=None, required=False, label="Partner organisation", empty_label="Choose a partner"
    )
    role = forms.ChoiceField(
        required=False,
        label="Role",
        choices=[
            ("", "Choose a role"),
            *[(value, label) for value, label in Role.choices if value != Role.LEAD],
        ],
    )
    share = share_field(required=False, label="Share (%)")

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].error_messages["invalid_choice"] = (
            "Choose one of the program's active resellers."
        )

    def clean(self):
        cleaned = super().clean()
        organization, role, share = cleaned.get("organization"), cleaned.get("role"), cleaned.get("share")
        if not (organization or role or share is not None) or self.errors:
            return cleaned
        if not organization:
            self.add_error("organization", "Choose the partner organisation of this row.")
        else:
            if not role:
                self.add_error("role", f"Choose the role of {organization.name}.")
            if share is None:
                self.add_error("share", f"Enter the share of {organization.name}.")
        return cleaned


class BaseCoSellPartnerFormSet(forms.BaseFormSet):
    def __init__(self, *args, organizations, lead=None, **kwargs):
        self.organizations = organizations
        self.lead = lead
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Django's empty_form (the template row the page clones) asks with index None: it gets them too.
        return {**super().get_form_kwargs(index), "organizations": self.organizations}

    def kept_forms(self):
        return [
            form
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data.get("organization")
            and not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self):
        seen = set()
        for form in self.kept_forms():
            organization = form.cleaned_data["organization"]
            if self.lead is not None and organization.pk == self.lead.pk:
                form.add_error(
                    "organization", f"{organization.name} registers this deal: it is the lead partner above."
                )
            elif organization.pk in seen:
                form.add_error(
                    "organization", f"{organization.name} is listed twice; each partner takes part once."
                )
            seen.add(organization.pk)


CoSellPartnerFormSet = forms.formset_factory(
    CoSellPartnerForm,
    formset=BaseCoSellPartnerFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CO_SELL_PARTNERS,
    validate_max=True,
)


class CoSellPartners:
    """The fieldset as one form: the lead's share plus the other partners, totalling exactly 100%.

    `lead` is the registering organisation, or None while a distributor has not chosen the reseller.
    """

    def __init__(self, *, vendor, lead, data=None, deal=None):
        self.lead = lead
        saved = participants_of(deal) if deal is not None and data is None else []
        lead_row = next((p for p in saved if p.is_lead), None)
        self.lead_form = LeadShareForm(
            data, prefix="cosell-lead", initial={"share": lead_row.share if lead_row else FULL_SHARE}
        )
        organizations = eligible_partners(vendor)
        if lead is not None:
            organizations = organizations.exclude(pk=lead.pk)
        initial = [
            {"organization": p.organization, "role": p.role, "share": p.share} for p in saved if not p.is_lead
        ]
        self.partners = CoSellPartnerFormSet(
            data, prefix="cosell", initial=initial or None, organizations=organizations, lead=lead
        )
        self.total_error = ""

    @property
    def is_bound(self):
        return self.lead_form.is_bound

    def is_valid(self) -> bool:
        valid = self.lead_form.is_valid() & self.partners.is_valid()
        self.total_error = total_problem(self.total) if valid else ""
        return valid and not self.total_error

    @property
    def total(self) -> Decimal:
        lead_share = self.lead_form.cleaned_data.get("share") if self.lead_form.is_valid() else None
        return total_of([lead_share, *[f.cleaned_data["share"] for f in self.partners.kept_forms()]])

    @property
    def total_display(self) -> str:
        """The total as the page shows it: of the valid shares entered, or of the saved ones."""
        if self.is_bound:
            return format_share(self.total)
        shares = [
            self.lead_form.initial.get("share"),
            *[row.get("share") for row in self.partners.initial or []],
        ]
        return format_share(total_of(shares))

    def participant_inputs(self, lead) -> list[ParticipantInput]:
        """The set for deal_set_participants, the lead first (call after is_valid())."""
        rows = [ParticipantInput(lead, Role.LEAD, self.lead_form.cleaned_data["share"])]
        for form in self.partners.kept_forms():
            data = form.cleaned_data
            rows.append(ParticipantInput(data["organization"], data["role"], data["share"]))
        return rows

    def pending_participants(self, deal) -> list[DealParticipant]:
        """Unsaved rows of what the form holds right now, for the live checklist (valid rows only)."""
        self.is_valid()
        rows = []
        if self.lead_form.is_valid() and deal.organization_id:
            rows.append(
                DealParticipant(
                    deal=deal,
                    organization=deal.organization,
                    role=Role.LEAD,
                    share=self.lead_form.cleaned_data["share"],
                )
            )
        for form in self.partners.kept_forms():
            data = form.cleaned_data
            if data.get("role") and data.get("share") is not None:
                rows.append(
                    DealParticipant(
                        deal=deal, organization=data["organization"], role=data["role"], share=data["share"]
                    )
                )
        return rows
