"""Forms validate input only; the rules (uniqueness, who may do what, state changes) live in services."""

from django import forms

from portal.phones import phone_field

from . import selectors
from .models import Membership, PartnerOrganization, PartnerTier

Kind = PartnerOrganization.Kind


class PartnerApplicationForm(forms.ModelForm):
    """A company's application to a vendor's program."""

    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
    )

    distributors = forms.ModelMultipleChoiceField(
        queryset=PartnerOrganization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Distributors you buy through",
        help_text="Resellers only. In a two-tier program you buy the vendor's products through one of these.",
    )

    class Meta:
        model = PartnerOrganization
        fields = [
            "name",
            "kind",
            "country",
            "website",
            "address",
            "phone",
            "contact_email",
            "application_note",
        ]
        labels = {
            "name": "Company name",
            "kind": "Your company is a",
            "contact_email": "Contact email for the program",
            "application_note": "Anything the vendor should know",
        }
        help_texts = {
            "application_note": "Markets you serve, certifications, the vendor contact you spoke to…",
            "contact_email": "Where the vendor reaches your company; decisions also go to you.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "application_note": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.vendor = vendor
        self.fields["address"].required = False
        # A national number is read in the country chosen on the same form.
        country = self.data.get(self.add_prefix("country")) if self.is_bound else None
        self.fields["phone"] = phone_field(self.fields["phone"], country)
        distributors = selectors.active_distributors(vendor=vendor)
        self.fields["distributors"].queryset = distributors
        if not vendor.program.two_tier:
            del self.fields["distributors"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Kind.DISTRIBUTOR and "distributors" in self.fields:
            cleaned["distributors"] = []  # the choice only applies to resellers
        return cleaned

    def _post_clean(self):
        # Validation only: the service creates the organisation (uniqueness is checked there, per vendor).
        pass

    def application(self) -> dict:
        """The keyword arguments of partners.services.apply_for_program (call after is_valid())."""
        data = self.cleaned_data
        names = ("name", "kind", "country", "website", "address", "phone", "contact_email")
        return {
            **{name: data[name] for name in names},
            "note": data["application_note"],
            "distributors": data.get("distributors") or [],
        }


class ApproveApplicationForm(forms.Form):
    prefix = "approve"  # shares its page with the decline form
    tier = forms.ModelChoiceField(
        queryset=PartnerTier.objects.none(),
        required=False,
        empty_label="No tier",
        help_text="Sets the partner's standard discount.",
    )
    note = forms.CharField(
        label="Note to the applicant (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = PartnerTier.objects.filter(vendor=organization.vendor).order_by("rank")
        self.fields["tier"].required = (
            not organization.is_distributor and self.fields["tier"].queryset.exists()
        )
        if self.fields["tier"].required:
            self.fields["tier"].empty_label = "Choose a tier…"


class NoteForm(forms.Form):
    """A reason the partner will read: declining, suspending, reactivating."""

    note = forms.CharField(label="Reason (the partner sees it)", widget=forms.Textarea(attrs={"rows": 2}))


class DeclineApplicationForm(NoteForm):
    prefix = "decline"


class TierForm(forms.Form):
    tier = forms.ModelChoiceField(
        label="Partner tier", queryset=PartnerTier.objects.none(), required=False, empty_label="No tier"
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = PartnerTier.objects.filter(vendor=organization.vendor).order_by("rank")
        self.fields["tier"].initial = organization.tier_id


class AgreementForm(forms.Form):
    distributor = forms.ModelChoiceField(
        queryset=PartnerOrganization.objects.none(), label="Add a distributor"
    )

    def __init__(self, *args, reseller, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["distributor"].queryset = selectors.distributors_available_to(reseller=reseller)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (value, f"{label} — {ROLE_HELP.get(value, '')}") for value, label in roles
        ]
        self.fields["role"].initial = roles[0][0]


class OrganizationFilterForm(forms.Form):
    """The partner list's filters (GET); every field is optional."""

    q = forms.CharField(label="Search", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *Kind.choices])
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *PartnerOrganization.Status.choices]
    )
    tier = forms.ModelChoiceField(
        label="Tier", required=False, queryset=PartnerTier.objects.none(), empty_label="All tiers"
    )

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = PartnerTier.objects.filter(vendor=vendor).order_by("rank")


ROLE_HELP = {
    Membership.Role.PARTNER_USER: "Registers and follows their own deals.",
    Membership.Role.PARTNER_ADMIN: "Sees every deal of the organisation and manages its users.",
    Membership.Role.DISTRIBUTOR_USER: "Sees the deals routed through the distributor and places orders.",
    Membership.Role.CHANNEL_MANAGER: "Reviews deal registrations.",
    Membership.Role.VENDOR_ADMIN: "Configures the program, onboards partners, manages staff.",
}
