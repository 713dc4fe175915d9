"""The audit trail of reviews: who read or exported a restricted review, and when.

Wagtail logs every change already (edits, publishing, workflow steps). Reading and exporting
a restricted review is logged here, with how it was read and never any of its content beyond
its reference and title, which the log's label carries."""

from wagtail.log_actions import log

from partnership.access import SharingLevel, is_partnership_manager, membership_of

from .models import READ_ACTIONS, Review, ReviewLogEntry

VIEWED = "hub.review.viewed"
EXPORTED = "hub.review.exported"
SIGNED_OFF = "hub.review.signed_off"

ACTION_LABELS = {
    VIEWED: "Viewed a restricted review",
    EXPORTED: "Exported a restricted review",
    SIGNED_OFF: "Signed off by the statutory partners",
}
assert set(READ_ACTIONS) == {VIEWED, EXPORTED}


def _is_restricted(review) -> bool:
    # The saved row decides, as it does for access; a draft made wider has not widened it yet.
    saved = Review._base_manager.filter(pk=review.pk).values_list("sharing_level", flat=True)
    return SharingLevel.RESTRICTED in {review.sharing_level, *saved}


def log_review_read(review, user, how: str):
    """Record that `user` read `review` (how: "edit", "preview", "compare", ...), if restricted."""
    if review.pk is None or not _is_restricted(review):
        return None
    return log(instance=_saved(review), action=VIEWED, user=user, data={"how": how})


def log_review_export(reviews, user, how: str = "export"):
    """Record an export of these reviews by `user`: one entry for each restricted review."""
    entries = []
    for review in reviews:
        if review.pk is not None and _is_restricted(review):
            entries.append(
                log(instance=_saved(review), action=EXPORTED, user=user, data={"how": how})
            )
    return entries


def _saved(review):
    # The label of an entry is the saved review's reference and title, never a draft's.
    return Review._base_manager.get(pk=review.pk)


def trail_visible_to(user):
    """The audit entries of reviews a person may audit: the reviews their partnership leads,
    for its partnership managers; every review for the Hub's system administrators."""
    entries = ReviewLogEntry.objects.select_related("user", "review")
    if getattr(user, "is_superuser", False):
        return entries
    membership = membership_of(user)
    if membership is None or not is_partnership_manager(user):
        return entries.none()
    return entries.filter(
        review_id__in=Review._base_manager.filter(
            lead_partnership_id=membership.partnership_id
        ).values("pk")
    )


def may_audit(user) -> bool:
    return getattr(user, "is_superuser", False) or is_partnership_manager(user)
