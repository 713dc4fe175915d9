from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone

ACCESS_NEEDS_MAX = 1000


class BookingState(models.TextChoices):
    REQUESTED = "requested", "Awaiting line manager approval"
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    OFFERED = "offered", "Offered a place"
    CANCELLED = "cancelled", "Cancelled"
    REFUSED = "refused", "Not approved by line manager"
    OFFER_EXPIRED = "offer_expired", "Offer expired"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED_LATE = "cancelled_late", "Cancelled late"

    @classmethod
    def holding_a_place(cls) -> list[str]:
        """States that take one of the session's places. An offered place is held for the
        person offered it until they accept or the offer expires; a request awaiting approval
        holds one too, so that approval never finds the session full."""
        return [cls.REQUESTED, cls.BOOKED, cls.OFFERED, cls.ATTENDED, cls.DID_NOT_ATTEND]

    @classmethod
    def active(cls) -> list[str]:
        """States in which the person still has a claim on the session (one per person)."""
        return [*cls.holding_a_place(), cls.WAITING, cls.CANCELLED_LATE]

    @classmethod
    def register(cls) -> list[str]:
        """What the trainer records on the register."""
        return [cls.ATTENDED, cls.DID_NOT_ATTEND, cls.CANCELLED_LATE]


class Booking(models.Model):
    """A person's place, request or place in the queue for a session.

    The agency and partnership are recorded when they book: a charge for non-attendance goes to
    the agency they worked for then, even if they move."""

    session = models.ForeignKey(
        "training.Session", on_delete=models.PROTECT, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_bookings"
    )
    agency = models.ForeignKey(
        "partnership.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="training_bookings"
    )
    state = models.CharField(max_length=20, choices=BookingState.choices)
    line_manager_email = models.EmailField(blank=True)
    # Personal (often health) information the delegate gives so that they can take part: shown
    # to the session's trainers and the owning partnership's managers only (`may_see_bookings`),
    # never in an email, a log line, an export beyond the session's own, or the search index.
    access_needs = models.TextField(
        blank=True,
        max_length=ACCESS_NEEDS_MAX,
        help_text="What the delegate asked for so that they can take part.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The waiting list is first come, first served: by when they joined it.
    waiting_since = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The fee fixed when the register is marked, from the terms in force then.
    charge = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    # The emails the outbox has sent about it, deleted with it.
    notices = GenericRelation("hub.Notice")

    class Meta:
        ordering = ["session", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(
                    state__in=[
                        "requested",
                        "booked",
                        "waiting",
                        "offered",
                        "attended",
                        "did_not_attend",
                        "cancelled_late",
                    ]
                ),
                name="one_active_booking_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "state", "waiting_since"], name="booking_queue"),
        ]

    def __str__(self):
        return f"{self.user} on {self.session} ({self.get_state_display()})"

    @property
    def holds_a_place(self) -> bool:
        return self.state in BookingState.holding_a_place()
