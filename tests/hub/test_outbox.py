"""The outbox (hub/outbox.py): every kind of notice the Hub sends goes exactly once, whether two
senders run at once or a sender is killed mid-send and then retried.

Each kind is sent the way its domain sends it (the reminder job, a booking's notice, the session
reminder job, an evaluation email), so these tests prove the domain's key and the outbox
together. On SQLite the second sender shares the first's connection and the kill is an exception
nothing catches; on PostgreSQL (marker `postgres`) the second sender is another thread with its
own connection, and the kill is SIGKILL to another process."""

import importlib
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from hub.models import Notice
from hub.outbox import Letter, send_batch, send_once
from hub.working_days import subtract_working_days
from learning.models import Action, NoticeStage
from partnership.access import SharingLevel
from tests.learning.processes import mailed, process_env
from tests.services import need
from tests.training.factories_register import (
    make_booking,
    make_course,
    make_delegate,
    make_session,
)
from training.models import BookingState, TrainingNoticeKind

TODAY = date(2027, 3, 10)


class Killed(BaseException):
    """What SIGKILL does to a sender, in this process: no handler of the Hub's runs, and its
    transaction never commits."""


@dataclass
class Sender:
    """How a domain sends one kind of notice: a function called with plain arguments, so that
    another process can make the same call; `subject` matches the emails of that kind."""

    kind: str
    module: str
    function: str
    args: tuple
    subject: str

    def __call__(self):
        return getattr(importlib.import_module(self.module), self.function)(*self.args)

    def code(self) -> str:
        call = f"{self.function}(*{self.args!r})"
        return f"import datetime\nfrom {self.module} import {self.function}\n{call}\n"

    def among(self, messages) -> bool:
        """Whether a batch of EmailMessages holds one of this kind."""
        return any(re.match(self.subject, m.subject) for m in messages)

    def emails(self, messages) -> list[tuple[str, str]]:
        return [(to, subject) for to, subject in messages if re.match(self.subject, subject)]

    def notices(self):
        return Notice.objects.filter(kind=self.kind)


def sent(messages):
    return [(m.to[0], m.subject) for m in messages]


def reminders(stage, days, subject):
    def setup(world):
        police = world.agencies[("Wirral", "Police")]
        Action.objects.create(
            reference=f"OUT-{abs(days)}",
            description="Refresh the neglect screening tool and brief the front door.",
            partnership=police.partnership,
            owner_agency=police,
            due_date=TODAY + timedelta(days=days),
            sharing_level=SharingLevel.PARTNERSHIP,
        )
        return Sender(stage, "learning.reminders", "send_action_reminders", (TODAY,), subject)

    return setup


def booking_notice(kind, state, subject, **fields):
    def setup(world):
        course = make_course(world.partnerships["Wirral"], "Outbox essentials")
        session = make_session(course, timezone.now() + timedelta(days=30))
        delegate = make_delegate(world, "outbox.delegate")
        key = ""
        if state == BookingState.OFFERED:
            now = timezone.now()
            fields.update(offered_at=now, offer_expires_at=now + timedelta(days=1))
            key = now.isoformat()
        booking = make_booking(session, delegate, state, **fields)
        return Sender(
            kind, "training.notices", "send_notice", (booking.pk, str(kind), key), subject
        )

    return setup


def session_reminder(world):
    course = make_course(world.partnerships["Wirral"], "Outbox essentials")
    day = timezone.localdate() + timedelta(days=30)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    session = make_session(course, timezone.make_aware(datetime.combine(day, clock(9, 30))))
    make_booking(session, make_delegate(world, "outbox.delegate"), BookingState.BOOKED)
    return Sender(
        TrainingNoticeKind.REMINDER,
        "training.notices",
        "send_session_reminders",
        (subtract_working_days(day, 2),),
        "Reminder: Outbox essentials",
    )


def evaluation_email(kind, subject):
    def setup(world):
        course = make_course(world.partnerships["Wirral"], "Outbox essentials")
        session = make_session(course, timezone.now() - timedelta(days=1, hours=6))
        delegate = make_delegate(world, "outbox.delegate")
        booking = make_booking(session, delegate, BookingState.ATTENDED)
        return Sender(kind, "training.follow_ups", "send_notice", (booking.pk, str(kind)), subject)

    return setup


