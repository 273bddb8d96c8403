"""Forms of the extension pages (input validation only; deals.services decides)."""

from django import forms


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need more time?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The channel manager decides on this explanation, e.g. the customer's new timeline.",
        error_messages={"required": "Please explain why you need more time."},
    )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("grant", "Grant"), ("decline", "Decline")])
    note = forms.CharField(label="Note to the partner", max_length=2000, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Please explain why you decline: the partner sees this reason.")
        return cleaned
