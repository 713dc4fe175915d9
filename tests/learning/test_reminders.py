"""Reminders, escalations and digests about follow-up actions: who hears, when, and only once."""

import itertools
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection

from hub.models import Notice
from learning.models import Action, ActionState, NoticeStage
from learning.reminders import ReminderCounts, send_action_reminders
from learning.tasks import send_action_reminders_task
from partnership.access import SharingLevel
from partnership.models import Membership, Role

from .processes import mailed, process_env

_numbers = itertools.count(1)

# A Wednesday, so that a test about reminders says when it wants the Monday digest.
TODAY = date(2027, 3, 10)


@pytest.fixture
def make_action(world):
    """A fictional open action of Wirral Police, due `days` from TODAY, with no named lead.

    (Overrides the package's `make_action` here: reminders count days from TODAY.)"""

    def make(days=0, agency=("Wirral", "Police"), today=TODAY, **fields):
        n = next(_numbers)
        owner = world.agencies[agency]
        fields.setdefault("reference", f"ACT-{n:05d}")
        fields.setdefault("description", f"Deliver the refreshed neglect toolkit briefing {n}.")
        fields.setdefault("sharing_level", SharingLevel.PARTNERSHIP)
        return Action.objects.create(
            partnership=owner.partnership,
            owner_agency=owner,
            due_date=today + timedelta(days=days),
            **fields,
        )

    return make


MONDAY = date(2027, 3, 8)
BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def no_digest_unless_asked(settings):
    """Weekday 7 never comes: reminder tests see only reminders; digest tests switch it on."""
    settings.HUB_ACTION_DIGEST_WEEKDAY = 7
    settings.HUB_ACTION_REMINDER_DAYS = 14
    settings.HUB_ACTION_ESCALATION_DAYS = 30


def sent_to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@example.org"]]


def counts(reminders=0, digests=0, escalations=0):
    return ReminderCounts(reminders=reminders, digests=digests, escalations=escalations)


def test_date_edges_of_due_soon_overdue_and_escalation(make_action):
    due = {days: make_action(days=days) for days in (0, 14, 15, -1, -30, -31)}

    assert send_action_reminders(TODAY) == counts(reminders=5, escalations=1)

    lead_mail = {m.subject for m in sent_to("agencylead")}
    assert lead_mail == {
        f"Action {due[0].reference} is due today",
        f"Action {due[14].reference} is due on 24 March 2027",
        f"Action {due[-1].reference} is overdue",
        f"Action {due[-30].reference} is overdue",
        f"Action {due[-31].reference} is overdue",
    }
    assert [m.subject for m in sent_to("exec")] == [
        f"Escalation: action {due[-31].reference} is 31 days overdue"
    ]
    assert not Notice.objects.about(due[15]).exists()


def test_closed_and_completed_actions_are_left_alone(make_action):
    for state in (ActionState.COMPLETED, ActionState.EMBEDDED, ActionState.NOT_ACHIEVED):
        make_action(days=-40, state=state)
    assert send_action_reminders(TODAY) == counts()
    assert mail.outbox == []


def test_the_named_lead_hears_and_not_the_agency_leads(make_action, people):
    action = make_action(days=3, lead=people["healthlead"])
    send_action_reminders(TODAY)
    assert [m.to for m in mail.outbox] == [["healthlead@example.org"]]
    assert action.reference in mail.outbox[0].subject


def test_without_a_named_lead_the_owning_agencys_leads_hear(make_action, world, people):
    other = people["practitioner"]
    other.groups.add(Group.objects.get(name=Role.AGENCY_LEAD.label))
    Membership.objects.filter(user=other).update(agency=world.agencies[("Wirral", "Police")])
    make_action(days=3)
    make_action(days=3, agency=("Liverpool", "Police"))

    send_action_reminders(TODAY)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "agencylead@example.org",
        "practitioner@example.org",
    ]
    assert sent_to("healthlead") == [], "an agency lead of another agency hears nothing"


def test_an_inactive_lead_falls_back_to_the_agency_leads(make_action, people):
    lead = people["healthlead"]
    lead.is_active = False
    lead.save()
    make_action(days=3, lead=lead)
    send_action_reminders(TODAY)
    assert [m.to for m in mail.outbox] == [["agencylead@example.org"]]


