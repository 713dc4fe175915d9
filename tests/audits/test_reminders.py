"""An agency's leads hear of their return through the outbox: asked for it when the cycle opens,
reminded before it is due and once it is overdue, each once per due date, and never once it is
submitted. Nobody else hears, and no email carries what the return says."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from audits.reminders import send_return_notices
from hub.models import Notice

from .conftest import agency_lead_of, open_cycle, submitted

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@example.org"]]


def test_opening_a_cycle_invites_each_agencys_leads_once(
    standard_set, people, agencies, django_capture_on_commit_callbacks, tasks_in_this_process
):
    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_cycle(standard_set, people, agencies)
    police, health = _to("agencylead"), _to("healthlead")
    assert len(police) == 1 and len(health) == 1
    assert police[0].subject == f"Your agency's {cycle.title} return is open"
    police_return = cycle.returns.get(agency__short_name="Police")
    assert f"/self-assessment/returns/{police_return.pk}/" in police[0].body
    # Run again the same day: the invitations are in the ledger, nothing goes twice.
    assert send_return_notices(TODAY).invited == 0
    assert len(mail.outbox) == 2
    assert Notice.objects.filter(kind="return_invited").count() == 2


def test_due_soon_then_overdue_once_each_and_a_moved_date_rearms(cycle, people):
    send_return_notices(TODAY)
    mail.outbox.clear()
    due = cycle.due_date
    assert send_return_notices(due - timedelta(days=15)).due_soon == 0
    soon = send_return_notices(due - timedelta(days=14))
    assert soon.due_soon == 2 and send_return_notices(due).due_soon == 0
    late = send_return_notices(due + timedelta(days=1))
    assert late.overdue == 2 and send_return_notices(due + timedelta(days=9)).overdue == 0
    assert [m.subject for m in _to("agencylead")] == [
        f"Your agency's {cycle.title} return is due on {due.day} {due:%B %Y}",
        f"Your agency's {cycle.title} return was due on {due.day} {due:%B %Y}",
    ]
    # The partnership gives more time: the new date is a new occasion for both reminders.
    cycle.due_date = due + timedelta(days=30)
    cycle.save()
    assert send_return_notices(due + timedelta(days=20)).due_soon == 2


def test_a_submitted_return_is_not_chased(cycle, police_return, people):
    submitted(police_return, people["agencylead"])
    sent = send_return_notices(cycle.due_date + timedelta(days=1))
    assert not _to("agencylead") and len(_to("healthlead")) == 2
    assert (sent.invited, sent.overdue) == (1, 1)


def test_only_the_agencys_own_leads_hear_and_no_answer_leaves_the_hub(
    cycle, police_return, people, world
):
    secret = "Fictional narrative only the return should hold"
    assessment = police_return.assessments.first()
    assessment.narrative = secret
    assessment.save()
    agency_lead_of(world, "Liverpool", "Police", "liverpool.police.lead")
    inactive = agency_lead_of(world, "Wirral", "Police", "retired.police.lead")
    inactive.is_active = False
    inactive.save()
    send_return_notices(cycle.due_date + timedelta(days=1))
    assert {m.to[0] for m in mail.outbox} == {"agencylead@example.org", "healthlead@example.org"}
    assert all(secret not in m.body for m in mail.outbox)


def test_the_command_runs_the_job_for_a_given_day(cycle, capsys):
    call_command("send_return_notices", "--today", cycle.due_date.isoformat())
    assert "'invited': 2, 'due_soon': 2, 'overdue': 0" in capsys.readouterr().out
