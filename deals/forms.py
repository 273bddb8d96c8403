"""Forms of the deal pages. They validate input only; saving and every state change is in deals.services."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from partners.models import PartnerOrganization
from partners.selectors import authorised_distributors

from .domains import normalize_domain
from .models import Deal, RejectionReason, RevocationReason, S
from .rules import SUBMISSION_REQUIRED_FIELDS

CURRENCIES = [
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "CHF",
    "JPY",
    "SEK",
    "NOK",
    "DKK",
    "SGD",
    "INR",
    "BRL",
    "MXN",
]
MAX_ATTACHMENTS_PER_UPLOAD = 10

phone_validator = RegexValidator(
    r"^\+?[0-9 ()./-]{6,40}$",
    "Enter a phone number of digits, spaces and + ( ) - . only, e.g. +1 555 0100.",
)

# Groups of the form, in the order of seed 004's registration page; the template renders them.
COMPANY_FIELDS = ["company_name", "domain"]
PARTNER_FIELDS = [
    "partner_contact_name",
    "partner_contact_email",
    "partner_contact_phone",
    "partner_sales_lead_name",
    "partner_sales_lead_email",
]
END_USER_FIELDS = [
    "contact_first_name",
    "contact_last_name",
    "contact_title",
    "contact_role",
    "contact_email",
    "contact_phone",
    "address_line1",
    "address_line2",
    "city",
    "state_region",
    "postal_code",
    "country",
]
OPPORTUNITY_FIELDS = [
    "projected_value",
    "currency",
    "expected_close_date",
    "deal_type",
    "vertical",
    "segment",
    "priority",
]
QUALIFICATION_FIELDS = ["budget_status", "authority", "need", "timeline"]
DEPLOYMENT_FIELDS = ["current_tools", "migrating_to", "meeting_date", "next_actions", "evidence_notes"]
DISTRIBUTION_FIELDS = ["distributor", "hidden_from_distributor"]

# The locale decides how an address reads: ZIP code and state in the US, postcode and county in the UK.
ADDRESS_LABELS = {
    "en-us": {"postal_code": "ZIP code", "state_region": "State"},
    "en-gb": {"postal_code": "Postcode", "state_region": "County"},
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked against the program's size and type limits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS_PER_UPLOAD:
            raise ValidationError(f"Attach at most {MAX_ATTACHMENTS_PER_UPLOAD} files at a time.")
        return [validate_attachment(super(MultipleFileField, self).clean(f, initial)) for f in files]


def attachment_help() -> str:
    return (
        f"Up to {filesizeformat(settings.ATTACHMENT_MAX_BYTES)} per file; "
        f"{', '.join(settings.ATTACHMENT_ALLOWED_EXTENSIONS)}."
    )


def validate_attachment(upload):
    allowed = settings.ATTACHMENT_ALLOWED_EXTENSIONS
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            f"“{upload.name}” is a .{extension or '?'} file; allowed are: {', '.join(allowed)}."
        )
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            f"“{upload.name}” is {filesizeformat(upload.size)}; "
            f"the limit is {filesizeformat(settings.ATTACHMENT_MAX_BYTES)} per file."
        )
    return upload


class DealForm(forms.ModelForm):
    """Every field a partner fills in. Everything is optional here: a draft may be incomplete.

    Completeness for submission is checked by `require_for_submission` against the rules module's list.
    """

    reseller = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Reseller",
        help_text="The reseller you register this deal for.",
    )
    distributor = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Distributor",
        help_text="The authorised distributor the customer buys through.",
    )
    currency = forms.ChoiceField(choices=[], required=False)
    attachments = MultipleFileField(
        required=False,
        label="Attachments",
        help_text="",
    )

    class Meta:
        model = Deal
        fields = [
            *COMPANY_FIELDS,
            *PARTNER_FIELDS,
            *END_USER_FIELDS,
            *OPPORTUNITY_FIELDS,
            *QUALIFICATION_FIELDS,
            *DEPLOYMENT_FIELDS,
            "distributor",
            "hidden_from_distributor",
        ]
        labels = {
            "company_name": "Company name",
            "domain": "Primary domain",
            "partner_contact_name": "Contact name",
            "partner_contact_email": "Contact email",
            "partner_contact_phone": "Contact phone",
            "partner_sales_lead_name": "Partner sales lead (optional)",
            "partner_sales_lead_email": "Partner sales lead email (optional)",
            "contact_first_name": "First name",
            "contact_last_name": "Last name",
            "contact_title": "Position / title",
            "contact_role": "Contact role",
            "contact_email": "Email",
            "contact_phone": "Phone",
            "address_line1": "Address line 1",
            "address_line2": "Address line 2",
            "projected_value": "Projected value",
            "expected_close_date": "Expected close date",
            "budget_status": "Budget",
            "authority": "Decision maker / authority",
            "need": "Need: what problem will it solve?",
            "timeline": "Timeline",
            "current_tools": "Current deployment tools",
            "migrating_to": "Migrating to",
            "meeting_date": "Meeting / WebEx date",
            "next_actions": "Next actions",
            "evidence_notes": "Pre-sales evidence notes",
        }
        help_texts = {
            "domain": "The company's website domain identifies the prospect, e.g. example.com.",
            "projected_value": "The total value of the whole project, of which our products are a part.",
            "authority": "Who decides and signs, e.g. “Jane Doe, CIO”.",
            "timeline": "When the customer plans to buy, e.g. “PO in March, roll-out in Q2”.",
            "evidence_notes": "Meetings held, demos given, requirements gathered: what makes this your deal.",
            "hidden_from_distributor": "The distributor sees the registration only once it is approved.",
        }
        widgets = {
            "expected_close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "need": forms.Textarea(attrs={"rows": 3}),
            "next_actions": forms.Textarea(attrs={"rows": 2}),
            "evidence_notes": forms.Textarea(attrs={"rows": 3}),
            "projected_value": forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
            "partner_contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_email": forms.EmailInput(),
            "partner_contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, organization, program, language_code="en-us", **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.program = program
        for field in self.fields.values():
            field.required = False

        labels = ADDRESS_LABELS.get((language_code or "").lower(), ADDRESS_LABELS["en-us"])
        for name, label in labels.items():
            self.fields[name].label = label

        vendor_currency = program.vendor.default_currency
        currencies = [vendor_currency, *[c for c in CURRENCIES if c != vendor_currency]]
        self.fields["currency"].choices = [(c, c) for c in currencies]
        self.fields["currency"].initial = vendor_currency

        self.fields["attachments"].help_text = f"Optional. {attachment_help()}"
        for name in ("partner_contact_phone", "contact_phone"):
            self.fields[name].validators.append(phone_validator)

        # A distributor registers on behalf of one of its resellers; a reseller for itself.
        if organization.is_distributor:
            self.fields["reseller"].queryset = PartnerOrganization.objects.filter(
                vendor=organization.vendor,
                status=PartnerOrganization.Status.ACTIVE,
                agreements__distributor=organization,
                agreements__is_active=True,
            ).distinct()
            self.fields["reseller"].required = True
            del self.fields["distributor"]
            del self.fields["hidden_from_distributor"]
        else:
            del self.fields["reseller"]
            if program.two_tier:
                self.fields["distributor"].queryset = authorised_distributors(reseller=organization)
                self.fields["distributor"].empty_label = "Choose a distributor"
            else:
                del self.fields["distributor"]
                del self.fields["hidden_from_distributor"]

    @property
    def uses_distribution(self):
        return "distributor" in self.fields

    @property
    def registers_for_reseller(self):
        return "reseller" in self.fields

    def field_group(self, names):
        return [self[name] for name in names if name in self.fields]

    def clean_domain(self):
        value = (self.cleaned_data.get("domain") or "").strip()
        if not value:
            return ""
        try:
            return normalize_domain(value)
        except (ValueError, ValidationError) as exc:
            raise ValidationError(_message(exc)) from exc

    def clean_expected_close_date(self):
        value = self.cleaned_data.get("expected_close_date")
        if value and value < timezone.localdate():
            raise ValidationError("The expected close date cannot be in the past.")
        return value

    def clean_currency(self):
        return self.cleaned_data.get("currency") or self.program.vendor.default_currency

    def deal_data(self) -> dict:
        """The cleaned values that belong on the Deal (what deal_save_draft takes as `data`)."""
        data = {name: self.cleaned_data.get(name) for name in self._meta.fields if name in self.cleaned_data}
        if "distributor" not in self.fields:
            data.pop("distributor", None)
            data.pop("hidden_from_distributor", None)
        for name, value in list(data.items()):
            if value is None and not Deal._meta.get_field(name).null:
                data[name] = ""
        return data

    def require_for_submission(self) -> list[str]:
        """Adds a field error to every empty field a submission needs; returns their names."""
        missing = []
        for name in SUBMISSION_REQUIRED_FIELDS:
            if name in self.fields and name not in self.errors and _is_empty(self.cleaned_data.get(name)):
                self.add_error(name, "Required to submit the registration.")
                missing.append(name)
        if (
            self.uses_distribution
            and not self.cleaned_data.get("distributor")
            and "distributor" not in self.errors
        ):
            self.add_error("distributor", "Choose the distributor the customer buys through to submit.")
            missing.append("distributor")
        return missing


def _is_empty(value):
    return value is None or value == "" or value == [] or value == ()


def _message(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class DealLineForm(forms.Form):
    product = forms.ModelChoiceField(queryset=None, required=False, empty_label="Choose a product")
    quantity = forms.IntegerField(
        required=False, min_value=1, widget=forms.NumberInput(attrs={"min": "1", "inputmode": "numeric"})
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products

    def clean(self):
        cleaned = super().clean()
        product, quantity = cleaned.get("product"), cleaned.get("quantity")
        if product and not quantity and "quantity" not in self.errors:
            self.add_error("quantity", f"Enter how many {product.get_unit_display().lower()}.")
        if quantity and not product and "product" not in self.errors:
            self.add_error("product", "Choose the product for this quantity.")
        return cleaned


class BaseDealLineFormSet(forms.BaseFormSet):
    def __init__(self, *args, products, **kwargs):
        self.products = products
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Django's empty_form (the template row the page clones) asks with index None: it gets them too.
        return {**super().get_form_kwargs(index), "products": self.products}

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            product = form.cleaned_data.get("product")
            if product and product.pk in seen:
                raise ValidationError(f"{product} is listed twice; put the whole quantity on one line.")
            if product:
                seen.add(product.pk)

    def line_inputs(self):
        from .services import LineInput

        lines = []
        for form in self.forms:
            if not form.cleaned_data or (self.can_delete and self._should_delete_form(form)):
                continue
            if form.cleaned_data.get("product") and form.cleaned_data.get("quantity"):
                lines.append(
                    LineInput(product=form.cleaned_data["product"], quantity=form.cleaned_data["quantity"])
                )
        return lines


DealLineFormSet = forms.formset_factory(
    DealLineForm, formset=BaseDealLineFormSet, extra=1, can_delete=True, max_num=20, validate_max=True
)


def line_formset(*, vendor, data=None, deal=None, prefix="lines"):
    """The product lines of a deal (or of the posted form); there is always one empty row to fill in."""
    from products.models import Product

    products = Product.objects.filter(vendor=vendor, is_active=True).order_by("family", "name")
    initial = None
    if data is None and deal is not None:
        initial = [{"product": ln.product, "quantity": ln.quantity} for ln in deal.lines.all()] or None
    return DealLineFormSet(data=data, initial=initial, prefix=prefix, products=products)


# --- decisions and actions ------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RequestInfoForm(forms.Form):
    prefix = "info"

    note = forms.CharField(
        label="What information do you need?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Tell the partner what information you need."},
    )


class ApproveForm(forms.Form):
    prefix = "approve"

    note = forms.CharField(
        label="Note to the partner (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


def _decision_reason_field(reasons, decision):
    return forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason"), *reasons],
        error_messages={"required": f"Choose the reason for the {decision}."},
    )


def _decision_explanation_field(decision):
    return forms.CharField(
        label="Explanation to the partner",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": f"Explain the {decision}: the partner sees this explanation."},
    )


class RejectForm(forms.Form):
    prefix = "reject"

    reason = _decision_reason_field(RejectionReason.choices, "rejection")
    note = _decision_explanation_field("rejection")


class RevokeForm(forms.Form):
    prefix = "revoke"

    reason = _decision_reason_field(RevocationReason.choices, "revocation")
    note = _decision_explanation_field("revocation")


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label="Why are you withdrawing it? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class LoseForm(forms.Form):
    reason = forms.CharField(
        label="Why was the deal lost?",
        max_length=200,
        error_messages={"required": "Say why the deal was lost."},
    )


class ProgressUpdateForm(forms.Form):
    body = forms.CharField(
        label="Progress update",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Write what happened since the last update."},
        help_text="Each update keeps the registration protected; the program expects regular updates.",
    )


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(label="Add attachments")


# --- lists ----------------------------------------------------------------------------------------

STATE_FILTER_CHOICES = [("", "All states"), *S.choices]
