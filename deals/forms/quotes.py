"""Forms of quotes and orders: they validate input only; deals.services.quotes and .orders decide."""

from django import forms


class StartOrderForm(forms.Form):
    po_number = forms.CharField(
        label="Customer's purchase order number",
        max_length=60,
        help_text="As printed on the customer's purchase order.",
        error_messages={"required": "Enter the customer's purchase order number to start the order."},
    )

    def clean_po_number(self):
        value = self.cleaned_data["po_number"].strip()
        if not value:
            raise forms.ValidationError("Enter the customer's purchase order number to start the order.")
        return value


class QuoteNoteForm(forms.Form):
    note = forms.CharField(
        label="What changed? (optional)",
        max_length=300,
        required=False,
        help_text="Shown on the deal's timeline, e.g. “Customer added 200 seats”.",
    )
