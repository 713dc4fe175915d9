from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class TrainingTermsQuerySet(models.QuerySet):
    def for_partnership(self, partnership) -> "TrainingTerms":
        """The partnership's terms, made with the defaults the first time they are asked for."""
        terms, _ = self.get_or_create(partnership_id=getattr(partnership, "pk", partnership))
        return terms


class TrainingTerms(models.Model):
    """A partnership's local rules for its training: cut-offs, offers, charges, follow-up.

    The domain notes mark all of these *local*: each partnership sets its own in the admin, and a
    session may override the two cut-offs."""

    partnership = models.OneToOneField(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="training_terms"
    )
    booking_cutoff_days = models.PositiveSmallIntegerField(
        "booking cut-off (working days)",
        default=2,
        validators=[MaxValueValidator(60)],
        help_text="Bookings close this many working days before the session.",
    )
    cancellation_cutoff_days = models.PositiveSmallIntegerField(
        "cancellation cut-off (working days)",
        default=3,
        validators=[MaxValueValidator(60)],
        help_text="Delegates may cancel until this many working days before the session; "
        "later is a late cancellation, charged like non-attendance.",
    )
    offer_hours = models.PositiveSmallIntegerField(
        "time to accept an offered place (hours)",
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        "reminder before the session (working days)",
        default=2,
        validators=[MaxValueValidator(30)],
    )
    fee_half_day = models.DecimalField(
        "non-attendance fee, half day (£)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    fee_full_day = models.DecimalField(
        "non-attendance fee, full day (£)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    charge_late_cancellation = models.BooleanField(
        default=True, help_text="Charge a late cancellation like non-attendance."
    )
    follow_up_after_days = models.PositiveSmallIntegerField(
        "follow-up evaluation after (days)",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="About three months: when delegates are asked what changed in practice.",
    )

    objects = TrainingTermsQuerySet.as_manager()

    class Meta:
        verbose_name = "training terms"
        verbose_name_plural = "training terms"

    def __str__(self):
        return f"Training terms for {self.partnership}"

    def fee_for(self, duration: str) -> Decimal:
        from .course import Duration

        return self.fee_full_day if duration == Duration.FULL_DAY else self.fee_half_day
