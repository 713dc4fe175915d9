"""The emails that ask delegates to evaluate: "please evaluate" the day after a session they
attended, and the follow-up, `follow_up_after_days` later (about three months, each partnership's
training terms), asking what changed in their practice.

`due(today)` says which bookings are owed which email; `send_notice(booking_id, kind)` sends one.
Celery beat runs `training.evaluation_tasks.send_training_follow_ups_task` daily, which enqueues
one send per booking; `manage.py send_training_follow_ups` sends them in-process.

Once, and never lost: a send goes through the outbox's `send_once` (`hub/outbox.py`) under the
key (booking, kind), which claims the notice and sends the email in one transaction. Two sends
at once (a retried task, the command beside the worker) queue on the claim: the second waits for
the first to commit and then finds it taken, so sends nothing. A send that fails, or a worker
killed mid-send, rolls its claim back, so the task's retry (or tomorrow's run) sends it. The one
window left, a crash after the mail server accepted the message but before the commit, sends it
again rather than never: the outbox's choice for every notice.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hub.formats import site_url
from hub.models import Notice
from hub.outbox import send_once
from partnership.models import Partnership

from .evaluations import DEFAULT_FOLLOW_UP_DAYS
from .models import (
    Booking,
    BookingState,
    Evaluation,
    EvaluationKind,
    TrainingNoticeKind,
    TrainingTerms,
    notice_key,
)

logger = logging.getLogger(__name__)

# An email about a session long past would puzzle more than help: a register marked weeks late,
# or a job that was off for a month, sends only what is still this recent.
LATE_LIMIT_DAYS = 30

KINDS = {
    TrainingNoticeKind.EVALUATION: EvaluationKind.IMMEDIATE,
    TrainingNoticeKind.FOLLOW_UP: EvaluationKind.FOLLOW_UP,
}


@dataclasses.dataclass
class FollowUpCounts:
    evaluations: int = 0
    follow_ups: int = 0

    def __str__(self):
        return f"evaluations={self.evaluations} follow_ups={self.follow_ups}"

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _owed(kind: TrainingNoticeKind):
    """Attended bookings with neither this email nor the evaluation it asks for."""
    return (
        Booking.objects.filter(state=BookingState.ATTENDED, session__cancelled_at__isnull=True)
        .filter(~Exists(Notice.objects.about(Booking).filter(object_id=OuterRef("pk"), kind=kind)))
        .filter(~Exists(Evaluation.objects.filter(booking=OuterRef("pk"), kind=KINDS[kind])))
    )


def due_evaluations(today: date) -> list[int]:
    """Sessions that ended before today (so from the day after), in the last LATE_LIMIT_DAYS."""
    ended_before = _midnight(today)
    ended_after = _midnight(today - timedelta(days=LATE_LIMIT_DAYS))
    return list(
        _owed(TrainingNoticeKind.EVALUATION)
        .filter(session__ends_at__lt=ended_before, session__ends_at__gte=ended_after)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def due_follow_ups(today: date) -> list[int]:
    """Sessions whose partnership's follow-up interval ended by today, within LATE_LIMIT_DAYS.
    One query per partnership (a handful), whatever the number of bookings."""
    days = dict(TrainingTerms.objects.values_list("partnership_id", "follow_up_after_days"))
    found: list[int] = []
    for partnership_id in Partnership.objects.values_list("pk", flat=True):
        interval = days.get(partnership_id, DEFAULT_FOLLOW_UP_DAYS)
        # Sent when today >= the session's day + interval: the session ended before the
        # midnight that starts (today - interval + 1).
        ended_before = _midnight(today - timedelta(days=interval - 1))
        ended_after = _midnight(today - timedelta(days=interval + LATE_LIMIT_DAYS))
        found += (
            _owed(TrainingNoticeKind.FOLLOW_UP)
            .filter(
                session__course__partnership_id=partnership_id,
                session__ends_at__lt=ended_before,
                session__ends_at__gte=ended_after,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return sorted(found)


def due(today: date) -> dict[TrainingNoticeKind, list[int]]:
    return {
        TrainingNoticeKind.EVALUATION: due_evaluations(today),
        TrainingNoticeKind.FOLLOW_UP: due_follow_ups(today),
    }


def _link(name: str, booking_id: int) -> str:
    return site_url(reverse(name, args=[booking_id]))


def _message(booking: Booking, kind: TrainingNoticeKind) -> EmailMultiAlternatives:
    """Only the course, the date and the link: never anything from the register or a review."""
    session = booking.session
    context = {
        "name": booking.user.first_name or booking.user.get_username(),
        "course": session.course.title,
        "day": timezone.localdate(session.starts_at),
        "partnership": session.course.partnership.name,
    }
    if kind == TrainingNoticeKind.EVALUATION:
        context["url"] = _link("training-evaluate", booking.pk)
        subject = f"Evaluate {session.course.title} and get your certificate"
        template = "training/email/evaluation_request"
    else:
        context["url"] = _link("training-follow-up", booking.pk)
        subject = f"What changed after {session.course.title}?"
        template = "training/email/follow_up_request"
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{template}.txt", context), None, [booking.user.email]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_notice(booking_id: int, kind: str) -> bool:
    """Send one booking's email of `kind` if it is still owed; True if this call sent it."""
    kind = TrainingNoticeKind(kind)
    booking = (
        Booking.objects.select_related("user", "session__course__partnership")
        .filter(pk=booking_id, state=BookingState.ATTENDED)
        .first()
    )
    if booking is None or not booking.user.is_active or not booking.user.email:
        return False
    if Evaluation.objects.filter(booking=booking, kind=KINDS[kind]).exists():
        return False
    message = _message(booking, kind)
    key = notice_key(booking.pk, kind)
    if not send_once(key, message, kind=kind, about=booking, recipient=booking.user):
        return False
    logger.info("training %s email sent for booking %s", kind, booking_id)
    return True


def send_training_follow_ups(
    today: date | None = None, *, progress: Callable[[str], None] | None = None
) -> FollowUpCounts:
    """Send, in this process, every evaluation and follow-up email owed on `today`."""
    today = today or timezone.localdate()
    progress = progress or (lambda message: None)
    counts = FollowUpCounts()
    for kind, booking_ids in due(today).items():
        progress(f"{kind.label}: {len(booking_ids)} owed.")
        sent = sum(send_notice(pk, kind) for pk in booking_ids)
        if kind == TrainingNoticeKind.EVALUATION:
            counts.evaluations += sent
        else:
            counts.follow_ups += sent
    logger.info("training follow-ups for %s: %s", today.isoformat(), counts)
    return counts
