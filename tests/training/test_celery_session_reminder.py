"""The session reminder on a real Celery worker over Redis: sent once, and a second run of the
task sends nothing more."""

import os
import subprocess
import sys
import uuid
from datetime import datetime, time, timedelta

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from reviews.deadlines import subtract_working_days
from tests.learning.processes import database_url, mailed
from tests.services import need
from tests.test_celery_reminders import BROKER_URL, broker_reachable
from training.models import Booking, BookingState, TrainingNotice

pytestmark = pytest.mark.services


@pytest.fixture
def training_worker(tmp_path):
    need(
        connection.vendor == "postgresql",
        "the worker needs the test database on PostgreSQL (DATABASE_URL)",
        "postgresql",
    )
    need(broker_reachable(), f"no Celery broker at {BROKER_URL}", "celery")
    queue = f"hub-test-training-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "HUB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=BROKER_URL,
        CELERY_RESULT_BACKEND=BROKER_URL,
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(mail_dir),
        HUB_VAR_DIR=str(tmp_path / "var"),
        WAGTAILADMIN_BASE_URL="http://testserver",
    )
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "INFO",
         "-Q", queue],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    client = Celery("hub-test-client", broker=BROKER_URL, backend=BROKER_URL)

    def run(today) -> int:
        result = client.send_task(
            "training.tasks.send_session_reminders_task", args=[today.isoformat()], queue=queue
        )
        try:
            return result.get(timeout=90, disable_sync_subtasks=False)
        except Exception:
            log.flush()
            print((tmp_path / "worker.log").read_text())
            raise

    try:
        yield run, mail_dir
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
        client.close()


# Committed data, so the worker sees it; serialized rollback puts back what migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_the_session_reminder_once(training_worker, course, make_session, people):
    run, mail_dir = training_worker
    # The worker runs in real time: a session a month ahead, reminded 2 working days before.
    day = timezone.localdate() + timedelta(days=30)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    session = make_session(
        course, starts_at=timezone.make_aware(datetime.combine(day, time(9, 30)))
    )
    practitioner = people["practitioner"]
    Booking.objects.create(
        session=session,
        user=practitioner,
        agency=practitioner.membership.agency,
        partnership=practitioner.membership.partnership,
        state=BookingState.BOOKED,
    )
    reminder_day = subtract_working_days(day, 2)

    assert run(reminder_day) == 1
    assert run(reminder_day) == 0
    sent = mailed(mail_dir)
    assert len(sent) == 1
    assert sent[0][0] == "practitioner@example.org"
    assert sent[0][1].startswith("Reminder: Working together: essentials")
    assert TrainingNotice.objects.filter(kind="reminder").count() == 1
