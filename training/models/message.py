"""A trainer's email to a session's delegates ("the room has changed", "bring the case study"),
kept so that the outbox can send it once to each delegate, and resend only what is missing after
a failure. What it says stays here and in the emails: never in the audit log or a log line."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SessionMessage(models.Model):
    session = models.ForeignKey(
        "training.Session", on_delete=models.CASCADE, related_name="messages"
    )
    subject = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    to_waiting_list = models.BooleanField(
        default=False, help_text="Also send it to the people on the waiting list."
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} ({self.session})"
