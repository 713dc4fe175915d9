"""A small fictional world of reviews, recommendations and actions in every state, for the
reports, evidence pack, admin and import tests."""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from learning.models import Action, ActionEvent, ActionState, Evidence, EvidenceKind, ImpactType
from partnership.models import Membership, Role, Theme
from reviews.models import Recommendation, Review, ReviewType

TODAY = date(2027, 3, 1)

_numbers = itertools.count(1)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2027, 3, 1, 12, tzinfo=UTC), tick=False):
        yield TODAY


@pytest.fixture
def liverpool_qa(world):
    """Liverpool's quality assurance officer: the demo world has none."""
    user = get_user_model().objects.create_user(
        "liverpool.qa", email="liverpool.qa@example.org", password="correct-horse-battery"
    )
    user.groups.add(Group.objects.get(name=Role.QUALITY_ASSURANCE.label))
    Membership.objects.create(
        user=user,
        partnership=world.partnerships["Liverpool"],
        agency=world.agencies[("Liverpool", "Business unit")],
    )
    return user


@pytest.fixture
def make_action(world):
    def make(review=None, recommendation=None, agency=("Wirral", "Police"), **fields):
        n = next(_numbers)
        review = review or (recommendation.review if recommendation else None)
        partnership = review.lead_partnership if review else world.partnerships[agency[0]]
        fields.setdefault("reference", f"ACT-{n:04d}")
        fields.setdefault("description", f"Fictional action {n}")
        fields.setdefault("due_date", date(2027, 6, 1))
        return Action.objects.create(
            review=review,
            recommendation=recommendation,
            partnership=partnership,
            owner_agency=world.agencies[agency],
            **fields,
        )

    return make


def complete(action, user, when, *states):
    """Record the history of an action reaching `states`, in order, on `when`."""
    previous = action.state
    for state in states:
        ActionEvent.objects.create(
            action=action,
            kind=ActionEvent.Kind.STATE_CHANGED,
            from_state=previous,
            to_state=state,
            user=user,
            at=datetime.combine(when, datetime.min.time(), tzinfo=UTC).replace(hour=10),
        )
        previous = state
    action.state = previous
    action.save()


@dataclass
class Reports:
    review: Review
    other_review: Review
    liverpool_review: Review
    recs: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)


@pytest.fixture
def reports_world(world, people, make_action, frozen):
    """Wirral's review WIR-LR-1 with four recommendations:

    - A: two actions, one embedded and one with impact evidenced (reaches impact evidenced);
    - B: one embedded action (reaches embedded);
    - C: no actions;
    - D: one overdue open action and one completed late (reaches with actions).
    Review WIR-LR-2: one restricted action in progress, due in 9 days (amber).
    A Wirral audit action with no review: green. Liverpool's review LIV-LR-1: one restricted and
    one partnership action, which Wirral readers never count."""
    wirral, liverpool = world.partnerships["Wirral"], world.partnerships["Liverpool"]
    neglect = Theme.objects.get(slug="neglect")
    review = Review.objects.create(
        reference="WIR-LR-1",
        title="Learning review: Child W",
        review_type=ReviewType.LEARNING_REVIEW,
        lead_partnership=wirral,
        sharing_level="partnership",
    )
    review.themes.add(neglect)
    review.save()
    other = Review.objects.create(
        reference="WIR-LR-2",
        title="Learning review: Child X",
        review_type=ReviewType.LEARNING_REVIEW,
        lead_partnership=wirral,
        sharing_level="partnership",
    )
    liverpool_review = Review.objects.create(
        reference="LIV-LR-1",
        title="Learning review: Child L",
        review_type=ReviewType.LEARNING_REVIEW,
        lead_partnership=liverpool,
        sharing_level="partnership",
    )
    w = Reports(review=review, other_review=other, liverpool_review=liverpool_review)
    for key, text in [
        ("A", "Agencies should share information about neglect at the front door."),
        ("B", "Supervision should test the impact of cumulative harm."),
        ("C", "Schools should be invited to strategy discussions."),
        ("D", "Health visitors should record who lives in the household."),
    ]:
        w.recs[key] = Recommendation.objects.create(review=review, text=text)
    w.recs["E"] = Recommendation.objects.create(
        review=other, text="Police should ask about fathers."
    )
    w.recs["L"] = Recommendation.objects.create(
        review=liverpool_review, text="Liverpool recommendation on transitions."
    )
    qa = people["qa"]
    a = w.actions
    a["A1"] = make_action(
        recommendation=w.recs["A"], reference="WIR-A1", due_date=date(2027, 1, 31)
    )
    complete(a["A1"], qa, date(2027, 1, 20), "completed", "impact_evidenced", "embedded")
    a["A1"].embedded_by, a["A1"].embedded_at = qa, datetime(2027, 2, 1, 9, tzinfo=UTC)
    a["A1"].save()
    Evidence.objects.create(
        action=a["A1"], kind=EvidenceKind.COMPLETION, text="Front door briefing delivered."
    )
    Evidence.objects.create(
        action=a["A1"],
        kind=EvidenceKind.IMPACT,
        impact_type=ImpactType.RE_AUDIT,
        text="Re-audit of 20 contacts: 18 shared.",
    )
    a["A2"] = make_action(
        recommendation=w.recs["A"], reference="WIR-A2", agency=("Wirral", "NHS trust")
    )
    complete(a["A2"], qa, date(2027, 2, 10), "completed", "impact_evidenced")
    Evidence.objects.create(
        action=a["A2"],
        kind=EvidenceKind.IMPACT,
        impact_type=ImpactType.PRACTITIONER_SURVEY,
        text="Survey of practitioners.",
    )
    a["B1"] = make_action(recommendation=w.recs["B"], reference="WIR-B1", due_date=date(2027, 2, 1))
    complete(a["B1"], qa, date(2027, 1, 15), "completed", "impact_evidenced", "embedded")
    a["D1"] = make_action(recommendation=w.recs["D"], reference="WIR-D1", due_date=date(2027, 2, 1))
    a["D2"] = make_action(
        recommendation=w.recs["D"],
        reference="WIR-D2",
        due_date=date(2027, 1, 1),
        agency=("Wirral", "NHS trust"),
    )
    complete(a["D2"], qa, date(2027, 1, 10), "completed")
    a["E1"] = make_action(
        recommendation=w.recs["E"],
        reference="WIR-E1",
        due_date=date(2027, 3, 10),
        state=ActionState.IN_PROGRESS,
        sharing_level="restricted",
        lead=people["agencylead"],
    )
    a["F1"] = make_action(reference="WIR-F1", source="audit", due_date=date(2027, 6, 1))
    a["F1"].themes.add(neglect)
    a["L1"] = make_action(
        recommendation=w.recs["L"],
        reference="LIV-L1",
        agency=("Liverpool", "Police"),
        sharing_level="restricted",
        due_date=date(2027, 2, 1),
    )
    a["L2"] = make_action(
        recommendation=w.recs["L"], reference="LIV-L2", agency=("Liverpool", "CSC")
    )
    return w
