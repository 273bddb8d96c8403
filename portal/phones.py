"""Phone numbers: read by the rules of a country (libphonenumber, through django-phonenumber-field), stored
in E.164 (`+14155552671`) and shown in international format (`+1 415-555-2671`, the setting
PHONENUMBER_DEFAULT_FORMAT), which every reader understands wherever they sit.

A national number ("(415) 555-2671") is read in the region of the country the form knows (the partner
organisation's); one with a `+` prefix is read as it says.
"""

import phonenumbers
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.widgets import RegionalPhoneNumberWidget


def region_of(country) -> str | None:
    """The phonenumbers region of a country (a Country, a code or anything typed), or None."""
    code = str(getattr(country, "code", country) or "").upper()
    return code if code in phonenumbers.SUPPORTED_REGIONS else None


def phone_field(field, country):
    """Form field `field` (label, help text, widget attributes kept) as a phone number field that reads
    national numbers by the rules of `country`."""
    region = region_of(country)
    return PhoneNumberField(
        region=region,
        required=field.required,
        label=field.label,
        help_text=field.help_text,
        widget=RegionalPhoneNumberWidget(region=region, attrs=field.widget.attrs),
    )


def e164_or_as_typed(raw: str, country) -> str:
    """A stored number in E.164 when it is a valid number (national ones read in `country`), else as it
    was typed: a number that cannot be read is kept for a person to read, and the form asks for a valid one
    the next time the record is edited."""
    try:
        number = phonenumbers.parse(raw, region_of(country))
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_valid_number(number):
        return raw
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
