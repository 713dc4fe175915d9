"""The tasks of a review's sign-off: the panel approves it, then each statutory partner signs.

Wagtail records who finished each task and when (`TaskState.finished_by`, `finished_at`), so
the sign-off record is Wagtail's own and shows in the review's workflow history."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists
from django.db.models.functions import Cast
from wagtail.models import Task, TaskState

from partnership.models import Role, Sector

# The three statutory safeguarding partners and the agency sector that speaks for each.
STATUTORY_PARTNER_SECTORS = [
    (Sector.CHILDRENS_SOCIAL_CARE, "Local authority"),
    (Sector.POLICE, "Police"),
    (Sector.HEALTH, "Health"),
]


class ReviewSignOffTask(Task):
    """A task whose approvers depend on the review in hand, not on fixed groups."""

    def approvers(self, obj):
        raise NotImplementedError

    def user_can_approve(self, obj, user) -> bool:
        if not getattr(user, "is_active", False):
            return False
        return user.is_superuser or self.approvers(obj).filter(pk=user.pk).exists()

    def reviews_user_can_approve(self, user):
        raise NotImplementedError

    def user_can_access_editor(self, obj, user):
        return self.user_can_approve(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_can_approve(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_can_approve(obj, user)

    def get_actions(self, obj, user):
        if self.user_can_approve(obj, user):
            return [
                ("reject", "Request changes", True),
                ("approve", "Approve", False),
                ("approve", "Approve with comment", True),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        # The admin offers actions only to approvers; this also holds for any other caller.
        obj = task_state.workflow_state.content_object
        if not self.user_can_approve(obj, user):
            raise PermissionDenied("Only this task's approvers may approve or reject it.")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        # A subquery, not a list: the admin home unions every task's states into one query,
        # so asking each task here costs no query of its own. A workflow state names its
        # object by text.
        ids = self.reviews_user_can_approve(user).annotate(object_id=Cast("pk", models.CharField()))
        return states.filter(workflow_state__object_id__in=ids.values("object_id"))

    class Meta:
        abstract = True


def _review_row(obj):
    from .review import Review

    # The saved review, not a draft: a draft cannot make its author an approver.
    return Review._base_manager.only("pk", "lead_partnership_id").get(pk=obj.pk)


class PanelApprovalTask(ReviewSignOffTask):
    """The review's panel approves the review before the partners sign it off."""

    def approvers(self, obj):
        return get_user_model().objects.filter(review_panels=obj.pk, is_active=True)

    def reviews_user_can_approve(self, user):
        from .review import Review

        return Review._base_manager.filter(panel=user)

    @classmethod
    def get_description(cls):
        return "The review's panel members approve the review."

    class Meta:
        verbose_name = "panel approval task"


class StatutoryPartnerSignOffTask(ReviewSignOffTask):
    """One statutory partner signs the review off: a delegated safeguarding partner of the
    review's lead partnership whose agency is of this task's sector."""

    sector = models.CharField(
        max_length=30,
        choices=[(sector.value, label) for sector, label in STATUTORY_PARTNER_SECTORS],
        help_text="The partner that signs: its delegates are people of the lead partnership "
        "in an agency of this sector who hold the delegated safeguarding partner role.",
    )

    admin_form_fields = Task.admin_form_fields + ["sector"]

    def _delegates(self):
        return get_user_model().objects.filter(
            is_active=True,
            membership__agency__sector=self.sector,
            groups__name=Role.DELEGATED_SAFEGUARDING_PARTNER.label,
        )

    def approvers(self, obj):
        return self._delegates().filter(
            membership__partnership_id=_review_row(obj).lead_partnership_id
        )

    def reviews_user_can_approve(self, user):
        from .review import Review

        return Review._base_manager.filter(
            Exists(self._delegates().filter(pk=user.pk)),
            lead_partnership__memberships__user=user,
        )

    @classmethod
    def get_description(cls):
        return "A delegated safeguarding partner of the chosen sector signs the review off."

    class Meta:
        verbose_name = "statutory partner sign-off task"
