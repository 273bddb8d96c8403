"""Forms of the vendor admin's catalogue and program pages; they validate input, services save it."""

import re
from datetime import date

import holidays
from django import forms
from django_countries import countries

from partners.models import MAX_DAYS, Program
from portal.bounds import formfield

from .models import Product, Territory


class ProductForm(forms.ModelForm):
    eligible_territories = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Eligible in",
        help_text="Territories where partners may register this product.",
    )

    class Meta:
        model = Product
        formfield_callback = formfield
        fields = [
            "sku",
            "name",
            "family",
            "unit",
            "list_price",
            "currency",
            "min_quantity",
            "min_value",
            "is_active",
        ]
        labels = {"is_active": "Active (partners can register it)"}
        widgets = {
            "list_price": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "min_value": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
        }

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_territories"].queryset = Territory.objects.filter(vendor=vendor).order_by(
            "code"
        )
        if self.instance.pk:
            self.fields["eligible_territories"].initial = list(self.instance.eligible_territories.all())

    def clean_currency(self):
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError("Enter a three-letter ISO currency code, e.g. USD or EUR.")
        return currency

    def clean_sku(self):
        return (self.cleaned_data.get("sku") or "").strip()

    def product_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class TerritoryCountriesForm(forms.Form):
    countries = forms.MultipleChoiceField(
        choices=list(countries),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 16}),
        label="Countries",
        help_text="Hold Ctrl (⌘ on a Mac) to choose several. A country belongs to one territory only.",
    )


class TerritoryCreateForm(forms.Form):
    code = forms.CharField(max_length=12, label="Code", help_text="Short, e.g. DACH.")
    name = forms.CharField(max_length=80, label="Name")


# The program settings page, in sections.
PROGRAM_SECTIONS = [
    ("General", ["name", "two_tier", "registration_mode", "ordering_party", "fiscal_year_start_month"]),
    (
        "Protection and expiry",
        ["validity_days", "extension_days", "max_extensions", "expiry_warning_days", "expire_with_quote"],
    ),
    ("Staleness", ["stale_after_days", "stale_warning_day", "stale_action"]),
    ("Review and conflicts", ["review_sla_business_days", "name_similarity_threshold"]),
    ("Business days of the review SLA", ["holiday_country", "holiday_subdivision", "closure_days"]),
    ("Margins and quotes", ["reward_margin_points", "quote_validity_days"]),
    ("Eligibility", ["addons_allowed", "msp_excluded", "renewal_auto_approved"]),
]


class DateListField(forms.CharField):
    """Dates typed one per line (or comma separated) as YYYY-MM-DD; cleaned to sorted ISO strings."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        days = set()
        for part in re.split(r"[\s,]+", super().to_python(value)):
            if not part:
                continue
            try:
                days.add(date.fromisoformat(part).isoformat())
            except ValueError:
                raise forms.ValidationError(f"Enter dates as YYYY-MM-DD; “{part}” is not one.") from None
        return sorted(days)


# Countries whose public holidays the `holidays` package knows, by code.
HOLIDAY_CALENDARS = holidays.list_supported_countries()


class ProgramForm(forms.ModelForm):
    closure_days = DateListField(
        required=False,
        label="Closure days",
        help_text="The vendor's own days off, one per line as YYYY-MM-DD (e.g. 2026-12-24).",
    )

    class Meta:
        model = Program
        formfield_callback = formfield
        fields = [name for _title, names in PROGRAM_SECTIONS for name in names]
        labels = {
            "name": "Program name",
            "two_tier": "Two-tier channel (resellers buy through distributors)",
            "fiscal_year_start_month": "Fiscal year starts in month",
            "expiry_warning_days": "Warn partners this many days before expiry",
            "stale_warning_day": "Warn on day without an update",
            "name_similarity_threshold": "Company-name similarity for a conflict (0.10–1.00)",
            "holiday_country": "Public holidays of",
            "holiday_subdivision": "State or region",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holiday_country"].choices = [("", "None: weekends only")] + [
            (code, name) for code, name in countries if code in HOLIDAY_CALENDARS
        ]

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in PROGRAM_SECTIONS]

    def clean_expiry_warning_days(self):
        value = self.cleaned_data.get("expiry_warning_days") or ""
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not all(p.isdigit() and int(p) > 0 for p in parts):
            raise forms.ValidationError("Enter whole numbers of days separated by commas, e.g. 7,1.")
        if any(int(p) > MAX_DAYS for p in parts):
            raise forms.ValidationError(f"Warn at most {MAX_DAYS:,} days before expiry.")
        return ",".join(str(d) for d in sorted({int(p) for p in parts}, reverse=True))

    def clean(self):
        cleaned = super().clean()
        country, subdivision = cleaned.get("holiday_country"), cleaned.get("holiday_subdivision")
        if subdivision:
            known = {code.upper(): code for code in HOLIDAY_CALENDARS.get(str(country), [])}
            if subdivision.strip().upper() in known:
                cleaned["holiday_subdivision"] = known[subdivision.strip().upper()]
            elif not country:
                self.add_error("holiday_subdivision", "Choose the country of this state or region first.")
            else:
                self.add_error(
                    "holiday_subdivision",
                    f"{subdivision} is not a subdivision of {countries.name(country)}; "
                    f"known: {', '.join(sorted(known.values())) or 'none'}.",
                )
        stale_after, warning_day = cleaned.get("stale_after_days"), cleaned.get("stale_warning_day")
        if stale_after and warning_day is not None and warning_day >= stale_after:
            self.add_error(
                "stale_warning_day",
                f"The staleness warning must come before day {stale_after}, when protection is removed.",
            )
        return cleaned

    def program_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in self.fields}
