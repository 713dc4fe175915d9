"""Celery: a real worker process on a real broker, and the eager embedded default.

The worker test starts `celery -A config worker` against the test database pytest-django made,
on a queue of its own so that no other worker on the broker takes the task, with the file email
backend in a temporary folder, and checks the email the worker wrote.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from config.celery import app as celery_app
from partnership.tasks import send_notification
from tests.services import celery_broker_url, need

WORKER_TIMEOUT = 120  # seconds for the worker to start, take the task and answer, on a busy CI box


def _database_url_for_worker() -> str | None:
    """A DATABASE_URL naming the test database, or None if another process cannot open it."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
    if connection.vendor == "sqlite" and not connection.creation.is_in_memory_db(db["NAME"]):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return None


@pytest.fixture
def worker_queue(request, tmp_path):
    """A Celery worker subprocess on a queue of its own: (queue, mail folder, log, process)."""
    need(
        bool(celery_broker_url()),
        "no Celery broker: set CELERY_BROKER_URL to run a real worker",
        "celery",
    )
    need(
        settings.CELERY_TASK_ALWAYS_EAGER is False, "the test settings run Celery eagerly", "celery"
    )
    database_url = _database_url_for_worker()
    need(
        database_url is not None,
        "the test database is in memory, where a worker cannot see it: set DATABASE_URL to "
        "PostgreSQL",
        "postgresql",
    )

    queue = f"hub-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": celery_broker_url(),
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(mail_dir),
        "HUB_VAR_DIR": str(tmp_path / "var"),
        "CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        f"--queues={queue}",
        f"--hostname={queue}@%h",
        "--loglevel=INFO",
    ]
    log = log_path.open("w")
    worker = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def stop():
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        log.close()
        # Leave nothing behind on the broker: the queue and its binding were this test's only.
        try:
            with celery_app.connection_for_write() as conn:
                channel = conn.default_channel
                channel.queue_delete(queue)
                redis = getattr(channel, "client", None)  # kombu's Redis transport keeps these
                if redis is not None:
                    redis.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        except Exception:  # tidying only; the broker may be gone
            pass

    request.addfinalizer(stop)
    return queue, mail_dir, log_path, worker


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_notification_email(worker_queue):
    queue, mail_dir, log_path, worker = worker_queue
    user = get_user_model().objects.create_user(
        username="worker-test", email="pat.worker@example.org", password="x"
    )

    # Sent to this worker's own queue by name: Celery declares it (and its binding) before
    # publishing, and the app's router, cached by earlier tests, is not involved.
    result = send_notification.apply_async(
        args=[user.pk, "Action due next week", "Open the Hub to update it."], queue=queue
    )

    try:
        sent = result.get(timeout=WORKER_TIMEOUT)
    except Exception as error:
        pytest.fail(
            f"the worker (exit code {worker.poll()}) gave no answer: {error!r}\n"
            f"--- worker log ---\n{log_path.read_text()}"
        )
    result.forget()
    assert sent is True
    files = sorted(mail_dir.iterdir())
    assert len(files) == 1, log_path.read_text()
    message = files[0].read_text()
    assert "To: pat.worker@example.org" in message
    assert "Subject: Action due next week" in message
    assert "Open the Hub to update it." in message
    assert f"{queue}@" in log_path.read_text()


def test_notification_task_runs_eagerly_and_sends_through_locmem(db, mailoutbox, monkeypatch):
    """The embedded default has no broker: tasks run in the calling process. The services pass
    of .ci/run sets a broker, so the test says eager itself."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    user = get_user_model().objects.create_user(
        username="eager-test", email="lee.eager@example.org", password="x"
    )
    leaver = get_user_model().objects.create_user(
        username="leaver", email="leaver@example.org", password="x", is_active=False
    )

    assert send_notification.delay(user.pk, "Briefing published", "Read it in the Hub.").get()
    assert send_notification.delay(leaver.pk, "Briefing published", "Read it.").get() is False

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["lee.eager@example.org"], "Briefing published")
    ]
