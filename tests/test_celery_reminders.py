"""The reminder job on a real Celery worker over Redis: it sends each notice once, and a second
run of the task sends nothing new."""

import os
import subprocess
import sys
import uuid
from datetime import date, timedelta

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from kombu import Connection

from learning.models import Action, ActionNotice
from tests.learning.processes import database_url, mailed

pytestmark = pytest.mark.services

BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/9"
TODAY = date(2027, 3, 10)


def unavailable(reason):
    if os.environ.get("HUB_REQUIRE_SERVICES") == "1":
        pytest.fail(f"HUB_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def broker_reachable() -> bool:
    try:
        with Connection(BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


@pytest.fixture
def reminder_worker(tmp_path):
    """A `celery worker` process on its own queue, over the test database, writing mail to
    files; yields a client that sends it tasks and the mail folder."""
    if connection.vendor != "postgresql":
        unavailable("the worker needs the test database on PostgreSQL (DATABASE_URL)")
    if not broker_reachable():
        unavailable(f"no Celery broker at {BROKER_URL}")
    queue = f"hub-test-reminders-{uuid.uuid4().hex[:8]}"
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
        HUB_ACTION_DIGEST_WEEKDAY="0",
        WAGTAILADMIN_BASE_URL="http://testserver",
    )
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
            "-Q",
            queue,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = Celery("hub-test-client", broker=BROKER_URL, backend=BROKER_URL)

    def run(today: date) -> dict:
        result = client.send_task(
            "learning.tasks.send_action_reminders_task", args=[today.isoformat()], queue=queue
        )
        try:
            return result.get(timeout=90)
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
def test_the_worker_sends_each_reminder_once(reminder_worker, world):
    run, mail_dir = reminder_worker
    police = world.agencies[("Wirral", "Police")]
    for n, days in enumerate((2, -5, -40)):
        Action.objects.create(
            reference=f"WRK-{n}",
            description="Refresh the neglect screening tool and brief the front door.",
            partnership=police.partnership,
            owner_agency=police,
            due_date=TODAY + timedelta(days=days),
        )

    assert run(TODAY) == {"reminders": 3, "digests": 1, "escalations": 1}
    sent = mailed(mail_dir)
    assert len(sent) == 5
    assert sorted(to for to, _subject in sent).count("agencylead@example.org") == 4
    assert ("exec@example.org", "Escalation: action WRK-2 is 40 days overdue") in sent

    assert run(TODAY) == {"reminders": 0, "digests": 0, "escalations": 0}
    assert len(mailed(mail_dir)) == 5
    assert ActionNotice.objects.unsent().count() == 0
