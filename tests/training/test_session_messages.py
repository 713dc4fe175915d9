"""A trainer emails a session's delegates through the admin's real view: once to each person
holding a place (the waiting list only when asked), through the outbox, never twice; the audit
log says a message went and to how many, never what it said; nobody else may send one."""

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from training import session_messages
from training.models import Booking, BookingState, SessionMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_this_process")]

BODY = "The room has moved to the Floral Pavilion, New Brighton."


@pytest.fixture
def delegates(session, people, make_person):
    session.trainers.add(people["trainer"])
    booked = []
    for name, state in (
        ("delegate.one", BookingState.BOOKED),
        ("delegate.two", BookingState.BOOKED),
        ("delegate.three", BookingState.WAITING),
        ("delegate.four", BookingState.CANCELLED),
    ):
        user = make_person(name)
        booked.append(
            Booking.objects.create(
                session=session,
                user=user,
                agency=user.membership.agency,
                partnership=user.membership.partnership,
                state=state,
            )
        )
    return booked


def _send(client, session, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            f"/admin/training/sessions/{session.pk}/email/",
            {"subject": "Change of room", "body": BODY, **data},
        )


def test_the_trainer_emails_everyone_holding_a_place_once(
    client, people, session, delegates, django_capture_on_commit_callbacks
):
    client.force_login(people["trainer"])
    assert (
        "Email the delegates"
        in client.get(f"/admin/training/sessions/{session.pk}/bookings/").content.decode()
    )
    response = _send(client, session, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "delegate.one@example.org",
        "delegate.two@example.org",
    ]
    assert all(BODY in m.body and "Tomasz Rowe" in m.body for m in mail.outbox)
    assert mail.outbox[0].subject == f"Change of room ({session.course.title})"
    # The outbox sends each once: a second run of the task sends nothing more.
    message = SessionMessage.objects.get()
    assert session_messages.send(message.pk) == 0 and len(mail.outbox) == 2
    entry = ModelLogEntry.objects.get(action=session_messages.SENT)
    assert entry.data == {"message": message.pk, "recipients": 2}
    assert BODY not in str(entry.data)


def test_the_waiting_list_only_when_asked(
    client, people, session, delegates, django_capture_on_commit_callbacks
):
    client.force_login(people["trainer"])
    _send(client, session, django_capture_on_commit_callbacks, to_waiting_list="on")
    assert "delegate.three@example.org" in [m.to[0] for m in mail.outbox]
    assert "delegate.four@example.org" not in [m.to[0] for m in mail.outbox]


def test_a_message_without_a_subject_is_refused_and_kept_on_the_page(
    client, people, session, delegates, django_capture_on_commit_callbacks
):
    client.force_login(people["trainer"])
    response = _send(client, session, django_capture_on_commit_callbacks, subject="")
    assert response.status_code == 400
    assert BODY in response.content.decode() and not SessionMessage.objects.exists()
    assert not mail.outbox


def test_nobody_else_may_email_a_sessions_delegates(
    client, people, session, delegates, django_capture_on_commit_callbacks, make_person
):
    from partnership.models import Role

    other_trainer = make_person("other.trainer", agency="Business unit", role=Role.TRAINER)
    for user, refused in (
        (people["liverpool.manager"], 404),
        (other_trainer, 302),
        (people["practitioner"], 302),
    ):
        client.force_login(user)
        assert _send(client, session, django_capture_on_commit_callbacks).status_code == refused
    assert not SessionMessage.objects.exists() and not mail.outbox
