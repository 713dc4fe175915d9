"""A challenge and support event: quality assurance meets one or several agencies about their
returns (a session for the health agencies, a panel for the schools), and records when, whom it
covered and what was agreed. A challenge made there names the event, so the history of a rating
says where it was challenged. What was said about a child never belongs in the notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ChallengeEvent(models.Model):
    cycle = models.ForeignKey("audits.Cycle", on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=150)
    held_on = models.DateField()
    returns = models.ManyToManyField("audits.AgencyReturn", related_name="events")
    notes = models.TextField(blank=True, help_text="What was agreed. No names of children.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "-held_on", "-pk"]
        verbose_name = "challenge and support event"

    def __str__(self):
        return f"{self.title} ({self.held_on:%d %b %Y})"
