"""The registration form: every field a partner fills in, its product lines and its attachments.

Forms validate input only; saving and every state change is in deals.services.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from partners.models import PartnerOrganization
from partners.selectors import authorised_distributors
from portal.bounds import formfield
from portal.phones import phone_field
from products.models import MAX_QUANTITY, QUANTITY_BOUNDS, Product

from ..domains import normalize_domain
from ..models import Deal, DealLine
from ..models import deal as field_groups
from ..policy import co_sell
from ..policy.rules import SUBMISSION_REQUIRED_FIELDS
from ..selectors.lists import prospect_by_domain
from ..services.registration import LineInput, attachment_problem
from .co_sell import CoSellPartners

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

# The form's sections, in the order of seed 004's registration page; the template renders them.
# `reseller` exists only on a distributor's form (whom it registers for) and leads the partner section.
FORM_SECTIONS = [
    ("partner", "Partner", ("reseller", *field_groups.PARTNER_FIELDS)),
    ("end-user", "End user", field_groups.END_USER_FIELDS),
    ("opportunity", "Opportunity", field_groups.OPPORTUNITY_FIELDS),
    ("qualification", "Qualification (BANT)", field_groups.QUALIFICATION_FIELDS),
    ("deployment", "Deployment and evidence", field_groups.DEPLOYMENT_FIELDS),
]


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
    problem = attachment_problem(upload)
    if problem:
        raise ValidationError(problem)
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
        formfield_callback = formfield
        fields = [
            *field_groups.COMPANY_FIELDS,
            *field_groups.PARTNER_FIELDS,
            *field_groups.END_USER_FIELDS,
            *field_groups.OPPORTUNITY_FIELDS,
            *field_groups.QUALIFICATION_FIELDS,
            *field_groups.DEPLOYMENT_FIELDS,
            *field_groups.DISTRIBUTION_FIELDS,
        ]
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

        for name, label in field_groups.address_labels(language_code).items():
            self.fields[name].label = label

        vendor_currency = program.vendor.default_currency
        currencies = [vendor_currency, *[c for c in CURRENCIES if c != vendor_currency]]
        self.fields["currency"].choices = [(c, c) for c in currencies]
        self.fields["currency"].initial = vendor_currency

        self.fields["attachments"].help_text = f"Optional. {attachment_help()}"
        for name in ("partner_contact_phone", "contact_phone"):
            self.fields[name] = phone_field(self.fields[name], organization.country)

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


class KnownProspectNameForm(forms.ModelForm):
    """The company-name input alone, as Verify redraws it (htmx out of band) with a known prospect's name:
    one company, one spelling, however the partner typed it."""

    class Meta:
        model = Deal
        fields = ["company_name"]
        widgets = {
            "company_name": forms.TextInput(attrs={"class": "textinput form-control", "hx-swap-oob": "true"})
        }


def _is_empty(value):
    return value is None or value == "" or value == [] or value == ()


def _message(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class DealLineForm(forms.Form):
    product = forms.ModelChoiceField(queryset=None, required=False, empty_label="Choose a product")
    quantity = forms.IntegerField(
        required=False,
        validators=QUANTITY_BOUNDS,
        widget=forms.NumberInput(attrs={"min": "1", "max": str(MAX_QUANTITY), "inputmode": "numeric"}),
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

    def add_missing_lines_error(self) -> None:
        self._non_form_errors = self.error_class(["Add at least one product with its quantity to submit."])

    def line_inputs(self):
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


def line_formset(*, vendor, data=None, lines=None, prefix="lines"):
    """Product lines to fill in: the posted ones, else `lines` (a deal's or a quote's) as the start.

    There is always one empty row to fill in.
    """
    products = Product.objects.filter(vendor=vendor, is_active=True).order_by("family", "name")
    initial = None
    if data is None and lines is not None:
        initial = [{"product": line.product, "quantity": line.quantity} for line in lines] or None
    return DealLineFormSet(data=data, initial=initial, prefix=prefix, products=products)


class RegistrationForms:
    """The registration page's forms as one: the deal form, its product lines and (in multi-partner
    programs) its co-sell partners. Validates them together, and builds what the services and the live
    checklist need from them.
    """

    def __init__(self, *, actor, vendor, deal=None, data=None, files=None, language_code="en-us"):
        self.actor, self.vendor, self.deal = actor, vendor, deal
        membership_org = actor.membership.organization
        initial = {}
        if deal is None:
            initial = {
                "partner_contact_name": actor.user.display_name,
                "partner_contact_email": actor.user.email,
                "partner_contact_phone": membership_org.phone,
                "country": membership_org.country,
                "currency": vendor.default_currency,
            }
        elif membership_org.is_distributor:
            initial = {"reseller": deal.organization}
        self.form = DealForm(
            data,
            files,
            instance=deal,
            initial=initial,
            organization=membership_org,
            program=vendor.program,
            language_code=language_code,
        )
        if deal is not None and self.form.registers_for_reseller:
            self.form.fields["reseller"].disabled = True
        self.lines = line_formset(vendor=vendor, data=data, lines=deal.lines.all() if deal else None)
        self.cosell = None
        if co_sell.is_co_sell_program(vendor.program):
            if data is not None:
                self.form.is_valid()  # the chosen reseller leads a distributor's registration
            self.cosell = CoSellPartners(vendor=vendor, lead=self.organization(), data=data, deal=deal)

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def organization(self):
        """Who registers (and leads): the deal's organisation, the chosen reseller, or the member's own."""
        if self.deal is not None:
            return self.deal.organization
        if self.form.registers_for_reseller:
            return (getattr(self.form, "cleaned_data", None) or {}).get("reseller")
        return self.actor.membership.organization

    def is_valid(self, *, submitting: bool) -> bool:
        """Every form valid; when submitting, also every field and line a submission needs."""
        valid = self.form.is_valid() & self.lines.is_valid()
        if self.cosell is not None:
            valid &= self.cosell.is_valid()
        if valid and submitting:
            self.form.require_for_submission()
            if not self.lines.line_inputs():
                self.lines.add_missing_lines_error()
            valid = not self.form.errors and not self.lines.non_form_errors()
        return valid

    def registration(self) -> dict:
        """The keyword arguments of deals.services.registration.deal_register (call after is_valid())."""
        data = self.form.deal_data()
        organization = self.organization()
        if self.form.registers_for_reseller:
            data["distributor"] = self.actor.membership.organization
        return {
            "vendor": self.vendor,
            "organization": organization,
            "data": data,
            "lines": self.lines.line_inputs(),
            "participants": self.cosell.participant_inputs(organization) if self.cosell is not None else None,
            "uploads": self.form.cleaned_data.get("attachments") or [],
        }

    def candidate(self) -> Deal | None:
        """A Deal built from whatever the forms hold right now, for the live checklist (never saved)."""
        if not self.is_bound:
            return self.deal
        # Invalid fields are left out of the candidate; the checklist still judges the rest.
        self.form.is_valid()
        self.lines.is_valid()
        deal = self.deal
        candidate = Deal(
            vendor=self.vendor,
            organization=self.organization() or self.actor.membership.organization,
            registered_by=self.actor.user,
            number=deal.number if deal else 0,
            pk=deal.pk if deal else None,
        )
        for name, value in self.form.deal_data().items():
            setattr(candidate, name, value)
        if self.form.registers_for_reseller:
            candidate.distributor = self.actor.membership.organization
        if candidate.domain:
            candidate.prospect = prospect_by_domain(vendor=self.vendor, domain=candidate.domain)
        if not candidate.currency:
            candidate.currency = self.vendor.default_currency
        candidate.pending_lines = [
            DealLine(deal=candidate, product=line.product, quantity=line.quantity)
            for line in self.lines.line_inputs()
        ]
        if self.cosell is not None:
            candidate.pending_participants = self.cosell.pending_participants(candidate)
        return candidate

    def domain_check(self) -> dict:
        """The domain field's state when the page is drawn (the Verify button redraws it by htmx)."""
        value = self.form["domain"].value() or ""
        error = " ".join(self.form.errors.get("domain", []))
        deal = self.deal
        verified = bool(deal and deal.prospect_id and not error and value == deal.domain)
        return {
            "value": value,
            "error": error,
            "verified": verified,
            "prospect": deal.prospect if verified else None,
        }

    def sections(self) -> list:
        return [
            (
                key,
                title,
                [
                    {"field": bf, "wide": bf.name in field_groups.LONG_FIELDS}
                    for bf in self.form.field_group(names)
                ],
            )
            for key, title, names in FORM_SECTIONS
        ]
