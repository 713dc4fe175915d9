"""The audit trail of reviews: Wagtail's log entries, kept apart from other models' so that the
trail can be narrowed by the access policy."""

from django.db import models
from wagtail.models import BaseLogEntry, BaseLogEntryManager

# Reads and exports of restricted reviews: shown in the audit report to the owning partnership's
# managers, never in the review's history, which everyone who can open the review sees.
READ_ACTIONS = ("hub.review.viewed", "hub.review.exported")


class ReviewLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(review_id=instance.pk)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(review_id=instance.pk).exclude(action__in=READ_ACTIONS)

    def viewable_by_user(self, user):
        """Entries of the reviews `user` may see; reads only for the owners' managers.

        Wagtail's site history report asks this, so that it never lists a restricted review's
        title to someone outside it."""
        from partnership.access import visible_to

        from .review import Review

        if user.is_superuser:
            return self.all()
        if not user.has_perm("reviews.view_review") and not user.has_perm("reviews.change_review"):
            return self.none()
        visible = visible_to(user, Review._base_manager.all()).values("pk")
        return self.filter(review_id__in=visible).filter(
            ~models.Q(action__in=READ_ACTIONS) | models.Q(review_id__in=_managed_by(user))
        )


def _managed_by(user):
    from partnership.access import is_partnership_manager, membership_of

    from .review import Review

    membership = membership_of(user)
    if membership is None or not is_partnership_manager(user):
        return Review._base_manager.none().values("pk")
    return Review._base_manager.filter(lead_partnership_id=membership.partnership_id).values("pk")


class ReviewLogEntry(BaseLogEntry):
    """Wagtail's log of a review (edits, publishing, workflow) plus the Hub's reads and exports."""

    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = ReviewLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = "review log entry"
        verbose_name_plural = "review log entries"

    def __str__(self):
        return f"ReviewLogEntry {self.pk}: {self.action} on review {self.review_id}"

    @property
    def object_id(self):
        return self.review_id
