"""Wagtail's workflow emails (submitted, approved, rejected, a group's task to review) go only to
people who may see the record (`partnership.admin_visibility.may_see`): a requester who has since
lost sight of a review, or a moderator of another partnership, is not told its title.

Wagtail connects its notifiers in `wagtail.admin.signal_handlers` under fixed dispatch uids;
`connect()` puts the Hub's in their place, whichever app is ready first."""

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from .admin_visibility import may_see


class OnlyThoseWhoMaySee:
    """Narrows a Wagtail notifier's recipients to the people who may see its record."""

    def get_recipient_users(self, instance, **kwargs):
        recipients = super().get_recipient_users(instance, **kwargs)
        state = instance.workflow_state if isinstance(instance, TaskState) else instance
        obj = state.content_object
        return {user for user in recipients if user is not None and may_see(user, obj)}


class SubmissionNotifier(OnlyThoseWhoMaySee, WorkflowStateSubmissionEmailNotifier):
    pass


class ApprovalNotifier(OnlyThoseWhoMaySee, WorkflowStateApprovalEmailNotifier):
    pass


class RejectionNotifier(OnlyThoseWhoMaySee, WorkflowStateRejectionEmailNotifier):
    pass


class GroupTaskSubmissionNotifier(
    OnlyThoseWhoMaySee, GroupApprovalTaskStateSubmissionEmailNotifier
):
    pass


# (signal, sender, Wagtail's dispatch uid, the Hub's notifier)
NOTIFIERS = [
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        GroupTaskSubmissionNotifier(),
    ),
    (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        SubmissionNotifier(),
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        RejectionNotifier(),
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        ApprovalNotifier(),
    ),
]


def connect() -> None:
    for signal, sender, dispatch_uid, notifier in NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(notifier, sender=sender, dispatch_uid=dispatch_uid)
