"""Requests still waiting on deals that can no longer be extended (from before such requests closed
themselves, see deals.services._close_extension_request_of_ended_deal) are declined with the reason."""

from django.db import migrations
from django.utils import timezone

EXTENDABLE_STATES = ("approved", "quoted", "extended", "expired")


def close_waiting_requests(apps, schema_editor):
    ExtensionRequest = apps.get_model("deals", "ExtensionRequest")
    waiting = ExtensionRequest._base_manager.filter(decided_at__isnull=True).exclude(
        deal__state__in=EXTENDABLE_STATES
    )
    for request in waiting.select_related("deal"):
        request.decision = "declined"
        request.decided_at = timezone.now()
        request.decision_note = f"Closed automatically: the registration is {request.deal.state}."
        request.save(update_fields=["decision", "decided_at", "decision_note"])


class Migration(migrations.Migration):
    dependencies = [("deals", "0005_extension_requests")]

    operations = [migrations.RunPython(close_waiting_requests, migrations.RunPython.noop)]
