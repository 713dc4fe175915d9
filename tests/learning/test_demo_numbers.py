"""The funnel and the evidence pack tell the truth about the demo world.

The demo gives every recommendation of a demo review exactly one action, in states that cycle
through the lifecycle, so each stage of the funnel must equal a plain count of actions by state;
the evidence pack must hold every recommendation, action and piece of evidence of its review."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from learning import reports
from learning.models import Action, ActionState, Evidence
from reviews.models import Recommendation, Review

DONE = (ActionState.COMPLETED, ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED)
IMPACT = (ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED)


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_the_demo_gives_each_recommendation_one_action_in_every_state(demo):
    wirral_recs = Recommendation.objects.filter(review__lead_partnership__short_name="Wirral")
    assert wirral_recs.exists()
    assert all(r.actions.count() == 1 for r in wirral_recs)
    assert set(Action.objects.values_list("state", flat=True)) == set(ActionState.values)


@pytest.mark.parametrize("username", ["manager", "qa"])
def test_the_partnership_funnel_counts_the_demo_actions(demo, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    today = timezone.localdate()
    actions = Action.objects.filter(partnership__short_name="Wirral", recommendation__isnull=False)
    funnel = reports.funnel(user, today)
    stages = dict(funnel.total.stages) if isinstance(funnel.total.stages, list) else None
    counts = [n for _, n in funnel.total.stages]
    assert counts == [
        Recommendation.objects.filter(review__lead_partnership__short_name="Wirral").count(),
        actions.count(),
        actions.filter(state__in=DONE).count(),
        actions.filter(state__in=IMPACT).count(),
        actions.filter(state=ActionState.EMBEDDED).count(),
    ], stages
    assert (
        funnel.total.overdue
        == actions.filter(
            state__in=(ActionState.OPEN, ActionState.IN_PROGRESS), due_date__lt=today
        ).count()
    )


def test_the_evidence_pack_holds_everything_of_its_review(demo):
    from django.contrib.auth import get_user_model

    qa = get_user_model().objects.get(username="qa")
    review = (
        Review.objects.filter(lead_partnership__short_name="Wirral", actions__isnull=False)
        .distinct()
        .order_by("reference")
        .first()
    )
    pack = reports.evidence_pack(qa, review, timezone.localdate())
    in_pack = reports.pack_actions(pack)
    assert len(pack.recommendations) == review.recommendations.count()
    assert {a.pk for a in in_pack} == set(review.actions.values_list("pk", flat=True))
    assert (
        sum(len(a.evidence.all()) for a in in_pack)
        == Evidence.objects.filter(action__review=review).count()
    )
    for action in in_pack:
        if action.state == ActionState.EMBEDDED:
            assert action.embedded_by == qa and action.embedded_at is not None
