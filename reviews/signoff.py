"""Sign-off of a review: the panel approves it, then the three statutory partners sign it off.

The steps run as the "Review sign-off" Wagtail workflow (see `reviews.models.workflow`); this
module reads its progress for the editor and the preview, and moves the review to "signed off"
when the last partner signs, closing the milestones that sign-off completes."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from .models import Review, ReviewStatus
from .services import close_signed_off_milestones


@dataclass(frozen=True)
class SignOffStep:
    task: str
    status: str
    status_label: str
    who: str
    when: datetime | None
    comment: str


def latest_workflow_state(review):
    if review.pk is None:
        return None
    return (
        WorkflowState.objects.for_instance(review)
        .select_related("workflow")
        .order_by("-created_at", "-id")
        .first()
    )


def sign_off_progress(review) -> list[SignOffStep]:
    """Each step of the review's latest sign-off, in order: who finished it and when."""
    state = latest_workflow_state(review)
    if state is None:
        return []
    states_by_task = {}
    for task_state in (
        TaskState.objects.filter(workflow_state=state)
        .select_related("finished_by")
        .order_by("started_at", "id")
    ):
        states_by_task[task_state.task_id] = task_state  # the latest attempt wins
    labels = dict(TaskState.STATUS_CHOICES)
    steps = []
    for task in state.workflow.tasks:
        task_state = states_by_task.get(task.pk)
        who = ""
        if task_state and task_state.finished_by:
            user = task_state.finished_by
            who = user.get_full_name() or user.get_username()
        steps.append(
            SignOffStep(
                task=task.name,
                status=task_state.status if task_state else "not_started",
                status_label=labels[task_state.status] if task_state else "Not started",
                who=who,
                when=task_state.finished_at if task_state else None,
                comment=task_state.comment if task_state else "",
            )
        )
    return steps


def mark_signed_off(review, user=None):
    """Move a review whose sign-off workflow has finished to "signed off" and publish it.

    Saved as a new revision and published, so that the status in the editor, the revisions and
    the live record agree. The completed workflow is the authority to publish: the last
    partner to sign holds no publish permission of their own. The milestones the sign-off
    completes (the rapid review sent, the final report) are done today, by the last signer."""
    with transaction.atomic():
        latest = review.get_latest_revision_as_object()
        latest.status = ReviewStatus.SIGNED_OFF
        revision = latest.save_revision(user=user, log_action=False)
        revision.publish(user=user, skip_permission_checks=True)
        log(
            instance=Review._base_manager.get(pk=review.pk),
            action="hub.review.signed_off",
            user=user,
            data={"steps": [step.task for step in sign_off_progress(review)]},
        )
        close_signed_off_milestones(review, user=user)
