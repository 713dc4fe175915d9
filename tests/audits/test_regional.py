"""The region compares partnerships on the same standards only where each shares its figures:
counts per standard, never a return, an agency's name or a narrative."""

import pytest

from audits import cycles, regional
from audits.cycles import AuditError
from audits.standards import adopt
from partnership.access import SharingLevel

from .conftest import agency_lead_of, open_cycle, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_set(standard_set):
    standard_set.sharing_level = SharingLevel.REGIONAL
    standard_set.save()
    return standard_set


@pytest.fixture
def both(shared_set, people, agencies, world):
    """Wirral's cycle with Police 3,3,1 and the NHS trust 4,2,3; Liverpool's on its adopted
    copy with its Police at 1,1,1."""
    wirral = open_cycle(shared_set, people, agencies)
    submitted(wirral.returns.get(agency=agencies[0]), people["agencylead"], (3, 3, 1))
    submitted(wirral.returns.get(agency=agencies[1]), people["healthlead"], (4, 2, 3))
    copy = adopt(shared_set, people["liverpool.manager"])
    liverpool_police = world.agencies[("Liverpool", "Police")]
    liverpool = cycles.open_cycle(
        copy,
        people["liverpool.manager"],
        title="Liverpool Section 11",
        due_date=wirral.due_date,
        agencies=[liverpool_police],
    )
    lead = agency_lead_of(world, "Liverpool", "Police", "liverpool.police.lead")
    submitted(liverpool.returns.get(), lead, (1, 1, 1))
    return wirral, liverpool


def _page(client, person, standard_set):
    client.force_login(person)
    return client.get(f"/self-assessment/regional/{standard_set.pk}/").content.decode()


def test_only_cycles_whose_partnership_shares_are_compared(client, people, both, shared_set):
    wirral, liverpool = both
    page = _page(client, people["liverpool.manager"], shared_set)
    assert "No partnership you can see shares" in page
    regional.share_figures(wirral, people["qa"], True)
    comparison = regional.compare(shared_set, people["liverpool.manager"])
    assert [c.cycle for c in comparison.columns] == [wirral]
    regional.share_figures(liverpool, people["liverpool.manager"], True)
    comparison = regional.compare(shared_set, people["qa"])
    by_name = {c.cycle.partnership.short_name: c for c in comparison.columns}
    assert [by_name["Wirral"].share(code) for code in "123"] == [100, 50, 50]
    assert [by_name["Liverpool"].share(code) for code in "123"] == [0, 0, 0]
    page = _page(client, people["liverpool.manager"], shared_set)
    assert "100%" in page and "50%" in page
    # Counts only: no agency, narrative or return of another partnership leaves it.
    assert "Merseyside Police" not in page and "Shown by audit" not in page
    assert "/self-assessment/returns/" not in page


def test_only_the_partnerships_managers_and_qa_share_its_figures(client, people, both):
    wirral, _ = both
    for name in ("agencylead", "practitioner", "liverpool.manager"):
        with pytest.raises(AuditError):
            regional.share_figures(wirral, people[name], True)
        client.force_login(people[name])
        response = client.post(
            f"/self-assessment/cycles/{wirral.reference}/share/", {"shared": "1"}
        )
        assert response.status_code in (403, 404), name
    wirral.refresh_from_db()
    assert wirral.sharing_level == SharingLevel.PARTNERSHIP
    client.force_login(people["qa"])
    client.post(f"/self-assessment/cycles/{wirral.reference}/share/", {"shared": "1"})
    wirral.refresh_from_db()
    assert wirral.sharing_level == SharingLevel.REGIONAL
    # Sharing the figures shares no return: Liverpool still cannot open Wirral's.
    client.force_login(people["liverpool.manager"])
    police_return = wirral.returns.first()
    assert client.get(f"/self-assessment/returns/{police_return.pk}/").status_code == 404