def session_message(world):
    from training.models import SessionMessage

    course = make_course(world.partnerships["Wirral"], "Outbox essentials")
    session = make_session(course, timezone.now() + timedelta(days=30))
    make_booking(session, make_delegate(world, "outbox.delegate"), BookingState.BOOKED)
    message = SessionMessage.objects.create(
        session=session,
        subject="Change of room",
        body="It has moved.",
        sent_by=world.people["trainer"],
    )
    return Sender(
        TrainingNoticeKind.MESSAGE,
        "training.session_messages",
        "send",
        (message.pk,),
        r"Change of room \(Outbox essentials\)",
    )


S = BookingState
K = TrainingNoticeKind
KINDS = {
    "learning.due_soon": reminders(NoticeStage.DUE_SOON, 2, r"Action OUT-2 is due on"),
    "learning.overdue": reminders(NoticeStage.OVERDUE, -2, r"Action OUT-2 is overdue"),
    "learning.escalation": reminders(NoticeStage.ESCALATION, -40, r"Escalation: action OUT-40"),
    "learning.digest": reminders(NoticeStage.DIGEST, 2, r"Weekly actions digest"),
    "training.confirmed": booking_notice(K.CONFIRMED, S.BOOKED, r"Place confirmed: Outbox"),
    "training.waiting": booking_notice(K.WAITING, S.WAITING, r"Waiting list: Outbox"),
    "training.approval": booking_notice(
        K.APPROVAL,
        S.REQUESTED,
        r"Please approve training for Outbox Delegate",
        line_manager_email="manager.outbox@example.org",
    ),
    "training.refused": booking_notice(K.REFUSED, S.REFUSED, r"Not approved: Outbox"),
    "training.offer": booking_notice(K.OFFER, S.OFFERED, r"A place is free for you: Outbox"),
    "training.reminder": session_reminder,
    "training.evaluation": evaluation_email(K.EVALUATION, r"Evaluate Outbox essentials"),
    "training.follow_up": evaluation_email(K.FOLLOW_UP, r"What changed after Outbox essentials"),
    "training.message": session_message,
}


def test_every_kind_of_notice_is_proved_here():
    """A new kind of notice fails here until it is added to KINDS, and so to the tests below."""
    assert set(KINDS) == {f"learning.{s}" for s in NoticeStage} | {
        f"training.{k}" for k in TrainingNoticeKind
    }


@pytest.fixture
def kind_sender(request, world):
    return KINDS[request.param](world)


def exactly_one(sender, messages):
    emails = sender.emails(messages)
    assert len(emails) == 1, messages
    assert sender.notices().count() == 1
    assert sender.notices().unsent().count() == 0
    return emails[0]


@pytest.mark.parametrize("kind_sender", KINDS, indirect=True)
def test_a_second_sender_while_the_first_is_sending_sends_nothing(kind_sender, monkeypatch):
    real_send = EmailBackend.send_messages
    meanwhile = []

    def sending(self, messages):
        if not meanwhile and kind_sender.among(messages):
            meanwhile.append(None)
            kind_sender()  # a second sender, while the first holds its uncommitted claim
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", sending)
    kind_sender()
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    kind_sender()
    exactly_one(kind_sender, sent(mail.outbox))


@pytest.mark.parametrize("kind_sender", KINDS, indirect=True)
def test_a_sender_killed_mid_send_then_retried_sends_exactly_one(kind_sender, monkeypatch):
    real_send = EmailBackend.send_messages

    def killed(self, messages):
        if kind_sender.among(messages):
            raise Killed
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", killed)
    with pytest.raises(Killed):
        kind_sender()
    assert not kind_sender.notices().exists(), "the claim rolled back with the killed sender"

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    kind_sender()
    kind_sender()
    exactly_one(kind_sender, sent(mail.outbox))


@pytest.fixture
def postgres(db):
    need(connection.vendor == "postgresql", "PostgreSQL only: set DATABASE_URL", "postgresql")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("kind_sender", KINDS, indirect=True)
def test_two_senders_at_once_send_exactly_one(postgres, kind_sender, monkeypatch):
    """Two connections: the second's claim waits on the first's uncommitted one, then skips."""
    real_send = EmailBackend.send_messages
    inside, release = threading.Event(), threading.Event()
    errors = []

    def held_open(self, messages):
        if threading.current_thread().name == "first" and kind_sender.among(messages):
            inside.set()
            release.wait(60)
        return real_send(self, messages)

    def run():
        try:
            kind_sender()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    monkeypatch.setattr(EmailBackend, "send_messages", held_open)
    first = threading.Thread(target=run, name="first")
    first.start()
    assert inside.wait(60), errors
    second = threading.Thread(target=run, name="second")
    second.start()
    second.join(2)
    assert second.is_alive(), "the second sender waits on the first's claim"
    release.set()
    first.join(60)
    second.join(60)
    assert not errors and not first.is_alive() and not second.is_alive(), errors
    exactly_one(kind_sender, sent(mail.outbox))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("kind_sender", KINDS, indirect=True)
