"""Celery tasks of the notifications app: thin wrappers around notifications.outbox."""

from celery import shared_task

from . import outbox


@shared_task(name="notifications.tasks.deliver_outbox", ignore_result=True)
def deliver_outbox() -> dict:
    """Send every due email; failures wait for their backoff and the next run (beat runs this each minute)."""
    report = outbox.deliver_all_due()
    return {"sent": report.sent, "failed": report.failed, "given_up": report.given_up}
