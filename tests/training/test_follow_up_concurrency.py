"""Two runs of the follow-up job at once, in two processes on PostgreSQL: each email goes once."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from hub.models import Notice
from tests.learning.processes import mailed, process_env
from tests.services import need
from training.models import Booking, BookingState

from .factories_register import make_booking, make_course, make_delegate, make_session


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_at_once_send_each_email_once(world, tmp_path):
    from django.db import connection

    need(connection.vendor == "postgresql", "PostgreSQL only: set DATABASE_URL", "postgresql")
    course = make_course(world.partnerships["Wirral"], "Concurrent follow-ups")
    recent = make_session(course, timezone.now() - timedelta(days=1, hours=6))
    old = make_session(course, timezone.now() - timedelta(days=91, hours=6))
    people = [make_delegate(world, f"conc{n}.delegate") for n in range(30)]
    for session in (recent, old):
        for person in people:
            make_booking(session, person, BookingState.ATTENDED)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    command = [sys.executable, "manage.py", "send_training_follow_ups"]
    runs = [
        subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=process_env(mail_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=180) for run in runs]
    totals = [0, 0]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        last = out.strip().splitlines()[-1]
        evaluations, follow_ups = (int(part.split("=")[1]) for part in last.split())
        totals = [totals[0] + evaluations, totals[1] + follow_ups]
    assert totals == [30, 30]
    messages = mailed(mail_dir)
    assert len(messages) == 60 and len(set(messages)) == 60
    assert Notice.objects.about(Booking).count() == 60
