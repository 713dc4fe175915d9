"""The access policy against the design's rules ("Who may see what"), case by case.

The expected answers come from the explicit tables below, written from DESIGN.md, never from the
policy itself. Every case also checks that `can_view` and `visible_to` agree, and that the
many-to-many paths (participating partnerships, named people) never duplicate rows.
"""

import pytest

from partnership.access import (
    SharingLevel,
    access_tokens,
    audience_tokens,
    audience_tokens_for_partnership,
    can_view,
    visible_to,
    visible_to_partnership,
)
from partnership.models import Region, Role
from tests.access_people import partnership_in, person, subject_person
from tests.accessapp.models import Record

LEVELS = [
    SharingLevel.RESTRICTED,
    SharingLevel.PARTNERSHIP,
    SharingLevel.REGIONAL,
    SharingLevel.PUBLIC,
]

# Where the record's owner stands from the point of view of the person looking at it.
RELATIONS = [
    "own",  # owned by the person's partnership
    "same_region",  # owned by another partnership of the person's region
    "other_region",  # owned by a partnership of another region
    "participating",  # owned in the region; the person's partnership takes part
    "participating_other_region",  # a cross-boundary review led from another region
]

# What a signed-in, active member of a partnership sees, by relation, at each level
# (restricted, partnership, regional, public).
MEMBER_SEES = {
    "own": (False, True, True, True),
    "same_region": (False, False, True, True),
    "other_region": (False, False, False, True),
    "participating": (False, True, True, True),
    # Regional is wider than partnership: widening a record never hides it from a partnership
    # that takes part, even one outside the owner's region.
    "participating_other_region": (False, True, True, True),
}
# A partnership manager also sees everything their own partnership owns, restricted included;
# restricted records of partnerships they only take part in stay with the named people.
MANAGER_SEES = {**MEMBER_SEES, "own": (True, True, True, True)}
# The people named on a record see it at every level.
NAMED_SEES = (True, True, True, True)
PUBLIC_ONLY = (False, False, False, True)
EVERYTHING = (True, True, True, True)

# Those outside the partnerships: anonymous visitors, signed-in people with no membership (even if
# named: leaving the partnership ends access), deactivated accounts (even managers, even named).
OUTSIDERS = ("anonymous", "no_membership", "inactive_manager", "inactive_superuser")
SUBJECTS = [role.value for role in Role] + [*OUTSIDERS, "superuser"]


def expected(subject: str, relation: str, level: SharingLevel, named: bool) -> bool:
    column = LEVELS.index(level)
    if subject == "superuser":
        return EVERYTHING[column]
    if subject in OUTSIDERS:
        return PUBLIC_ONLY[column]
    if named:
        return NAMED_SEES[column]
    if subject == Role.PARTNERSHIP_MANAGER:
        return MANAGER_SEES[relation][column]
    return MEMBER_SEES[relation][column]


CASES = [
    pytest.param(subject, relation, level, named, id=f"{subject}-{relation}-{level}-{named_id}")
    for subject in SUBJECTS
    for relation in RELATIONS
    for level in LEVELS
    for named, named_id in ((False, "not-named"), (True, "named"))
    # Nobody can name an anonymous visitor on a record.
    if not (subject == "anonymous" and named)
]


@pytest.fixture
def places(db):
    """Two regions: the person's partnership (Home) with a neighbour, and two partnerships away."""
    north = Region.objects.create(name="North Test Region", slug="north-test")
    south = Region.objects.create(name="South Test Region", slug="south-test")
    return {
        "home": partnership_in(north, "Home"),
        "neighbour": partnership_in(north, "Neighbour"),
        "away": partnership_in(south, "Away"),
        "faraway": partnership_in(south, "Faraway"),
    }


def _record(places, relation, level, named_person, bystanders):
    owner, taking_part = {
        "own": ("home", []),
        "same_region": ("neighbour", []),
        "other_region": ("away", []),
        "participating": ("neighbour", ["home"]),
        "participating_other_region": ("away", ["home"]),
    }[relation]
    record = Record.objects.create(
        title=f"{relation} {level}", partnership=places[owner], sharing_level=level
    )
    # Other partnerships and people on every record, so that a join on either many-to-many path
    # would show up as duplicate rows.
    others = [p for key, p in places.items() if key not in ("home", owner)]
    record.participating_partnerships.set([places[key] for key in taking_part] + others)
    record.named_people.set(bystanders + ([named_person] if named_person else []))
    return record


@pytest.mark.parametrize(("subject", "relation", "level", "named"), CASES)
def test_access_matrix(places, subject, relation, level, named):
    user = subject_person(subject, places["home"])
    bystanders = [person("bystander-1", places["away"]), person("bystander-2", places["home"])]
    record = _record(places, relation, level, user if named else None, bystanders)
    # A second record nobody but the system administrators may see, so that the list is a real
    # filter and not just "everything".
    Record.objects.create(
        title="elsewhere", partnership=places["faraway"], sharing_level=SharingLevel.RESTRICTED
    )

    visible = list(visible_to(user, Record.objects.all()).values_list("pk", flat=True))

    assert len(visible) == len(set(visible)), "visible_to duplicated rows"
    want = expected(subject, relation, level, named)
    assert (record.pk in visible) is want
    assert can_view(user, Record.objects.get(pk=record.pk)) is want
    # The search index's form of the same policy: a record's tokens meet the reader's.
    assert bool(set(access_tokens(record)) & audience_tokens(user)) is want


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("reader", ["home", "none"])
def test_partnership_tokens_match_visible_to_partnership(places, relation, level, reader):
    """A partner system's API token reads as its partnership: tokens agree with
    `visible_to_partnership` for every relation and level."""
    bystander = person("bystander", places["home"])
    record = _record(places, relation, level, None, [bystander])
    partnership = places["home"] if reader == "home" else None
    shown = visible_to_partnership(partnership, Record.objects.filter(pk=record.pk)).exists()
    tokens = audience_tokens_for_partnership(partnership)
    assert bool(set(access_tokens(record)) & tokens) is shown


def test_visible_to_never_duplicates_rows_on_many_to_many_paths(places):
    """A member named several ways on a record with many participating partnerships."""
    manager = person("manager", places["home"], [Role.PARTNERSHIP_MANAGER])
    people = [manager] + [person(f"panel-{i}", places["away"]) for i in range(3)]
    for level in LEVELS:
        record = Record.objects.create(
            title=str(level), partnership=places["home"], sharing_level=level
        )
        record.participating_partnerships.set(places.values())
        record.named_people.set(people)

    for user in (manager, people[1]):
        rows = visible_to(user, Record.objects.all())
        assert rows.count() == len(LEVELS)
        assert len(list(rows)) == len(LEVELS)


def test_the_matrix_covers_every_role_and_case():
    """The truth tables above speak for every role the Hub has; a new role needs a decision."""
    assert {s for s in SUBJECTS if s in set(Role)} == set(Role)
    assert len(CASES) == len(SUBJECTS) * len(RELATIONS) * len(LEVELS) * 2 - len(RELATIONS) * len(
        LEVELS
    )
