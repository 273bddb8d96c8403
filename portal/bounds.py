"""Bounds of the numbers people type: every quantity, amount, share, point and day count has a lowest and
a highest value, refused with a message that names the bound.

Without them a quantity of 10^26 overflowed the database integer (a server error) and a price times it the
decimal context; and a bound in a model's validators alone came too late, after the form field had already
complained about "digits" or the database's 2147483647. The bounds live on the model fields
(`between(...)`); ModelForms use `formfield` as their Meta.formfield_callback so that the form field checks
them first, and plain forms pass `between(...)` as their field's validators.
"""

from decimal import Decimal

from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator


def shown(value) -> str:
    """A bound as the message shows it: 10,000,000, 0.10 or 999,999,999,999.99."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return f"{value:,}"


def between(low, high) -> list:
    """Validators for a number from `low` to `high` inclusive, each with a message naming its bound."""
    return [
        MinValueValidator(low, message=f"Ensure this value is greater than or equal to {shown(low)}."),
        MaxValueValidator(high, message=f"Ensure this value is less than or equal to {shown(high)}."),
    ]


def formfield(model_field, **kwargs):
    """ModelForm `Meta.formfield_callback`: a number field checks its model field's bounds itself.

    The digits check of a decimal field is left to the model's validation, which runs only when the bounds
    hold, so an out-of-range number gets the bound's message alone.
    """
    field = model_field.formfield(**kwargs)
    limits = [v for v in model_field.validators if isinstance(v, MinValueValidator | MaxValueValidator)]
    if field is None or not limits:
        return field
    field.validators = [*limits, *(v for v in field.validators if not isinstance(v, DecimalValidator))]
    for limit in limits:
        attr = "min" if isinstance(limit, MinValueValidator) else "max"
        field.widget.attrs[attr] = str(limit.limit_value)
    return field
