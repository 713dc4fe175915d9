import itertools
from datetime import date, timedelta

import pytest

from learning.models import Action
from partnership.access import SharingLevel

_numbers = itertools.count(1)

# A Wednesday, so that a test about reminders says when it wants the Monday digest.
TODAY = date(2027, 3, 10)


@pytest.fixture
def make_action(world):
    """A fictional open action of Wirral Police, due `days` from TODAY, with no named lead."""

    def make(days=0, agency=("Wirral", "Police"), today=TODAY, **fields):
        n = next(_numbers)
        owner = world.agencies[agency]
        fields.setdefault("reference", f"ACT-{n:05d}")
        fields.setdefault("description", f"Deliver the refreshed neglect toolkit briefing {n}.")
        fields.setdefault("sharing_level", SharingLevel.PARTNERSHIP)
        return Action.objects.create(
            partnership=owner.partnership,
            owner_agency=owner,
            due_date=today + timedelta(days=days),
            **fields,
        )

    return make
