"""Forms of the actions on the deal and review pages: decisions, withdrawal, loss, updates, files."""

from django import forms

from ..models import RejectionReason, RevocationReason
from .registration import MultipleFileField


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
