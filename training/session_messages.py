"""A trainer emails a session's delegates: written once, sent once to each through the outbox.

`write` checks who may, keeps the message and asks for it to be sent after commit; `send` (the
task's work) builds one email per delegate still holding a place (and the waiting list when
asked), each claimed once by `hub.outbox.send_batch`, so a retry sends only what is missing. The
audit log records that a message went and to how many, never what it said."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.log_actions import log

from hub.formats import site_url
from hub.outbox import Letter, send_batch

from .models import Booking, BookingState, Session, SessionMessage, TrainingNoticeKind
from .notices import when
from .register import may_see_bookings

logger = logging.getLogger(__name__)

SENT = "hub.training.message_sent"


class MessageError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def recipients(session: Session, *, to_waiting_list: bool = False):
    """The bookings a message to the session goes to: everyone holding a place."""
    states = [*BookingState.holding_a_place()]
    if to_waiting_list:
        states.append(BookingState.WAITING)
    return session.bookings.filter(state__in=states, user__is_active=True).exclude(user__email="")


def write(session: Session, user, subject: str, body: str, *, to_waiting_list=False):
    """Keep the message and send it after commit; returns it and how many it goes to."""
    from .tasks import send_session_message_task

    if not may_see_bookings(user, session):
        raise MessageError("Only the session's trainers and managers may email its delegates.")
    count = recipients(session, to_waiting_list=to_waiting_list).count()
    if not count:
        raise MessageError("Nobody holds a place on this session yet: there is no one to email.")
    with transaction.atomic():
        message = SessionMessage.objects.create(
            session=session,
            subject=subject.strip(),
            body=body.strip(),
            to_waiting_list=to_waiting_list,
            sent_by=user,
        )
        log(session, SENT, user=user, data={"message": message.pk, "recipients": count})
        transaction.on_commit(lambda: send_session_message_task.delay(message.pk))
    return message, count


def send(message_pk: int) -> int:
    """Send the message to each delegate not yet sent it; returns how many this call sent."""
    message = SessionMessage.objects.select_related("session__course", "sent_by").get(pk=message_pk)
    bookings = recipients(message.session, to_waiting_list=message.to_waiting_list).select_related(
        "user"
    )
    letters = [
        Letter(
            key=f"training.{TrainingNoticeKind.MESSAGE}:message={message.pk}:booking={b.pk}",
            kind=TrainingNoticeKind.MESSAGE,
            about=Booking,
            about_id=b.pk,
            recipient_id=b.user_id,
            occasion=str(message.pk),
            data=b,
        )
        for b in bookings
    ]

    def build(held):
        for letter in held:
            yield letter, _email(message, letter.data)

    sent = send_batch(letters, build)
    logger.info("session message %s sent to %s delegates", message.pk, len(sent))
    return len(sent)


def _email(message: SessionMessage, booking: Booking) -> EmailMessage:
    session = message.session
    body = render_to_string(
        "training/email/session_message.txt",
        {
            "message": message,
            "delegate_name": booking.user.get_full_name() or booking.user.get_username(),
            "course": session.course,
            "when": when(session),
            "trainer": message.sent_by.get_full_name() or message.sent_by.get_username(),
            "booking_url": site_url(reverse("training-booking", args=[booking.pk])),
        },
    )
    subject = f"{message.subject} ({session.course.title})"
    return EmailMessage(subject, body, None, [booking.user.email])
