"""A review's milestones, computed from its dates, and the partnership's own timescales."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models

from hub.working_days import add_working_days

from .review import Review, ReviewStatus, ReviewType, involvement_q

# A review in one of these has nothing left to meet; its outstanding milestones stop nagging.
CLOSED_STATUSES = (
    ReviewStatus.PUBLISHED,
    ReviewStatus.PUBLISHED_IMPROVEMENTS_ONLY,
    ReviewStatus.NOT_PUBLISHED,
)


# "Due soon" on the dashboard and in the review listing's filter.
DUE_SOON_WORKING_DAYS = 5


class MilestoneQuerySet(models.QuerySet):
    def outstanding(self):
        """Not done, with a known due date, on a review still open."""
        return self.filter(done_date__isnull=True, due_date__isnull=False).exclude(
            review__status__in=CLOSED_STATUSES
        )

    def overdue(self, today: date):
        return self.outstanding().filter(due_date__lt=today)

    def due_within_working_days(self, today: date, days: int):
        """Due from today up to `days` working days ahead: today is due, not yet overdue."""
        return self.outstanding().filter(
            due_date__gte=today, due_date__lte=add_working_days(today, days)
        )

    def needing_attention(self, today: date, days: int = DUE_SOON_WORKING_DAYS):
        """Overdue or due within `days` working days, in one query."""
        return self.outstanding().filter(due_date__lte=add_working_days(today, days))

    def visible_to(self, user):
        """Milestones of the reviews `user` may see: the access policy decides, on the review."""
        return self.filter(review__in=Review.objects.visible_to(user))

    def for_deadlines_of(self, user):
        """What belongs on `user`'s deadline list: reviews they may see that their partnership
        leads or takes part in, or whose panel they sit on. A review another partnership shares
        regionally is readable, but its deadlines are that partnership's to meet."""
        return self.visible_to(user).filter(involvement_q(user, "review__"))


class DoneSource(models.TextChoices):
    """How a milestone came to be done: what the timeline says beside its done date."""

    MARKED = "marked", "Marked done"
    RECORDED = "recorded", "Recorded by the date on the review"
    SIGN_OFF = "sign_off", "Closed when the review was signed off"


class Milestone(models.Model):
    """A dated step of a review: computed from the review's dates and its partnership's
    timescales by `reviews.services.recompute_milestones`, never typed in, except when it
    was done. Overdue and due-soon are derived from the dates, not stored."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField(null=True, blank=True)
    done_date = models.DateField(null=True, blank=True)
    statutory = models.BooleanField(
        default=False, help_text="Set in law or statutory guidance, not by the partnership."
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who marked it done, or whose sign-off closed it.",
    )
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was marked done, which may be after the day."
    )
    done_source = models.CharField(max_length=20, choices=DoneSource.choices, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="milestone_unique_kind"),
        ]
        indexes = [models.Index(fields=["done_date", "due_date"], name="milestone_outstanding")]

    def __str__(self):
        return f"{self.review.reference}: {self.label}"

    def is_overdue(self, today: date) -> bool:
        return self.done_date is None and self.due_date is not None and self.due_date < today

    def days_overdue(self, today: date) -> int:
        """Calendar days past the due date, 0 when not overdue."""
        return (today - self.due_date).days if self.is_overdue(today) else 0


class ReviewTimescaleQuerySet(models.QuerySet):
    def for_partnership(self, partnership) -> dict[tuple[str, str], int]:
        """The partnership's figures keyed by (review type, kind), over the defaults."""
        from ..milestones import default_timescales

        pk = getattr(partnership, "pk", partnership)
        figures = default_timescales()
        figures.update(
            {
                (rt, kind): amount
                for rt, kind, amount in self.filter(partnership_id=pk).values_list(
                    "review_type", "kind", "amount"
                )
            }
        )
        return figures

    def ensure_for(self, partnership) -> None:
        """One row per settable milestone, with the default, so managers see and change every
        figure; existing rows keep their figures."""
        from ..milestones import settable_specs

        self.bulk_create(
            [
                ReviewTimescale(
                    partnership=partnership, review_type=rt, kind=s.kind, amount=s.amount
                )
                for rt, s in settable_specs()
            ],
            ignore_conflicts=True,
        )


class ReviewTimescale(models.Model):
    """A partnership's own figure for a local or commonly cited milestone of a review type.

    Statutory figures are not here: nobody may change them. Changing a figure recomputes the
    milestones of the partnership's open reviews."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="review_timescales"
    )
    review_type = models.CharField("review type", max_length=30, choices=ReviewType.choices)
    kind = models.CharField("milestone", max_length=40)
    amount = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(730)],
        help_text="How many of the milestone's unit (working days, calendar days or months).",
    )

    objects = ReviewTimescaleQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "review_type", "kind"]
        verbose_name = "review timescale"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "review_type", "kind"], name="review_timescale_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_review_type_display()}: {self.milestone_label} ({self.partnership})"

    @property
    def spec(self):
        from ..milestones import spec

        return spec(self.review_type, self.kind)

    @property
    def milestone_label(self) -> str:
        return self.spec.label if self.spec else self.kind

    @property
    def timescale(self) -> str:
        """ "10 working days after the notification date", with this partnership's figure."""
        return self.spec.describe(self.amount) if self.spec else ""

    @property
    def default(self) -> str:
        return self.spec.describe() if self.spec else ""

    @property
    def basis(self) -> str:
        return self.spec.basis.label if self.spec else ""

    def clean(self):
        if self.spec is None or not self.spec.settable:
            raise ValidationError(
                {"kind": "This milestone has no partnership setting for this review type."}
            )
