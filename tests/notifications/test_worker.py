"""Integration: a real Celery worker process on the local Redis runs a job and sends its emails."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from deals.models import DealState
from notifications.models import OutboxEmail
from portal.celery import app
from tests.helpers import approved_deal, reload

BROKER = "redis://127.0.0.1:6379/13"  # a database number of its own, away from the test settings' 15
CELERY = Path(sys.executable).with_name("celery")
WAIT_FOR = 60  # seconds before giving up on the worker (a generous bound, not a timing assertion)


@pytest.fixture
def worker(tmp_path):
    """A `celery -A portal worker` on the test database and a queue of its own; stopped afterwards."""
    queue = f"test-portal-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": BROKER,  # with a broker, tasks are no longer eager
        "CELERY_QUEUE": queue,
        "EMAIL_URL": "consolemail://",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [str(CELERY), "-A", "portal", "worker", "-Q", queue, "--pool", "solo", "--loglevel", "INFO"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
    with app.connection_for_write(BROKER) as conn:
        conn.default_channel.queue_purge(queue)


def wait_until(condition) -> bool:
    deadline = time.monotonic() + WAIT_FOR
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker shares the PostgreSQL test database"
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_expires_a_registration_and_delivers_its_emails(
    worker, reseller, partner_user, tmp_path
):
    deal = approved_deal(
        organization=reseller, registered_by=partner_user, at=timezone.now() - timedelta(days=61)
    )

    with app.connection_for_write(BROKER) as conn:
        app.send_task("deals.tasks.expire_registrations", queue=worker, connection=conn)

    def delivered():
        emails = OutboxEmail.objects.filter(event_type="deal_expired")
        return emails.exists() and not emails.exclude(status=OutboxEmail.Status.SENT).exists()

    assert wait_until(delivered), (tmp_path / "worker.log").read_text()[-3000:]
    assert reload(deal).state == DealState.EXPIRED
    [email] = OutboxEmail.objects.filter(event_type="deal_expired")
    assert email.to == partner_user.email and email.sent_at is not None and email.attempts == 1
    log = (tmp_path / "worker.log").read_text()
    assert "notifications.tasks.deliver_outbox" in log  # the delivery ran in the worker, off the queue
