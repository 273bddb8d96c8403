"""Run every periodic job once and deliver the outbox (for the embedded default and cron users)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from deals import jobs
from notifications import outbox


class Command(BaseCommand):
    help = (
        "Runs each lifecycle job once — dispatch missed notifications, expiry and its warnings, staleness, "
        "update reminders, review-SLA alerts — then sends the due emails. Safe to run as often as you "
        "like and from several machines at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-email", action="store_true", help="Leave the emails in the outbox for a worker to send."
        )

    def handle(self, *args, no_email=False, **options):
        now = timezone.now()
        started = time.monotonic()
        # Counts the emails delivered during the whole run: without a broker the jobs' after-commit
        # hooks deliver most of them before the delivery step below.
        with outbox.recording() as report:
            for result in jobs.run_all(now=now):
                self.stdout.write(str(result))
            if not no_email:
                outbox.deliver_all_due()
        if not no_email or report.handled:  # eager hooks deliver even with --no-email
            self.stdout.write(
                f"email: {report.sent} sent, {report.failed} failed (will retry), {report.given_up} given up"
            )
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.2f}s."))
