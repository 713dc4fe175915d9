"""The words for the emails about bookings; the notices themselves are `hub.Notice` rows, claimed
and sent once by the outbox (`training/notices.py` and `training/follow_ups.py` build them)."""

from django.db import models


class TrainingNoticeKind(models.TextChoices):
    CONFIRMED = "confirmed", "Place confirmed"
    WAITING = "waiting", "Joined the waiting list"
    APPROVAL = "approval", "Approval asked of line manager"
    REFUSED = "refused", "Line manager did not approve"
    OFFER = "offer", "Place offered"
    REMINDER = "reminder", "Reminder before the session"
    EVALUATION = "evaluation", "Evaluation asked"
    FOLLOW_UP = "follow_up", "Follow-up evaluation asked"
    MESSAGE = "message", "Message from the trainer"


def notice_key(booking_id: int, kind: str, occasion: str = "") -> str:
    """The outbox key of a booking's email: once per booking and kind, and per `occasion` for the
    kinds that may rightly recur (a second offer after the first expired, a reminder per session
    date)."""
    key = f"training.{kind}:booking={booking_id}"
    return f"{key}:{occasion}" if occasion else key
