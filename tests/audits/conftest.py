"""The self-assessment world of the audits tests: Wirral's standards set of three standards and a
cycle asking Police and the NHS trust for a return, opened by quality assurance through the
service people use."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from audits import case_audits, cycles
from audits.models import RatingScale, SetKind, Standard, StandardSet
from partnership.models import Membership, Role, Theme
from tests.access_people import person

STANDARDS = [
    ("1", "Senior leaders are committed to safeguarding."),
    ("2", "Staff are trained at the level their role needs."),
    ("3", "Records are kept and shared as procedures ask."),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_set(partnership, name="Section 11 standards", version=1, standards=STANDARDS, **fields):
    standard_set = StandardSet.objects.create(
        partnership=partnership,
        name=name,
        version=version,
        kind=fields.pop("kind", SetKind.SECTION_11),
        scale=fields.pop("scale", RatingScale.FOUR_POINT),
        **fields,
    )
    for position, (code, text) in enumerate(standards):
        Standard.objects.create(
            standard_set=standard_set, sort_order=position, code=code, text=text
        )
    return standard_set


@pytest.fixture
def standard_set(wirral):
    return make_set(wirral)


@pytest.fixture
def agencies(world):
    return [world.agencies[("Wirral", "Police")], world.agencies[("Wirral", "NHS trust")]]


def open_cycle(standard_set, people, agencies, title="Section 11 2027", days=30):
    return cycles.open_cycle(
        standard_set,
        people["qa"],
        title=title,
        due_date=timezone.localdate() + timedelta(days=days),
        agencies=agencies,
    )


@pytest.fixture
def cycle(standard_set, people, agencies):
    return open_cycle(standard_set, people, agencies)


@pytest.fixture
def police_return(cycle, world):
    return cycle.returns.get(agency=world.agencies[("Wirral", "Police")])


@pytest.fixture
def health_return(cycle, world):
    return cycle.returns.get(agency=world.agencies[("Wirral", "NHS trust")])


def fresh(user):
    """The person as a new request would load them: no role or membership cached."""
    return get_user_model().objects.get(pk=user.pk)


def rate_all(agency_return, lead, ratings):
    for assessment, rating in zip(
        agency_return.assessments.order_by("standard__sort_order"), ratings, strict=True
    ):
        cycles.save_assessment(
            assessment, lead, rating=rating, narrative=f"Shown by audit {rating}", improvement=""
        )


def submitted(agency_return, lead, ratings=(3, 3, 3)):
    rate_all(agency_return, lead, ratings)
    return cycles.submit(agency_return, lead, signed_by_name="Dr A Example", signed_by_role="CEO")


def agency_lead_of(world, partnership, short, username):
    """Another agency lead, for an agency the demo people do not lead."""
    user = person(username, roles=[Role.AGENCY_LEAD])
    Membership.objects.create(
        user=user,
        partnership=world.partnerships[partnership],
        agency=world.agencies[(partnership, short)],
    )
    return fresh(user)


def graded_case(people, partnership):
    """A case audit of the partnership's Police and NHS trust, grading, with one case."""
    theme, _ = Theme.objects.get_or_create(slug="neglect", defaults={"name": "Neglect"})
    audit = case_audits.plan_audit(
        people["qa"],
        partnership,
        title="Neglect: children on child in need plans",
        theme=theme,
        quarter=date(2027, 5, 12),
        questions="Was the child seen and heard?",
        agencies=partnership.agencies.filter(short_name__in=["Police", "NHS trust"]),
    )
    case = case_audits.add_case(
        audit, people["qa"], identifier="Case A", level_of_need=3, age_band="5_10"
    )
    case_audits.start_grading(audit, people["qa"])
    return case