def test_running_twice_on_the_same_day_sends_nothing_new(make_action):
    for days in (1, 5, -2, -45):
        make_action(days=days)
    first = send_action_reminders(TODAY)
    assert first == counts(reminders=4, escalations=1)
    sent = len(mail.outbox)

    assert send_action_reminders(TODAY) == counts()
    assert send_action_reminders(TODAY + timedelta(days=1)) == counts()
    assert len(mail.outbox) == sent
    assert Notice.objects.unsent().count() == 0


def test_the_command_prints_what_it_sent_and_zeros_the_second_time(make_action):
    make_action(days=2)
    make_action(days=-35)

    out = StringIO()
    call_command("send_action_reminders", today=TODAY.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[-1] == "reminders=2 digests=0 escalations=1"

    out = StringIO()
    call_command("send_action_reminders", "--today", TODAY.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[-1] == "reminders=0 digests=0 escalations=0"


def test_an_action_becoming_overdue_hears_again_once(make_action):
    action = make_action(days=1)
    assert send_action_reminders(TODAY).reminders == 1
    assert send_action_reminders(TODAY + timedelta(days=1)).reminders == 0, "due today: told"
    assert send_action_reminders(TODAY + timedelta(days=2)).reminders == 1, "now overdue"
    assert send_action_reminders(TODAY + timedelta(days=3)).reminders == 0
    stages = set(Notice.objects.about(action).values_list("kind", flat=True))
    assert stages == {NoticeStage.DUE_SOON, NoticeStage.OVERDUE}


def test_escalation_is_sent_once(make_action):
    make_action(days=-31)
    assert send_action_reminders(TODAY) == counts(reminders=1, escalations=1)
    for later in range(1, 10):
        assert send_action_reminders(TODAY + timedelta(days=later)) == counts()
    assert len(sent_to("exec")) == 1


def test_escalation_goes_only_to_the_owning_partnerships_executive_group(
    make_action, world, people
):
    liverpool_exec = people["liverpool.manager"]
    liverpool_exec.groups.set([Group.objects.get(name=Role.EXECUTIVE_GROUP.label)])
    make_action(days=-40, sharing_level=SharingLevel.REGIONAL)

    assert send_action_reminders(TODAY).escalations == 1
    assert sent_to("liverpool.manager") == []
    assert len(sent_to("exec")) == 1


def test_escalation_days_come_from_the_setting(make_action, settings):
    settings.HUB_ACTION_ESCALATION_DAYS = 10
    make_action(days=-11)
    make_action(days=-10)
    assert send_action_reminders(TODAY).escalations == 1


def test_an_agreed_extension_rearms_the_reminders(make_action):
    action = make_action(days=-32)
    assert send_action_reminders(TODAY) == counts(reminders=1, escalations=1)

    action.original_due_date = action.due_date
    action.due_date = TODAY + timedelta(days=30)
    action.save()
    assert send_action_reminders(TODAY) == counts(), "nothing due until the new date nears"

    new_due = action.due_date
    assert send_action_reminders(new_due - timedelta(days=14)) == counts(reminders=1)
    assert send_action_reminders(new_due + timedelta(days=1)) == counts(reminders=1)
    assert send_action_reminders(new_due + timedelta(days=31)) == counts(escalations=1)
    periods = Notice.objects.about(action).filter(kind=NoticeStage.OVERDUE)
    assert sorted(periods.values_list("occasion", flat=True)) == [
        action.original_due_date.isoformat(),
        new_due.isoformat(),
    ]


def test_nobody_hears_about_an_action_they_may_not_see(make_action, people):
    # Restricted: the owning agency's leads see it, the executive group does not.
    make_action(days=-40, sharing_level=SharingLevel.RESTRICTED)
    assert send_action_reminders(TODAY) == counts(reminders=1)
    assert sent_to("exec") == []
    assert len(sent_to("agencylead")) == 1


def test_a_lead_who_may_not_see_the_action_is_not_told(make_action, people, world):
    lead = people["liverpool.practitioner"]
    # Named on it, the lead would see it; without a membership the policy shows them nothing.
    Membership.objects.filter(user=lead).delete()
    make_action(days=2, lead=lead, sharing_level=SharingLevel.RESTRICTED)
    send_action_reminders(TODAY)
    assert sent_to("liverpool.practitioner") == []
    assert len(sent_to("agencylead")) == 1


def test_emails_carry_shareable_fields_and_the_link_only(make_action, world):
    from reviews.models import Review, ReviewType

    review = Review.objects.create(
        reference="RR-2027-01",
        title="Rapid review of a serious incident",
        subject_pseudonym="Child Q",
        confidential_details="Real name and address",
        lead_partnership=world.partnerships["Wirral"],
        review_type=ReviewType.RAPID_REVIEW,
    )
    action = make_action(days=-31, review=review, reference="RR-2027-01/A1")
    send_action_reminders(TODAY)

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        html = message.alternatives[0][0]
        text = f"{message.subject}\n{message.body}\n{html}"
        assert action.reference in text
        assert action.description in text
        assert "Merseyside Police" in text
        assert "http://testserver/my-actions/RR-2027-01%2FA1/" in text
        assert "Child Q" not in text
        assert "Real name" not in text


def test_the_digest_goes_once_a_week_to_each_agencys_leads(make_action, settings):
    settings.HUB_ACTION_DIGEST_WEEKDAY = 0
    red = make_action(days=-3, today=MONDAY)
    amber = make_action(days=4, today=MONDAY)
    make_action(days=60, today=MONDAY)
    make_action(days=5, agency=("Wirral", "NHS trust"), today=MONDAY)
    make_action(days=5, agency=("Knowsley", "Police"), today=MONDAY)

    assert send_action_reminders(MONDAY).digests == 2
    digests = [m for m in mail.outbox if m.subject.startswith("Weekly actions digest")]
    assert sorted(m.to[0] for m in digests) == ["agencylead@example.org", "healthlead@example.org"]
    police = next(m for m in digests if m.to == ["agencylead@example.org"])
    assert police.subject == "Weekly actions digest: Merseyside Police, week of 8 March 2027"
    assert "Overdue: 1\nDue within 14 days: 1\nOn track: 1" in police.body
    assert red.reference in police.body and amber.reference in police.body

    for later in range(1, 7):
        assert send_action_reminders(MONDAY + timedelta(days=later)).digests == 0
    assert send_action_reminders(MONDAY + timedelta(days=7)).digests == 2


def test_a_missed_monday_digest_goes_on_the_next_run_that_week(make_action, settings):
    settings.HUB_ACTION_DIGEST_WEEKDAY = 0
    make_action(days=4)
    assert send_action_reminders(TODAY).digests == 1
    assert send_action_reminders(TODAY + timedelta(days=1)).digests == 0


def test_a_failed_send_marks_what_went_out_and_releases_the_rest(make_action, monkeypatch):
    for days in (1, 2, 3):
        make_action(days=days)
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("mail server went away")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with pytest.raises(OSError):
        send_action_reminders(TODAY)
    assert len(mail.outbox) == 1
    assert Notice.objects.filter(sent_at__isnull=False).count() == 1
    assert Notice.objects.count() == 1, "the rest are released: retryable at once"

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    assert send_action_reminders(TODAY).reminders == 2
    assert len(mail.outbox) == 3
    assert len({m.subject for m in mail.outbox}) == 3


class Killed(BaseException):
    """What SIGKILL does to a run: no handler of the Hub's runs, and its transaction never
    commits (an in-process stand-in that `except Exception` cannot catch)."""


@pytest.fixture
def kill_at(monkeypatch):
    """kill_at(n): the run dies at its n-th message, before the locmem mail server takes it;
    returns a function that revives the mail server."""
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages

    def kill(n):
        calls = []

        def dying(self, messages):
            calls.append(1)
            if len(calls) == n:
                raise Killed
            return real_send(self, messages)

        monkeypatch.setattr(EmailBackend, "send_messages", dying)
        return lambda: monkeypatch.setattr(EmailBackend, "send_messages", real_send)

    return kill


def test_a_run_killed_mid_send_leaves_no_claim_and_the_next_run_sends_each_once(
    make_action, kill_at
):
    for days in (1, 2, 3):
        make_action(days=days)
    revive = kill_at(2)
    with pytest.raises(Killed):
        send_action_reminders(TODAY)
    assert len(mail.outbox) == 1
    assert not Notice.objects.exists(), "the killed run's claims rolled back with it"

    revive()
    assert send_action_reminders(TODAY) == counts(reminders=3)
    assert send_action_reminders(TODAY) == counts()
    # The one window: the message the mail server took before the kill goes a second time.
    assert len(mail.outbox) == 4
    assert len({m.subject for m in mail.outbox}) == 3
    assert Notice.objects.unsent().count() == 0


def test_a_run_killed_before_its_first_message_went_costs_nothing_twice(make_action, kill_at):
    make_action(days=2)
    make_action(days=-40)
    revive = kill_at(1)
    with pytest.raises(Killed):
        send_action_reminders(TODAY)
    revive()
    assert send_action_reminders(TODAY) == counts(reminders=2, escalations=1)
    assert len(mail.outbox) == 3 and len({(m.to[0], m.subject) for m in mail.outbox}) == 3


def test_a_second_run_while_the_first_is_sending_sends_nothing_twice(make_action, monkeypatch):
    """Another run while the first still holds its claims (uncommitted: it is still sending)
    sends none of them. Here both share one connection; the PostgreSQL test below runs two
    processes, whose second waits on the first's claims and then skips them."""
    from django.core.mail.backends.locmem import EmailBackend

    make_action(days=2)
    make_action(days=-40)
    real_send = EmailBackend.send_messages
    meanwhile = []

    def sending(self, messages):
        if not meanwhile:
            meanwhile.append(None)
            meanwhile[0] = send_action_reminders(TODAY)
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", sending)
    assert send_action_reminders(TODAY) == counts(reminders=2, escalations=1)
    assert meanwhile == [counts()]
    assert len(mail.outbox) == 3


def test_after_a_killed_run_a_notice_that_no_longer_applies_is_not_sent(make_action, kill_at):
    action = make_action(days=2)
    revive = kill_at(1)
    with pytest.raises(Killed):
        send_action_reminders(TODAY)
    revive()
    action.state = ActionState.COMPLETED
    action.save()
    assert send_action_reminders(TODAY) == counts()
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_the_task_runs_the_job_and_says_what_it_sent(make_action):
    make_action(days=1)
    # apply() runs the task here whatever the broker: the worker tests send it through Redis.
    assert send_action_reminders_task.apply(args=[TODAY.isoformat()]).get(timeout=60) == {
        "reminders": 1,
        "digests": 0,
        "escalations": 0,
    }


def test_beat_runs_the_job_daily_at_seven_london_time():
    entry = settings.CELERY_BEAT_SCHEDULE["send-action-reminders"]
    assert entry["task"] == "learning.tasks.send_action_reminders_task"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/London"


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        if os.environ.get("HUB_REQUIRE_SERVICES") == "1":
            pytest.fail("HUB_REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL")
        pytest.skip("PostgreSQL only: processes cannot share the in-memory SQLite test database")


# Committed data, so the other processes see it; serialized rollback puts back what migrations
# made (groups, the home page) after the flush, for the transactional tests that follow.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_at_once_send_each_notice_exactly_once(postgres_only, world, tmp_path):
    from learning.models import Action

    police = world.agencies[("Wirral", "Police")]
    days_range = range(-45, 20)
    Action.objects.bulk_create(
        Action(
            reference=f"PAR-{n:05d}",
            description="Run the multi-agency audit of neglect referrals again.",
            partnership=police.partnership,
            owner_agency=police,
            due_date=MONDAY + timedelta(days=days_range[n % len(days_range)]),
        )
        for n in range(650)
    )
    expected_reminders = expected_escalations = 0
    for action in Action.objects.all():
        days = (action.due_date - MONDAY).days
        expected_reminders += days <= 14
        expected_escalations += days < -30
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    command = [
        sys.executable,
        "manage.py",
        "send_action_reminders",
        "--today",
        MONDAY.isoformat(),
    ]
    runs = [
        subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=process_env(mail_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=180) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err

    totals = [0, 0, 0]
    for out, _err in outputs:
        last = out.strip().splitlines()[-1]
        found = re.fullmatch(r"reminders=(\d+) digests=(\d+) escalations=(\d+)", last)
        assert found, last
        totals = [t + int(n) for t, n in zip(totals, found.groups(), strict=True)]
    assert totals == [expected_reminders, 1, expected_escalations]

    messages = mailed(mail_dir)
    assert len(messages) == sum(totals)
    assert len(set(messages)) == len(messages), "no one heard the same thing twice"
    assert Notice.objects.count() == sum(totals)
    assert Notice.objects.unsent().count() == 0

    again = subprocess.run(
        command, cwd=BASE_DIR, env=process_env(mail_dir), capture_output=True, text=True
    )
    assert again.stdout.strip().splitlines()[-1] == "reminders=0 digests=0 escalations=0"
    assert len(mailed(mail_dir)) == len(messages)
