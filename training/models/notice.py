from django.db import models
from django.utils import timezone


class TrainingNoticeKind(models.TextChoices):
    CONFIRMED = "confirmed", "Place confirmed"
    WAITING = "waiting", "Joined the waiting list"
    APPROVAL = "approval", "Approval asked of line manager"
    REFUSED = "refused", "Line manager did not approve"
    OFFER = "offer", "Place offered"
    REMINDER = "reminder", "Reminder before the session"
    EVALUATION = "evaluation", "Evaluation asked"
    FOLLOW_UP = "follow_up", "Follow-up evaluation asked"
    SESSION_CANCELLED = "session_cancelled", "Session cancelled"


class TrainingNotice(models.Model):
    """An email sent about a booking. The unique constraint, not a check-then-send, is what keeps
    each notice to once, whoever runs the job and however often: a task claims the row first and
    sends only if the claim was new. `key` tells apart notices of one kind that may rightly
    recur (a second offer after the first expired)."""

    booking = models.ForeignKey(
        "training.Booking", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=30, choices=TrainingNoticeKind.choices)
    key = models.CharField(max_length=40, blank=True, default="")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind", "key"], name="training_notice_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.booking_id}"
