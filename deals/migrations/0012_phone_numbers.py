"""The deal's phone numbers become phone number fields stored in E.164.

A stored number that is valid (a national one read in the registering organisation's country) is rewritten
in E.164; one that is not is kept as it was typed, for a person to read: the form asks for a valid number
the next time the deal is edited (see portal.phones.e164_or_as_typed).
"""

import phonenumber_field.modelfields
from django.db import migrations

from portal.phones import e164_or_as_typed

PHONE_FIELDS = ("partner_contact_phone", "contact_phone")


def to_e164(apps, schema_editor):
    Deal = apps.get_model("deals", "Deal")
    rows = Deal._base_manager.exclude(partner_contact_phone="", contact_phone="").values_list(
        "pk", "organization__country", *PHONE_FIELDS
    )
    for pk, country, *phones in rows.iterator():
        converted = {name: e164_or_as_typed(raw, country) for name, raw in zip(PHONE_FIELDS, phones) if raw}
        Deal._base_manager.filter(pk=pk).update(**converted)


class Migration(migrations.Migration):
    dependencies = [("deals", "0011_numeric_bounds")]

    # The conversion runs while the column is still a CharField, on the strings as they were typed.
    operations = [
        migrations.RunPython(to_e164, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="deal",
            name="contact_phone",
            field=phonenumber_field.modelfields.PhoneNumberField(
                blank=True, max_length=128, region=None, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="deal",
            name="partner_contact_phone",
            field=phonenumber_field.modelfields.PhoneNumberField(
                blank=True, max_length=128, region=None, verbose_name="contact phone"
            ),
        ),
    ]
