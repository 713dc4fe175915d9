from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now(), cancelled_at__isnull=True)

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def with_place_counts(self):
        """Annotate `booked_count` (places taken) and `waiting_count` in the same query."""
        from .booking import BookingState

        return self.annotate(
            booked_count=Count(
                "bookings", filter=Q(bookings__state__in=BookingState.holding_a_place())
            ),
            waiting_count=Count("bookings", filter=Q(bookings__state=BookingState.WAITING)),
        )


class Session(models.Model):
    """One date of a course: when, where, how many places, who trains, who may book.

    Eligibility: people of the listed partnerships (the course's own when none are listed) and,
    if agencies are listed, only of those agencies."""

    course = models.ForeignKey("training.Course", on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IN_PERSON)
    venue = models.TextField(blank=True, help_text="Address, for sessions in person.")
    # Released only to delegates with a place: never on the public page, the feed or the list.
    online_link = models.URLField(blank=True, help_text="Shown only to booked delegates.")
    capacity = models.PositiveSmallIntegerField()
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="training_sessions"
    )
    booking_cutoff_days = models.PositiveSmallIntegerField(
        "booking cut-off (working days)",
        null=True,
        blank=True,
        help_text="Leave empty for the partnership's training terms.",
    )
    cancellation_cutoff_days = models.PositiveSmallIntegerField(
        "cancellation cut-off (working days)",
        null=True,
        blank=True,
        help_text="Leave empty for the partnership's training terms.",
    )
    requires_manager_approval = models.BooleanField(
        default=False, help_text="A delegate's line manager must approve each booking."
    )
    eligible_partnerships = models.ManyToManyField(
        "partnership.Partnership",
        blank=True,
        related_name="eligible_sessions",
        help_text="Leave empty for the course's own partnership only.",
    )
    eligible_agencies = models.ManyToManyField(
        "partnership.Agency",
        blank=True,
        related_name="eligible_sessions",
        help_text="Leave empty for every agency of the eligible partnerships.",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.course.title}, {timezone.localtime(self.starts_at):%-d %b %Y %H:%M}"
