"""Who may read a learning briefing, role by role and level by level, in the style of
tests/partnership/test_access_matrix.py: the expected answers are written out from DESIGN.md
("Who may see what") and the briefing's rule, never read from the policy.

A restricted briefing is for the people named on it (its author, the page's `owner`, and the
panels of the reviews it comes from, who wrote the learning) and for the owning partnership's
managers and quality assurance team (who follow the learning to embedded practice and count its
reach). Every case checks that `can_view`, `visible_to` and the page itself agree."""

import pytest
from django.test import Client

from learning.models import LearningBriefing
from partnership.access import SharingLevel, can_view, visible_to
from partnership.models import Region, Role
from tests.access_people import partnership_in, subject_person

from .library_world import briefing, library, review

LEVELS = [
    SharingLevel.RESTRICTED,
    SharingLevel.PARTNERSHIP,
    SharingLevel.REGIONAL,
    SharingLevel.PUBLIC,
]
RELATIONS = ["own", "same_region", "other_region"]
NAMED = ["author", "panel"]

# A member of a partnership, by where the briefing's owner stands (restricted, partnership,
# regional, public).
MEMBER_SEES = {
    "own": (False, True, True, True),
    "same_region": (False, False, True, True),
    "other_region": (False, False, False, True),
}
OVERSEER_SEES = {**MEMBER_SEES, "own": (True, True, True, True)}
OVERSEERS = {Role.PARTNERSHIP_MANAGER, Role.QUALITY_ASSURANCE}
OUTSIDERS = ("anonymous", "no_membership")
SUBJECTS = [role.value for role in Role] + [*OUTSIDERS, "superuser"]


def expected(subject, relation, level, named) -> bool:
    column = LEVELS.index(level)
    if subject == "superuser":
        return True
    if subject in OUTSIDERS:
        return level == SharingLevel.PUBLIC
    if named:
        return True
    table = OVERSEER_SEES if subject in OVERSEERS else MEMBER_SEES
    return table[relation][column]


@pytest.fixture
def places(db):
    north = Region.objects.create(name="North Test Region", slug="north-test")
    south = Region.objects.create(name="South Test Region", slug="south-test")
    return {
        "own": partnership_in(north, "Home"),
        "same_region": partnership_in(north, "Neighbour"),
        "other_region": partnership_in(south, "Away"),
    }


def _shelf(places, person):
    """A briefing for every relation and level, and, restricted and partnership-level, one
    naming the person as author and one drawn from a review on whose panel they sit (the
    restricted level is where being named matters; the policy adds names to every level)."""
    libraries = {relation: library(p, slug=f"lib-{relation}") for relation, p in places.items()}
    cases = {}
    for relation, partnership in places.items():
        for level in LEVELS:
            cases[(relation, level, None)] = briefing(libraries[relation], partnership, level)
        named_user = person if person.is_authenticated else None
        for level in LEVELS[:1]:
            for how in NAMED:
                page = briefing(libraries[relation], partnership, level)
                if named_user is not None and how == "author":
                    page.owner = named_user
                    page.save()
                elif named_user is not None:
                    source = review(partnership, SharingLevel.RESTRICTED)
                    source.panel.set([named_user])
                    source.save()
                    page.source_reviews.set([source])
                    page.save()
                cases[(relation, level, how if named_user else None)] = page
    return cases


@pytest.mark.parametrize("subject", SUBJECTS)
def test_briefing_access_matrix(places, subject):
    person = subject_person(subject, places["own"])
    cases = _shelf(places, person)
    visible = set(visible_to(person, LearningBriefing.objects.all()).values_list("pk", flat=True))
    client = Client()
    if person.is_authenticated:
        client.force_login(person)

    for (relation, level, named), page in cases.items():
        want = expected(subject, relation, level, named)
        case = f"{subject} {relation} {level} {named or 'not named'}"
        assert (page.pk in visible) is want, case
        assert can_view(person, LearningBriefing.objects.get(pk=page.pk)) is want, case
    # The page agrees with the policy (one case each way is enough: serve() asks can_view).
    for (relation, level, named), page in list(cases.items())[:4]:
        status = client.get(page.url).status_code
        assert (status == 200) is expected(subject, relation, level, named), (relation, level)
