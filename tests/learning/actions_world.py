"""A small, fictional set of follow-up actions for the My actions tests (site, services and
browser): a Wirral review with a recommendation, and actions owned by Wirral's police and its
NHS trust at chosen sharing levels. Plain functions, so that every test module can use them."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from learning.models import Action, ActionEvent, ActionState
from partnership.access import SharingLevel
from reviews.models import Recommendation, Review, ReviewType

SECRET = "Lives at 12 Fictional Row; case number FAKE-000"
PSEUDONYM = "Child Zeta"
RECOMMENDATION = "Agencies should share information about unseen men in the household."

_numbers = itertools.count(1)


def make_review(partnership, sharing_level=SharingLevel.PARTNERSHIP):
    n = next(_numbers)
    review = Review.objects.create(
        reference=f"WIR-RR-2027-{n:02d}",
        review_type=ReviewType.RAPID_REVIEW,
        title=f"Rapid review {n}",
        subject_pseudonym=PSEUDONYM,
        lead_partnership=partnership,
        sharing_level=sharing_level,
        confidential_details=SECRET,
    )
    recommendation = Recommendation.objects.create(
        review=review, text=RECOMMENDATION, sharing_level=SharingLevel.PARTNERSHIP
    )
    return review, recommendation


def make_action(
    world,
    reference=None,
    *,
    agency="Police",
    partnership="Wirral",
    lead=None,
    state=ActionState.OPEN,
    due_date=None,
    sharing_level=SharingLevel.PARTNERSHIP,
    recommendation=None,
    description="Brief every response officer on unseen men in the household by March.",
):
    reference = reference or f"WIR-ACT-{next(_numbers):04d}"
    action = Action.objects.create(
        reference=reference,
        recommendation=recommendation,
        review=recommendation.review if recommendation else None,
        description=description,
        partnership=world.partnerships[partnership],
        owner_agency=world.agencies[(partnership, agency)],
        lead=lead,
        due_date=due_date or timezone.localdate() + timedelta(days=60),
        state=state,
        sharing_level=sharing_level,
    )
    ActionEvent.objects.create(action=action, kind=ActionEvent.Kind.CREATED, to_state=state)
    return action


def far_date() -> date:
    return timezone.localdate() + timedelta(days=400)
