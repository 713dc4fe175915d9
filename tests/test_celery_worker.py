"""Celery: a real worker process on a real broker, and the eager embedded default.

The worker test starts `celery -A config worker` against the test database pytest-django made,
on a queue of its own so that no other worker on the broker takes the task, with the file email
backend in a temporary folder, and checks the email the worker wrote.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from tests.celery_worker import start_worker
from training.evaluation_tasks import send_training_notice_task
from training.models import BookingState

from .training.factories_register import make_booking, make_course, make_delegate, make_session


def attended(world, username):
    """A booking for a session that ended yesterday, whose delegate is owed the evaluation email
    (a notice sent through the outbox)."""
    course = make_course(world.partnerships["Wirral"], "Working together: essentials")
    session = make_session(course, timezone.now() - timedelta(days=1, hours=6))
    return make_booking(session, make_delegate(world, username), BookingState.ATTENDED)


@pytest.fixture
def worker(request, tmp_path):
    return start_worker(request, tmp_path, "notify")


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_notification_email(worker, world):
    booking = attended(world, "pat.worker")

    # Sent to this worker's own queue by name: Celery declares it (and its binding) before
    # publishing, and the app's router, cached by earlier tests, is not involved.
    result = send_training_notice_task.apply_async(
        args=[booking.pk, "evaluation"], queue=worker.queue
    )

    sent = worker.result(result)
    result.forget()
    assert sent is True
    files = sorted(worker.mail_dir.iterdir())
    assert len(files) == 1, worker.log()
    message = files[0].read_text()
    assert "To: pat.worker@example.org" in message
    assert "Subject: Evaluate Working together: essentials and get your certificate" in message
    assert reverse("training-evaluate", args=[booking.pk]) in message
    assert f"{worker.queue}@" in worker.log()
    # The worker logs through the settings' handlers, which withhold what a task returned.
    # (The line comes just after the result is stored: wait for it.)
    success = worker.wait_for_log("succeeded in")
    assert success.endswith("s: [withheld]"), success


def test_notification_task_runs_eagerly_and_sends_through_locmem(world, mailoutbox, monkeypatch):
    """The embedded default has no broker: tasks run in the calling process. The services pass
    of .ci/run sets a broker, so the test says eager itself."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    booking = attended(world, "lee.eager")
    leaver = attended(world, "leaver")
    leaver.user.is_active = False
    leaver.user.save()

    assert send_training_notice_task.delay(booking.pk, "evaluation").get()
    assert send_training_notice_task.delay(leaver.pk, "evaluation").get() is False

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ["lee.eager@example.org"],
            "Evaluate Working together: essentials and get your certificate",
        )
    ]
