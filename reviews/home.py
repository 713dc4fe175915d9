"""Reviews' part of the admin home (`hub.home`): the sign-off steps that wait for this person,
and the reviews they sent for sign-off that are still on their way.

It takes the place of Wagtail's two workflow panels (the Hub's only workflow is a review's
sign-off: `hub/migrations/0002` retired Wagtail's page workflow). The steps come from the
sign-off tasks' own rule (`ReviewSignOffTask.states_user_can_decide`), the same rule that lets
the review's editor offer Approve; the reviews someone sent are narrowed by the access policy,
as the listing is. One query, whatever the number of tasks and reviews."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.home import (
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)
from wagtail.models import TaskState

from hub.formats import long_date
from hub.home import NOTE, SOON, Item, Section
from partnership.access import has_role, visible_to
from partnership.models import Role

from .models import PanelApprovalTask, Review, StatutoryPartnerSignOffTask

SHOWN = 5
SIGN_OFF_TASKS = (PanelApprovalTask, StatutoryPartnerSignOffTask)
# Who sends reviews for sign-off, and so has reviews on their way.
SENDERS = (Role.REVIEWER, Role.QUALITY_ASSURANCE, Role.PARTNERSHIP_MANAGER)
WAGTAIL_WORKFLOW_PANELS = (WorkflowObjectsToModeratePanel, UserObjectsInWorkflowModerationPanel)


def drop_wagtail_workflow_panels(request, panels):
    """`construct_homepage_panels`: Wagtail's workflow panels give way to this section."""
    panels[:] = [panel for panel in panels if not isinstance(panel, WAGTAIL_WORKFLOW_PANELS)]


def _edit_url(review_id) -> str:
    return reverse("wagtailsnippets_reviews_review:edit", args=[review_id])


def _steps(user, sends: bool):
    """One query: the steps in progress that `user` approves (`to_decide`), and, for someone
    who sends reviews for sign-off, the current step of each they sent and may still see, with
    the review's reference and title."""
    approvable = TaskState.objects.none()
    for task_class in SIGN_OFF_TASKS:
        approvable = approvable | task_class.states_user_can_decide(user)
    review = Review._base_manager.filter(pk=OuterRef("review_pk"))
    steps = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type=ContentType.objects.get_for_model(Review),
    ).annotate(
        review_pk=Cast("workflow_state__object_id", IntegerField()),
        to_decide=Exists(approvable.filter(pk=OuterRef("pk"))),
    )
    wanted = Q(to_decide=True)
    if sends:
        # Only reviews the access policy still lets them see, as the listing shows.
        steps = steps.annotate(
            seen=Exists(visible_to(user, Review.objects.filter(pk=OuterRef("review_pk"))))
        )
        wanted |= Q(workflow_state__requested_by=user, seen=True)
    return (
        steps.filter(wanted)
        .annotate(
            reference=Subquery(review.values("reference")[:1]),
            review_title=Subquery(review.values("title")[:1]),
        )
        .select_related("task", "workflow_state")
        .order_by("started_at", "pk")
    )


def sign_off_sections(request):
    user = request.user
    sends = has_role(user, *SENDERS)
    asked = any(task_class.could_ask(user) for task_class in SIGN_OFF_TASKS)
    if not (sends or asked):
        return None
    steps = list(_steps(user, sends)[: 2 * SHOWN + 2])
    waiting = [s for s in steps if s.to_decide][:SHOWN]
    sent = [s for s in steps if s.workflow_state.requested_by_id == user.pk][:SHOWN]
    if not (steps or asked):
        return None
    sections = [
        Section(
            key="review-sign-off-waiting",
            heading="Waiting for your sign-off",
            caption="Reviews whose next step of sign-off is yours: open one to approve it or "
            "ask for changes.",
            items=tuple(
                _item(s, tag=s.task.name, detail="Waiting since {}.", colour=SOON) for s in waiting
            ),
            empty="No review waits for your sign-off.",
            order=5,
        )
    ]
    if sent:
        sections.append(
            Section(
                key="review-sign-off-sent",
                heading="Your reviews in sign-off",
                items=tuple(
                    _item(
                        s,
                        tag=f"Now at: {s.task.name}",
                        detail="Sent for sign-off {}.",
                        colour=NOTE,
                        since=s.workflow_state.created_at,
                    )
                    for s in sent
                ),
                order=6,
            )
        )
    return sections


def _item(step, *, tag: str, detail: str, colour: str, since=None) -> Item:
    since = since or step.started_at
    return Item(
        text=f"{step.reference}: {step.review_title}",
        url=_edit_url(step.review_pk),
        detail=detail.format(long_date(timezone.localdate(since))),
        tag=tag,
        tag_colour=colour,
    )
