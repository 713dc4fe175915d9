"""The evaluation and follow-up emails through a real Celery worker over Redis: the daily job
enqueues one send per booking on its own queue, each email goes once, and a second run of the
job (or a repeated send) sends nothing new."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from tests.learning.processes import database_url, mailed
from tests.services import celery_broker_url, need
from training.evaluation_tasks import send_training_follow_ups_task, send_training_notice_task
from training.models import BookingState, TrainingNotice

from .training.factories_register import make_booking, make_course, make_delegate, make_session

pytestmark = pytest.mark.services
TIMEOUT = 120


@pytest.fixture
def follow_up_worker(request, tmp_path):
    need(bool(celery_broker_url()), "no Celery broker: set CELERY_BROKER_URL", "celery")
    need(
        connection.vendor == "postgresql",
        "the worker needs PostgreSQL (DATABASE_URL)",
        "postgresql",
    )
    queue = f"hub-test-follow-ups-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "HUB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=celery_broker_url(),
        CELERY_RESULT_BACKEND=celery_broker_url(),
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(mail_dir),
        HUB_VAR_DIR=str(tmp_path / "var"),
        WAGTAILADMIN_BASE_URL="http://testserver",
        CONN_MAX_AGE="0",
    )
    log = log_path.open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
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
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        log.close()
        try:
            with celery_app.connection_for_write() as conn:
                channel = conn.default_channel
                channel.queue_delete(queue)
                redis = getattr(channel, "client", None)
                if redis is not None:
                    redis.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        except Exception:  # tidying only
            pass

    request.addfinalizer(stop)

    def result_of(async_result):
        try:
            return async_result.get(timeout=TIMEOUT)
        except Exception as error:
            pytest.fail(f"no answer from the worker: {error!r}\n{log_path.read_text()}")

    def wait_for_mail(count):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if len(mailed(mail_dir)) >= count:
                return mailed(mail_dir)
            time.sleep(0.5)
        pytest.fail(f"{len(mailed(mail_dir))} emails, not {count}\n{log_path.read_text()}")

    return queue, result_of, wait_for_mail, mail_dir


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_each_evaluation_email_once(follow_up_worker, world):
    queue, result_of, wait_for_mail, mail_dir = follow_up_worker
    course = make_course(world.partnerships["Wirral"], "Worker follow-ups")
    recent = make_session(course, timezone.now() - timedelta(days=1, hours=6))
    old = make_session(course, timezone.now() - timedelta(days=91, hours=6))
    people = [make_delegate(world, f"wrk{n}.delegate") for n in range(3)]
    bookings = [make_booking(s, p, BookingState.ATTENDED) for s in (recent, old) for p in people]

    first = result_of(send_training_follow_ups_task.apply_async(queue=queue))
    assert first == {"evaluations": 3, "follow_ups": 3}
    sent = wait_for_mail(6)
    assert len(set(sent)) == 6
    assert ("wrk0.delegate@example.org", "What changed after Worker follow-ups?") in sent

    # Again: the job finds nothing owed, and a repeated send of one already sent sends nothing.
    assert result_of(send_training_follow_ups_task.apply_async(queue=queue)) == {
        "evaluations": 0,
        "follow_ups": 0,
    }
    repeat = send_training_notice_task.apply_async(args=[bookings[0].pk, "evaluation"], queue=queue)
    assert result_of(repeat) is False
    assert len(mailed(mail_dir)) == 6
    assert TrainingNotice.objects.count() == 6
