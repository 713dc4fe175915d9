"""Who may do what with a review in the admin.

Wagtail's permissions say what a role may do with reviews at all; the access policy
(`partnership.access`) says which reviews a person may see. This module joins the two for the
admin and adds the two rules that are about reviews alone: who may read the confidential details,
and that the person asked to sign a review off may read what they sign."""

from wagtail.permission_policies import ModelPermissionPolicy

from partnership.access import can_view, is_partnership_manager, membership_of, visible_to

from .models import Review

# Actions that change a review are for the lead partnership's people and the panel, never for a
# partnership that only takes part or sees the review regionally.
CHANGING_ACTIONS = {"change", "delete", "publish", "unpublish", "lock", "unlock"}


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
    if user.is_superuser:
        return True
    membership = membership_of(user)
    if membership and membership.partnership_id == _row(review).lead_partnership_id:
        return can_view(user, review)
    return is_on_panel(user, review)


class ReviewPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions, narrowed to the reviews the access policy lets a person see."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action in CHANGING_ACTIONS:
            return may_change(user, instance)
        return may_open(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        return visible_to(user, queryset)
