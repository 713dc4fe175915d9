"""The words for what the Hub tells people about their actions; the notices themselves are
`hub.Notice` rows, claimed and sent once by the outbox (`learning/reminders.py` builds them)."""

from datetime import date, timedelta

from django.db import models


class NoticeStage(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalated to the executive group"
    DIGEST = "digest", "Weekly digest"


def digest_period(today: date) -> date:
    """The Monday of `today`'s ISO week: the occasion that makes the digest once a week."""
    return today - timedelta(days=today.weekday())
