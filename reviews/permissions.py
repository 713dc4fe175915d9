"""Who may do what with a review in the admin.

Wagtail's permissions say what a role may do with reviews at all; the access policy
(`partnership.access`) says which reviews a person may see. This module joins the two for the
admin and adds the two rules that are about reviews alone: who may read the confidential details,
and that the person asked to sign a review off may read what they sign."""

from partnership.access import can_change, can_view, is_partnership_manager, membership_of
from partnership.admin_access import AccessPermissionPolicy

from .models import Review


def _row(review) -> Review:
    """The saved review: drafts in revisions never widen who may see it."""
    return Review._base_manager.only("pk", "lead_partnership_id", "sharing_level").get(pk=review.pk)


def is_current_approver(user, review) -> bool:
    """Is `user` asked to approve the review's current sign-off task?"""
    from .models import ReviewSignOffTask

    state = review.current_workflow_state if review.pk else None
    if state is None or state.current_task_state is None:
        return False
    task = state.current_task_state.task.specific
    return isinstance(task, ReviewSignOffTask) and task.user_can_approve(review, user)


def may_open(user, review) -> bool:
    """May `user` open this review's pages in the admin?"""
    return can_view(user, review) or is_current_approver(user, review)


def is_on_panel(user, review) -> bool:
    return Review._base_manager.filter(pk=review.pk, panel=user.pk).exists()


def may_read_confidential(user, review) -> bool:
    """The panel and the owning partnership's managers, and the Hub's system administrators.

    A review not yet saved has no confidential details to hide from its author."""
    if not getattr(user, "is_authenticated", False):
        return False
    if review.pk is None or user.is_superuser:
        return True
    if is_on_panel(user, review):
        return True
    membership = membership_of(user)
    return bool(
        membership
        and is_partnership_manager(user)
        and membership.partnership_id == _row(review).lead_partnership_id
    )


def may_change(user, review) -> bool:
    """May `user` change this review? The access policy's answer (`can_change`): the lead
    partnership's people who may see it, and its panel."""
    return can_change(user, review)


class ReviewPermissionPolicy(AccessPermissionPolicy):
    """The access policy's permission policy for reviews, with the two rules about reviews
    alone: the partner asked to sign off the current step reads (and, while it is their step,
    edits) what they sign; and a review is published only by finishing its sign-off, so
    publishing and unpublishing around the workflow are for system administrators only."""

    administrators_only = frozenset({"publish", "unpublish"})

    def may_open(self, user, instance):
        return may_open(user, instance)

    def user_has_permission_for_instance(self, user, action, instance):
        # Wagtail's workflow opens the editor to the task's approvers, whatever their role's
        # model permissions: that is where they approve or request changes.
        if action == "change" and is_current_approver(user, instance):
            return True
        return super().user_has_permission_for_instance(user, action, instance)


def may_mark_milestones_done(user, review) -> bool:
    """Who may mark the review's milestones done: exactly who may change it, by their role's
    permission to change reviews and by `may_change`. Not the partner asked to approve a
    sign-off step, whom the editor lets in to approve: a milestone is the panel's to record."""
    return user.has_perm("reviews.change_review") and may_change(user, review)
