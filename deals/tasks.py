"""Celery tasks: thin wrappers around deals.jobs (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import jobs


def _run(job) -> dict:
    return job().counts


@shared_task(name="deals.tasks.expire_registrations", ignore_result=True)
def expire_registrations() -> dict:
    return _run(jobs.expire_registrations)


@shared_task(name="deals.tasks.check_staleness", ignore_result=True)
def check_staleness() -> dict:
    return _run(jobs.check_staleness)


@shared_task(name="deals.tasks.send_update_reminders", ignore_result=True)
def send_update_reminders() -> dict:
    return _run(jobs.send_update_reminders)


@shared_task(name="deals.tasks.review_sla_alerts", ignore_result=True)
def review_sla_alerts() -> dict:
    return _run(jobs.review_sla_alerts)


@shared_task(name="deals.tasks.dispatch_missed_events", ignore_result=True)
def dispatch_missed_events() -> dict:
    return _run(jobs.dispatch_missed_events)
