"""Who may see an action: the access policy's rule for actions, every role against every level."""

import pytest

from learning.models import Action
from partnership.access import (
    SharingLevel,
    access_tokens,
    audience_tokens,
    can_view,
    visible_to,
)

# Wirral's police own the action; `agencylead` is a Wirral police agency lead, `healthlead` a
# Wirral NHS trust agency lead, `qa` Wirral's quality assurance, `manager` Wirral's manager.
EXPECTED = {
    # person: (restricted, partnership, regional, public)
    "agencylead": (True, True, True, True),
    "healthlead": (False, True, True, True),
    "qa": (True, True, True, True),
    "manager": (True, True, True, True),
    "reviewer": (False, True, True, True),
    "practitioner": (False, True, True, True),
    "scrutineer": (False, True, True, True),
    "liverpool.practitioner": (False, False, True, True),
    "liverpool.manager": (False, False, True, True),
}
LEVELS = [
    SharingLevel.RESTRICTED,
    SharingLevel.PARTNERSHIP,
    SharingLevel.REGIONAL,
    SharingLevel.PUBLIC,
]


@pytest.mark.parametrize("username", sorted(EXPECTED))
@pytest.mark.parametrize("level", LEVELS)
def test_who_sees_an_action_of_wirral_police(make_action, people, username, level):
    action = make_action(agency=("Wirral", "Police"), sharing_level=level)
    user = people[username]
    sees = EXPECTED[username][LEVELS.index(level)]
    assert can_view(user, action) is sees
    assert (action in visible_to(user, Action.objects.all())) is sees
    # The search index's tokens: the agency leads' and overseers' ways in, as the policy says.
    assert bool(set(access_tokens(action)) & audience_tokens(user)) is sees


def test_the_named_lead_sees_a_restricted_action_of_another_agency(make_action, people):
    action = make_action(
        agency=("Wirral", "Housing"),
        sharing_level=SharingLevel.RESTRICTED,
        lead=people["healthlead"],
    )
    assert can_view(people["healthlead"], action)
    assert not can_view(people["agencylead"], action)
    assert set(access_tokens(action)) & audience_tokens(people["healthlead"])
    assert not set(access_tokens(action)) & audience_tokens(people["agencylead"])


def test_quality_assurance_of_another_partnership_does_not_oversee_it(make_action, liverpool_qa):
    action = make_action(sharing_level=SharingLevel.RESTRICTED)
    assert not can_view(liverpool_qa, action)
    assert not set(access_tokens(action)) & audience_tokens(liverpool_qa)
