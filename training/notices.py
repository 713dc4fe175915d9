"""The emails about bookings, each sent once.

`send_notice(booking_pk, kind, key)` sends through the outbox's `send_once` (`hub/outbox.py`)
under the key (booking, kind, occasion): the claim and the send are one transaction, so a second
run, a retried task or a second worker finds the notice claimed and sends nothing, and a send
that fails or a worker killed mid-send rolls its claim back, so the retry sends it. The one
window left is the outbox's: a crash after the mail server took the message and before the
commit sends it twice, the choice that never loses one.

Training emails carry no child-identifying detail (there is none in training), and the online
joining link goes only in the emails of a delegate with a confirmed place.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hub.formats import long_date, site_url
from hub.models import Notice
from hub.outbox import send_once
from hub.working_days import subtract_working_days

from .booking import (
    approval_token,
    cutoffs,
    shows_online_link,
    terms_for,
)
from .calendar import booking_calendar
from .models import Booking, BookingState, Session, TrainingNoticeKind, notice_key

logger = logging.getLogger(__name__)

SUBJECTS = {
    TrainingNoticeKind.CONFIRMED: "Place confirmed: {course}, {when}",
    TrainingNoticeKind.WAITING: "Waiting list: {course}, {when}",
    TrainingNoticeKind.OFFER: "A place is free for you: {course}, {when}",
    TrainingNoticeKind.APPROVAL: "Please approve training for {delegate}: {course}",
    TrainingNoticeKind.REFUSED: "Not approved: {course}, {when}",
    TrainingNoticeKind.REMINDER: "Reminder: {course}, {when}",
}
# Whom each is for: the line manager hears of a request, the delegate of everything else.
# Which states a notice still makes sense in when it is sent (a task may run after a change).
STILL_TRUE = {
    TrainingNoticeKind.CONFIRMED: {BookingState.BOOKED},
    TrainingNoticeKind.WAITING: {BookingState.WAITING},
    TrainingNoticeKind.OFFER: {BookingState.OFFERED},
    TrainingNoticeKind.APPROVAL: {BookingState.REQUESTED},
    TrainingNoticeKind.REFUSED: {BookingState.REFUSED},
    TrainingNoticeKind.REMINDER: {BookingState.BOOKED},
}


def when(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return f"{long_date(start.date(), weekday=True)}, {start:%H:%M} to {end:%H:%M}"


def send_notice(booking_pk: int, kind: str, key: str = "") -> bool:
    """Send the notice unless it has been sent; True if this call sent it."""
    booking = (
        Booking.objects.select_related("session__course", "user", "agency")
        .filter(pk=booking_pk)
        .first()
    )
    if booking is None or booking.state not in STILL_TRUE.get(kind, ()):
        return False  # the booking moved on before the task ran: the email would be wrong
    message = build_message(booking, kind)
    if message is None:
        return False
    # The line manager asked to approve is an address, not an account.
    recipient = None if kind == TrainingNoticeKind.APPROVAL else booking.user
    if not send_once(
        notice_key(booking.pk, kind, key),
        message,
        kind=kind,
        about=booking,
        recipient=recipient,
        occasion=key,
    ):
        return False
    logger.info("training notice %s sent for booking %s", kind, booking_pk)
    return True


def build_message(booking: Booking, kind: str) -> EmailMultiAlternatives | None:
    session = booking.session
    course = session.course
    delegate = booking.user
    if kind == TrainingNoticeKind.APPROVAL:
        to = booking.line_manager_email
    else:
        to = delegate.email if delegate.is_active else ""
    if not to:
        return None
    context = {
        "kind": kind,
        "booking": booking,
        "session": session,
        "course": course,
        "delegate_name": delegate.get_full_name() or delegate.get_username(),
        "agency": booking.agency.name if booking.agency_id else "",
        "when": when(session),
        "where": session.venue if session.delivery == "in_person" else "Online",
        "online_link": session.online_link if shows_online_link(booking) else "",
        "course_url": site_url(course.url or "/") if course.url else site_url("/"),
        "booking_url": site_url(reverse("training-booking", args=[booking.pk])),
        "my_training_url": site_url(reverse("my-training")),
        "cancel_until": long_date(cutoffs(session).cancel_until, weekday=True),
    }
    if kind == TrainingNoticeKind.OFFER and booking.offer_expires_at:
        expires = timezone.localtime(booking.offer_expires_at)
        context["offer_expires"] = f"{expires:%H:%M} on {long_date(expires.date(), weekday=True)}"
    if kind == TrainingNoticeKind.APPROVAL:
        context["approval_url"] = site_url(
            reverse("training-approval", args=[approval_token(booking)])
        )
    subject = SUBJECTS[kind].format(
        course=course.title, when=context["when"], delegate=context["delegate_name"]
    )
    body = render_to_string("training/email/booking_notice.txt", context)
    message = EmailMultiAlternatives(subject, body, None, [to])
    if kind in (TrainingNoticeKind.CONFIRMED, TrainingNoticeKind.REMINDER):
        message.attach(
            f"{course.slug}.ics", booking_calendar(booking), "text/calendar; method=PUBLISH"
        )
    return message


def reminders_due(today: date):
    """Booked places whose session's reminder day (N working days before it, from the owning
    partnership's terms) has come and whose session is still ahead: a day the beat missed is
    caught up the next day, never skipped."""
    # 30 working days (the most a partnership may set) are at most about 45 calendar days.
    horizon = timezone.make_aware(datetime.combine(today + timedelta(days=60), time.min))
    sessions = (
        Session.objects.upcoming()
        .filter(starts_at__lt=horizon)
        .select_related("course")
        .order_by("starts_at", "pk")
    )
    due = []
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        if today >= day:
            continue
        if today >= subtract_working_days(day, terms_for(session).reminder_days):
            due.append(session)
    return due


def send_session_reminders(today: date | None = None) -> int:
    """Remind every booked delegate of a session coming up, once per session date."""
    today = today or timezone.localdate()
    sent = 0
    for session in reminders_due(today):
        key = timezone.localtime(session.starts_at).date().isoformat()
        reminded = Notice.objects.about(Booking).filter(
            object_id=OuterRef("pk"), kind=TrainingNoticeKind.REMINDER, occasion=key
        )
        pending = (
            session.bookings.filter(state=BookingState.BOOKED)
            .filter(~Exists(reminded))
            .values_list("pk", flat=True)
        )
        for booking_pk in list(pending):
            sent += send_notice(booking_pk, TrainingNoticeKind.REMINDER, key)
    logger.info("training reminders for %s: %s sent", today.isoformat(), sent)
    return sent