def test_a_process_killed_mid_send_then_retried_sends_exactly_one(postgres, kind_sender, tmp_path):
    """SIGKILL to a process holding the claim, its email not yet taken: the database drops the
    claim with the connection, and the retry sends the email once."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    mark = tmp_path / "sending"
    hang = (
        "import pathlib, re, time\n"
        "from django.core.mail.backends.filebased import EmailBackend\n"
        "real_send = EmailBackend.send_messages\n"
        "def hang(self, messages):\n"
        f"    if any(re.match({kind_sender.subject!r}, m.subject) for m in messages):\n"
        f"        pathlib.Path({str(mark)!r}).touch()\n"
        "        time.sleep(600)\n"
        "    return real_send(self, messages)\n"
        "EmailBackend.send_messages = hang\n"
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", hang + kind_sender.code()],
        cwd=settings.BASE_DIR,
        env=process_env(mail_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):
            if mark.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert mark.exists(), process.communicate(timeout=10)
    finally:
        process.kill()
        process.communicate(timeout=30)
    assert kind_sender.emails(mailed(mail_dir)) == []
    assert not kind_sender.notices().exists()

    kind_sender()
    kind_sender()
    exactly_one(kind_sender, sent(mail.outbox))


# The outbox's own rules, about any record (here a person), in no domain's words.


def message(to="pat@example.org", subject="Something happened"):
    return EmailMessage(subject, "Open the Hub to see it.", None, [to])


def test_send_once_sends_once_and_says_so(db):
    pat = get_user_model().objects.create_user("pat", email="pat@example.org")
    args = {"kind": "told", "about": pat, "recipient": pat}
    assert send_once("test.told:pat", message(), **args) is True
    assert send_once("test.told:pat", message(), **args) is False
    assert len(mail.outbox) == 1
    notice = Notice.objects.get()
    assert (notice.about, notice.recipient, notice.sent_at is not None) == (pat, pat, True)


def test_send_once_that_fails_claims_nothing(db, monkeypatch):
    pat = get_user_model().objects.create_user("pat", email="pat@example.org")

    def down(self, messages):
        raise OSError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", down)
        with pytest.raises(OSError):
            send_once("test.told:pat", message(), kind="told", about=pat)
    assert not Notice.objects.exists()
    assert send_once("test.told:pat", message(), kind="told", about=pat) is True


def letters(people):
    User = get_user_model()
    return [
        Letter(key=f"test.told:{p.pk}", kind="told", about=User, about_id=p.pk, recipient_id=p.pk)
        for p in people
    ]


def test_send_batch_builds_only_what_it_holds_and_drops_what_has_nothing_to_say(db):
    people = [
        get_user_model().objects.create_user(f"p{n}", email=f"p{n}@example.org") for n in range(5)
    ]
    send_once("test.told:" + str(people[0].pk), message(), kind="told", about=people[0])
    built = []

    def build(held):
        for letter in held:
            built.append(letter.recipient_id)
            silent = letter.recipient_id == people[1].pk
            yield letter, None if silent else message(f"p{letter.recipient_id}@example.org")

    done = send_batch(letters(people), build, chunk=2)
    assert sorted(built) == sorted(p.pk for p in people[1:])
    assert sorted(x.recipient_id for x in done) == sorted(p.pk for p in people[2:])
    assert Notice.objects.count() == 4, "the dropped claim is gone, so it may be sent later"
    assert len(mail.outbox) == 4


def test_send_batch_that_fails_keeps_what_went_and_releases_the_rest(db, monkeypatch):
    people = [
        get_user_model().objects.create_user(f"p{n}", email=f"p{n}@example.org") for n in range(3)
    ]
    real_send = EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("mail server went away")
        return real_send(self, messages)

    def build(held):
        return [(letter, message()) for letter in held]

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with pytest.raises(OSError):
        send_batch(letters(people), build)
    assert Notice.objects.count() == 1 and Notice.objects.unsent().count() == 0
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    assert len(send_batch(letters(people), build)) == 2
    assert len(mail.outbox) == 3
