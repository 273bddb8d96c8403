from django import forms

from .events import EVENT_TYPES


class PreferencesForm(forms.Form):
    """One checkbox per event type: email on or off (in-app notifications always arrive)."""

    email_on = forms.MultipleChoiceField(
        choices=[(key, e.label) for key, e in EVENT_TYPES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
