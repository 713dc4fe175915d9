"""A real `celery -A config worker` for the tests marked `services`: started on a queue of its
own (so no other worker on the broker takes its tasks), over the test database pytest-django
made, writing email to files in a temporary folder, stopped and tidied off the broker after.

Tests send it tasks by name or with `apply_async(queue=worker.queue)`: always to its queue by
name, since Celery's router is cached by earlier tests."""

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.learning.processes import mailed
from tests.services import celery_broker_url, need

WORKER_TIMEOUT = 120  # seconds for the worker to start, take a task and answer, on a busy CI box


def database_url_for_worker() -> str | None:
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


@dataclass
class RealWorker:
    queue: str
    mail_dir: Path
    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        return self.log_path.read_text()

    def send(self, task_name: str, *args):
        return celery_app.send_task(task_name, args=list(args), queue=self.queue)

    def result(self, async_result, timeout: float = WORKER_TIMEOUT):
        """The task's return value; the test fails with the worker's log if none comes.
        The test body is not a task, whatever eager runs earlier in this process left behind,
        so waiting here is allowed."""
        try:
            return async_result.get(timeout=timeout, disable_sync_subtasks=False)
        except Exception as error:
            pytest.fail(
                f"the worker (exit code {self.process.poll()}) gave no answer: {error!r}\n"
                f"--- worker log ---\n{self.log()}"
            )

    def wait_for_log(self, text: str, timeout: float = WORKER_TIMEOUT) -> str:
        """The first line of the worker's log that holds `text`, once it is there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = [line for line in self.log().splitlines() if text in line]
            if lines:
                return lines[0]
            time.sleep(0.2)
        pytest.fail(f"no {text!r} in the worker's log\n{self.log()}")

    def wait_for_mail(self, count: int, timeout: float = WORKER_TIMEOUT):
        """(to, subject) of the mail written, once there are at least `count` messages."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(mailed(self.mail_dir)) >= count:
                return mailed(self.mail_dir)
            time.sleep(0.5)
        pytest.fail(f"{len(mailed(self.mail_dir))} emails, not {count}\n{self.log()}")


def start_worker(request, tmp_path, name: str, **extra_env: str) -> RealWorker:
    """Start a worker for this test (skipped, or failed under HUB_REQUIRE_SERVICES, without a
    broker or a database another process can open); it is stopped when the test ends."""
    need(
        bool(celery_broker_url()),
        "no Celery broker: set CELERY_BROKER_URL to run a real worker",
        "celery",
    )
    need(
        settings.CELERY_TASK_ALWAYS_EAGER is False, "the test settings run Celery eagerly", "celery"
    )
    database_url = database_url_for_worker()
    need(
        database_url is not None,
        "the test database is in memory, where a worker cannot see it: set DATABASE_URL to "
        "PostgreSQL",
        "postgresql",
    )

    queue = f"hub-test-{name}-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    # The worker's settings come from here alone, not from whatever the shell running the tests
    # happens to set.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "HUB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=celery_broker_url(),
        CELERY_RESULT_BACKEND=celery_broker_url(),
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(mail_dir),
        HUB_VAR_DIR=str(tmp_path / "var"),
        WAGTAILADMIN_BASE_URL="http://testserver",
        CONN_MAX_AGE="0",
        PYTHONUNBUFFERED="1",
        **extra_env,
    )
    log = log_path.open("w")
    process = subprocess.Popen(
        [
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
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def stop():
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
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
    return RealWorker(queue, mail_dir, log_path, process)
