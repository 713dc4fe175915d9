"""The reminder job on a real Celery worker over Redis: it sends each notice once, and a second
run of the task sends nothing new."""

from datetime import date, timedelta

import pytest

from hub.models import Notice
from learning.models import Action
from tests.celery_worker import start_worker
from tests.learning.processes import mailed

pytestmark = pytest.mark.services

TODAY = date(2027, 3, 10)


@pytest.fixture
def reminder_worker(request, tmp_path):
    """A worker (tests.celery_worker) with the weekly digest due on every day, and a function
    that runs the daily reminder job on it for a date."""
    worker = start_worker(request, tmp_path, "reminders", HUB_ACTION_DIGEST_WEEKDAY="0")

    def run(today: date) -> dict:
        return worker.result(
            worker.send("learning.tasks.send_action_reminders_task", today.isoformat())
        )

    return run, worker.mail_dir


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
    assert Notice.objects.unsent().count() == 0
