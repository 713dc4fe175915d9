"""Follow-up evaluations as evidence of impact for the actions a course answers.

A delegate's follow-up says whether their practice changed since the course. Each course names
the actions it answers (`Course.actions`); an action's page, its review's evidence pack and the
"learning embedded" report show how many delegates of those courses said practice changed, as
acknowledgements of briefings show reach. Counting never moves an action through its lifecycle
(see `learning.impact`)."""

from django.db.models import Count, Q

from learning.impact import ImpactSignal

from .models import Course, Evaluation, EvaluationKind, PracticeChange

CHANGED = [PracticeChange.YES, PracticeChange.PARTLY]
LABEL = "Training follow-up"


def _sentence(changed: int, answered: int, yes: int) -> str:
    delegates = "delegate" if changed == 1 else "delegates"
    return (
        f"{changed} {delegates} said practice changed ({yes} yes, {changed - yes} partly) "
        f"of {answered} who answered the follow-up to a linked course"
    )


def _signal(row) -> ImpactSignal:
    return ImpactSignal(
        label=LABEL,
        count=row["changed"],
        text=_sentence(row["changed"], row["answered"], row["yes"]),
    )


MEASURES = {
    "answered": Count("pk", distinct=True),
    "changed": Count("pk", filter=Q(practice_changed__in=CHANGED), distinct=True),
    "yes": Count("pk", filter=Q(practice_changed=PracticeChange.YES), distinct=True),
}


def follow_ups_for(actions):
    """Follow-up answers of delegates of courses linked to any of `actions`."""
    courses = Course.actions.through.objects.filter(action__in=actions.values("pk"))
    return Evaluation.objects.filter(
        kind=EvaluationKind.FOLLOW_UP,
        booking__session__course__in=courses.values("course_id"),
    )


class FollowUpCounter:
    """Counts for `learning.impact`: one query each."""

    def per_action(self, actions) -> dict[int, ImpactSignal]:
        return per_action(actions)

    def total(self, actions) -> ImpactSignal | None:
        """For all of them together, where a delegate whose course answers two actions counts
        once."""
        total = follow_ups_for(actions).aggregate(**MEASURES)
        return _signal(total) if total["answered"] else None


def per_action(actions) -> dict[int, ImpactSignal]:
    """Per action, through the course-action link: one query."""
    through = Course.actions.through
    rows = (
        through.objects.filter(action__in=actions.values("pk"))
        .order_by()
        .values("action_id")
        .annotate(
            answered=Count(
                "course__sessions__bookings__evaluations",
                filter=Q(course__sessions__bookings__evaluations__kind=EvaluationKind.FOLLOW_UP),
                distinct=True,
            ),
            changed=Count(
                "course__sessions__bookings__evaluations",
                filter=Q(
                    course__sessions__bookings__evaluations__kind=EvaluationKind.FOLLOW_UP,
                    course__sessions__bookings__evaluations__practice_changed__in=CHANGED,
                ),
                distinct=True,
            ),
            yes=Count(
                "course__sessions__bookings__evaluations",
                filter=Q(
                    course__sessions__bookings__evaluations__kind=EvaluationKind.FOLLOW_UP,
                    course__sessions__bookings__evaluations__practice_changed=PracticeChange.YES,
                ),
                distinct=True,
            ),
        )
        .filter(answered__gt=0)
    )
    return {row["action_id"]: _signal(row) for row in rows}
