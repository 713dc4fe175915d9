"""The session reminder on a real Celery worker over Redis: sent once, and a second run of the
task sends nothing more."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from hub.models import Notice
from hub.working_days import subtract_working_days
from tests.celery_worker import start_worker
from tests.learning.processes import mailed
from training.models import Booking, BookingState

pytestmark = pytest.mark.services


@pytest.fixture
def training_worker(request, tmp_path):
    """A worker (tests.celery_worker) and a function that runs the daily session reminder job
    on it for a date."""
    worker = start_worker(request, tmp_path, "training")

    def run(today) -> int:
        return worker.result(
            worker.send("training.tasks.send_session_reminders_task", today.isoformat())
        )

    return run, worker.mail_dir


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
    assert Notice.objects.about(Booking).filter(kind="reminder").count() == 1
