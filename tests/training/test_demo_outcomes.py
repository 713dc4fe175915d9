"""The outcomes demo: on its own it makes a past course, marks its registers (with people who did
not attend and a late cancellation), evaluations and follow-ups; run again, it changes nothing."""

from hub.models import HomePage
from training import demo_outcomes
from training.models import Booking, BookingState, Evaluation, EvaluationKind


def counts():
    return (
        Booking.objects.filter(state=BookingState.ATTENDED).count(),
        Booking.objects.filter(state=BookingState.DID_NOT_ATTEND).count(),
        Booking.objects.filter(state=BookingState.CANCELLED_LATE).count(),
        Evaluation.objects.filter(kind=EvaluationKind.IMMEDIATE).count(),
        Evaluation.objects.filter(kind=EvaluationKind.FOLLOW_UP).count(),
    )


def test_the_outcomes_demo_stands_alone_and_reruns(world):
    assert HomePage.objects.exists()
    demo_outcomes.build(world, scale=1)
    attended, missed, late, evaluated, followed_up = counts()
    assert attended >= 15 and missed >= 2 and late == 2
    assert 0 < evaluated < attended and followed_up > 0
    assert Booking.objects.filter(state=BookingState.DID_NOT_ATTEND, charge__gt=0).count() == missed
    assert not Booking.objects.filter(state=BookingState.BOOKED).exists()
    demo_outcomes.build(world, scale=1)
    assert counts() == (attended, missed, late, evaluated, followed_up)
