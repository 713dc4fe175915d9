"""Celery: a real worker process on a real broker, and the eager embedded default.

The worker test starts `celery -A config worker` against the test database pytest-django made,
on a queue of its own so that no other worker on the broker takes the task, with the file email
backend in a temporary folder, and checks the email the worker wrote.
"""

import pytest
from django.contrib.auth import get_user_model

from config.celery import app as celery_app
from partnership.tasks import send_notification
from tests.celery_worker import start_worker


@pytest.fixture
def worker(request, tmp_path):
    return start_worker(request, tmp_path, "notify")


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_notification_email(worker):
    user = get_user_model().objects.create_user(
        username="worker-test", email="pat.worker@example.org", password="x"
    )

    # Sent to this worker's own queue by name: Celery declares it (and its binding) before
    # publishing, and the app's router, cached by earlier tests, is not involved.
    result = send_notification.apply_async(
        args=[user.pk, "Action due next week", "Open the Hub to update it."], queue=worker.queue
    )

    sent = worker.result(result)
    result.forget()
    assert sent is True
    files = sorted(worker.mail_dir.iterdir())
    assert len(files) == 1, worker.log()
    message = files[0].read_text()
    assert "To: pat.worker@example.org" in message
    assert "Subject: Action due next week" in message
    assert "Open the Hub to update it." in message
    assert f"{worker.queue}@" in worker.log()
    # The worker logs through the settings' handlers, which withhold what a task returned.
    # (The line comes just after the result is stored: wait for it.)
    success = worker.wait_for_log("succeeded in")
    assert success.endswith("s: [withheld]"), success


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
