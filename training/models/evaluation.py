from django.db import models
from django.utils import timezone


class EvaluationKind(models.TextChoices):
    IMMEDIATE = "immediate", "Evaluation after the session"
    FOLLOW_UP = "follow_up", "Follow-up: what changed in practice"


class PracticeChange(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "Not yet"


class Evaluation(models.Model):
    """A delegate's evaluation of a session they attended: once straight after (which releases
    their certificate) and once at follow-up (evidence of impact for the course's actions)."""

    booking = models.ForeignKey(
        "training.Booking", on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(max_length=20, choices=EvaluationKind.choices)
    submitted_at = models.DateTimeField(default=timezone.now)
    # Ratings 1 (poor) to 5 (excellent); follow-ups leave the session ratings empty.
    overall = models.PositiveSmallIntegerField(null=True, blank=True)
    outcomes_met = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_before = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_after = models.PositiveSmallIntegerField(null=True, blank=True)
    practice_changed = models.CharField(max_length=10, choices=PracticeChange.choices, blank=True)
    what_changed = models.TextField(blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="one_evaluation_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.booking.user}"
