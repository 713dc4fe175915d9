"""Keep milestones in step: when a review's dates change, when a partnership changes a timescale,
and give every new partnership its timescale settings."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from partnership.models import Partnership

from .milestones import date_fields
from .models import Review, ReviewTimescale
from .services import recompute_milestones, recompute_open_reviews

MILESTONE_FIELDS = date_fields()


@receiver(post_save, sender=Review, dispatch_uid="reviews.recompute_milestones")
def review_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # Publishing a revision saves the whole review, so this also runs when revisions publish.
    # Saving a draft saves only `latest_revision`: the draft may record a step done (see
    # `recompute_milestones`), so recompute from the saved review, not the draft in hand. Other
    # bookkeeping (locks) cannot move a deadline.
    if raw:
        return
    if update_fields is not None and not MILESTONE_FIELDS.intersection(update_fields):
        if "latest_revision" in update_fields:
            recompute_milestones(Review._base_manager.get(pk=instance.pk))
        return
    recompute_milestones(instance)


@receiver(post_save, sender=ReviewTimescale, dispatch_uid="reviews.timescale_changed")
def timescale_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        recompute_open_reviews(instance.partnership_id)


@receiver(post_save, sender=Partnership, dispatch_uid="reviews.partnership_timescales")
def partnership_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ReviewTimescale.objects.ensure_for(instance)
