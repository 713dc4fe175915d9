"""The evaluation and follow-up emails through a real Celery worker over Redis: the daily job
enqueues one send per booking on its own queue, each email goes once, and a second run of the
job (or a repeated send) sends nothing new."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.models import Notice
from tests.celery_worker import start_worker
from tests.learning.processes import mailed
from training.evaluation_tasks import send_training_follow_ups_task, send_training_notice_task
from training.models import Booking, BookingState

from .training.factories_register import make_booking, make_course, make_delegate, make_session

pytestmark = pytest.mark.services


@pytest.fixture
def follow_up_worker(request, tmp_path):
    """A worker (tests.celery_worker): its queue, how to wait for a result and for mail, and
    the mail folder."""
    worker = start_worker(request, tmp_path, "follow-ups")
    return worker.queue, worker.result, worker.wait_for_mail, worker.mail_dir


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
    assert Notice.objects.about(Booking).count() == 6
