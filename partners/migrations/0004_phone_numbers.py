"""An organisation's phone number becomes a phone number field stored in E.164.

A stored number that is valid (a national one read in the organisation's country) is rewritten in E.164;
one that is not is kept as it was typed, for a person to read (see portal.phones.e164_or_as_typed).
"""

import phonenumber_field.modelfields
from django.db import migrations

from portal.phones import e164_or_as_typed


def to_e164(apps, schema_editor):
    PartnerOrganization = apps.get_model("partners", "PartnerOrganization")
    rows = PartnerOrganization._base_manager.exclude(phone="").values_list("pk", "country", "phone")
    for pk, country, raw in rows.iterator():
        PartnerOrganization._base_manager.filter(pk=pk).update(phone=e164_or_as_typed(raw, country))


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_merge_holiday_calendar_numeric_bounds")]

    # The conversion runs while the column is still a CharField, on the strings as they were typed.
    operations = [
        migrations.RunPython(to_e164, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="partnerorganization",
            name="phone",
            field=phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=128, region=None),
        ),
    ]
