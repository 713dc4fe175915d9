"""What the Hub has told people about their actions: reminders, escalations and weekly digests.

A notice row is claimed before its email is sent and marked sent after, and unique constraints
make the claim the guard: two runs of the reminder job (a retried Celery task, a second worker, a
manual command) cannot both claim the same notice, so nobody hears the same thing twice. A row is
never deleted unsent: once claimed, a notice is sent by its run or, if that run dies, taken over
by a later one."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NoticeStage(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalated to the executive group"
    DIGEST = "digest", "Weekly digest"


ACTION_STAGES = (NoticeStage.DUE_SOON, NoticeStage.OVERDUE, NoticeStage.ESCALATION)


def digest_period(today: date) -> date:
    """The Monday of `today`'s ISO week: the key that makes the digest once a week."""
    return today - timedelta(days=today.weekday())


class ActionNoticeQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def stale(self, now=None, minutes: int | None = None):
        """Claims whose sender should long have finished: it died between claiming and
        marking them sent, so the next run may claim them again."""
        now = now or timezone.now()
        if minutes is None:
            minutes = settings.HUB_ACTION_NOTICE_RETRY_MINUTES
        return self.unsent().filter(claimed_at__lt=now - timedelta(minutes=minutes))


class ActionNotice(models.Model):
    """One email about one action (or, for the digest, one agency's week) to one person.

    `period` says which occurrence the notice is about. For the action stages it is the due date
    the notice was sent for, so an agreed extension that moves the due date re-arms the due-soon,
    overdue and escalation notices; for the digest it is the Monday of the ISO week."""

    stage = models.CharField(max_length=20, choices=NoticeStage.choices)
    action = models.ForeignKey(
        "learning.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    agency = models.ForeignKey(
        "partnership.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="action_notices",
        help_text="For a digest: the agency whose actions it lists.",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_notices"
    )
    period = models.DateField()
    claim = models.UUIDField(
        null=True, blank=True, help_text="The run that claimed the notice and sends it."
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(
        default=timezone.now, help_text="When the run now sending it claimed it."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ActionNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "action", "recipient", "period"],
                condition=Q(action__isnull=False),
                name="actionnotice_once_per_action",
            ),
            models.UniqueConstraint(
                fields=["stage", "agency", "recipient", "period"],
                condition=Q(action__isnull=True),
                name="actionnotice_once_per_digest",
            ),
            models.CheckConstraint(
                condition=(
                    Q(stage=NoticeStage.DIGEST, agency__isnull=False, action__isnull=True)
                    | (~Q(stage=NoticeStage.DIGEST) & Q(action__isnull=False, agency__isnull=True))
                ),
                name="actionnotice_digest_names_agency",
            ),
        ]
        indexes = [
            models.Index(
                fields=["claimed_at"],
                condition=Q(sent_at__isnull=True),
                name="actionnotice_unsent",
            ),
            models.Index(fields=["claim"], name="actionnotice_claim"),
        ]

    def __str__(self):
        about = self.action.reference if self.action_id else self.agency.short_name
        return f"{self.get_stage_display()}: {about} to user {self.recipient_id} ({self.period})"
