"""The demo actions: nothing without reviews, every state with reviews, re-runnable."""

from learning import demo
from learning.models import Action, ActionState
from reviews.models import Recommendation, Review, ReviewType


def test_no_reviews_no_actions(world):
    demo.build(world, scale=1)
    assert not Action.objects.exists()


def test_actions_in_every_state_and_re_runnable(world):
    review = Review.objects.create(
        reference="WIR-DEMO-1",
        title="Demo review",
        review_type=ReviewType.LEARNING_REVIEW,
        lead_partnership=world.partnerships["Wirral"],
        sharing_level="partnership",
    )
    for i in range(len(ActionState)):
        Recommendation.objects.create(review=review, text=f"Recommendation {i}")
    demo.build(world, scale=1)
    assert set(Action.objects.values_list("state", flat=True)) == set(ActionState.values)
    count = Action.objects.count()
    demo.build(world, scale=1)
    assert Action.objects.count() == count
    demo.build(world, scale=2)
    assert Action.objects.filter(reference__startswith="BENCH-").count() == 4000
