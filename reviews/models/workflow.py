"""The tasks of a review's sign-off: the panel approves it, then each statutory partner signs.

Wagtail records who finished each task and when (`TaskState.finished_by`, `finished_at`), so
the sign-off record is Wagtail's own and shows in the review's workflow history."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.functions import Cast
from wagtail.models import Task, TaskState

from partnership.access import has_role
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
        return type(self).states_user_can_decide(user).filter(task=self)

    @classmethod
    def states_user_can_decide(cls, user):
        """The in-progress steps of this kind of task that `user` approves, across every task
        of the kind, as one query with none before it: the admin home asks this directly, and
        Wagtail per task (`get_task_states_user_can_moderate`), which it unions into one."""
        states = TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__in=cls.objects.filter(active=True).values("pk"),
        )
        if user.is_superuser:
            return states
        if not user.is_active:
            return states.none()
        return cls.narrow_to_approver(states, user)

    @classmethod
    def narrow_to_approver(cls, states, user):
        """`states` narrowed to those whose review `user` approves: `approvers`, asked from the
        person's side."""
        raise NotImplementedError

    @classmethod
    def could_ask(cls, user) -> bool:
        """Whether a task of this kind could ever wait on `user`, asked without a query where
        that can be known: the admin home asks nothing more of anyone it could not."""
        raise NotImplementedError

    class Meta:
        abstract = True


def sits_on_a_panel(user) -> bool:
    """Whether `user` is on any review's panel: kept per reader until a review or its panel
    changes (`reviews.deadline_cache`), and on the person for the rest of the request."""
    from .. import deadline_cache
    from .review import Review

    if not hasattr(user, "_hub_sits_on_a_panel"):
        user._hub_sits_on_a_panel = deadline_cache.remember(
            user, ("sits-on-a-panel",), lambda: Review._base_manager.filter(panel=user).exists()
        )
    return user._hub_sits_on_a_panel


def _as_object_ids(reviews):
    """The reviews' ids as text, as a subquery: a workflow state names its object by text."""
    return reviews.annotate(object_text=Cast("pk", models.CharField())).values("object_text")


def _review_row(obj):
    from .review import Review

    # The saved review, not a draft: a draft cannot make its author an approver.
    return Review._base_manager.only("pk", "lead_partnership_id").get(pk=obj.pk)


class PanelApprovalTask(ReviewSignOffTask):
    """The review's panel approves the review before the partners sign it off."""

    def approvers(self, obj):
        return get_user_model().objects.filter(review_panels=obj.pk, is_active=True)

    @classmethod
    def narrow_to_approver(cls, states, user):
        from .review import Review

        panels = Review._base_manager.filter(panel=user)
        return states.filter(workflow_state__object_id__in=_as_object_ids(panels))

    @classmethod
    def could_ask(cls, user) -> bool:
        return user.is_superuser or sits_on_a_panel(user)

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

    @staticmethod
    def delegates():
        return get_user_model().objects.filter(
            is_active=True, groups__name=Role.DELEGATED_SAFEGUARDING_PARTNER.label
        )

    def approvers(self, obj):
        return self.delegates().filter(
            membership__agency__sector=self.sector,
            membership__partnership_id=_review_row(obj).lead_partnership_id,
        )

    @classmethod
    def narrow_to_approver(cls, states, user):
        from .review import Review

        # The step of the sector of their agency, for their own partnership's reviews.
        sectors = cls.delegates().filter(pk=user.pk).values("membership__agency__sector")
        own = Review._base_manager.filter(lead_partnership__memberships__user=user)
        return states.filter(
            task__statutorypartnersignofftask__sector__in=sectors,
            workflow_state__object_id__in=_as_object_ids(own),
        )

    @classmethod
    def could_ask(cls, user) -> bool:
        return user.is_superuser or has_role(user, Role.DELEGATED_SAFEGUARDING_PARTNER)

    @classmethod
    def get_description(cls):
        return "A delegated safeguarding partner of the chosen sector signs the review off."

    class Meta:
        verbose_name = "statutory partner sign-off task"
