"""Challenge and support events: quality assurance records one for several agencies' returns,
a challenge made there names it, and only the people who run the challenge see the notes."""

from datetime import date

import pytest

from audits import cycles, events
from audits.cycles import AuditError
from audits.models import Assessment

from .conftest import submitted

pytestmark = pytest.mark.django_db


def test_one_event_covers_several_agencies_and_a_challenge_names_it(
    client, people, cycle, police_return, health_return
):
    submitted(police_return, people["agencylead"])
    client.force_login(people["qa"])
    response = client.post(
        f"/self-assessment/cycles/{cycle.reference}/events/",
        {
            "event-title": "Challenge and support: police and health",
            "event-held_on_day": "12",
            "event-held_on_month": "2",
            "event-held_on_year": "2027",
            "event-returns": [police_return.pk, health_return.pk],
            "event-notes": "Fictional: supervision records to be sampled.",
        },
    )
    assert response.status_code == 302
    event = cycle.events.get()
    assert event.held_on == date(2027, 2, 12)
    assert set(event.returns.all()) == {police_return, health_return}
    assessment = police_return.assessments.get(standard__code="1")
    page = client.get(f"/self-assessment/assessments/{assessment.pk}/").content.decode()
    assert "Made at a challenge and support event" in page
    client.post(
        f"/self-assessment/assessments/{assessment.pk}/challenge/",
        {"challenge-text": "Show the supervision audit.", "challenge-event": event.pk},
    )
    assert Assessment.objects.get(pk=assessment.pk).challenge_event == event
    # The lead sees where the challenge was made, and the event on the return; the cycle's
    # page offers the practitioner neither the events nor their notes.
    client.force_login(people["agencylead"])
    page = client.get(f"/self-assessment/assessments/{assessment.pk}/").content.decode()
    assert "at Challenge and support: police and health" in page
    assert (
        "supervision records to be sampled"
        in client.get(f"/self-assessment/returns/{police_return.pk}/").content.decode()
    )
    client.force_login(people["practitioner"])
    cycle_page = client.get(f"/self-assessment/cycles/{cycle.reference}/").content.decode()
    assert "Challenge and support events" not in cycle_page
    assert client.get(f"/self-assessment/cycles/{cycle.reference}/events/").status_code == 403


def test_a_refused_event_says_why_and_keeps_what_was_typed(client, people, cycle):
    client.force_login(people["qa"])
    response = client.post(
        f"/self-assessment/cycles/{cycle.reference}/events/",
        {
            "event-title": "Schools panel",
            "event-held_on_day": "31",
            "event-held_on_month": "2",
            "event-held_on_year": "2027",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the agencies the event covered" in body and 'value="Schools panel"' in body
    assert not cycle.events.exists()


def test_only_quality_assurance_records_events_and_only_for_its_returns(
    people, cycle, police_return, standard_set, agencies
):
    for name in ("agencylead", "manager", "liverpool.manager"):
        with pytest.raises(AuditError):
            events.record_event(
                cycle, people[name], title="X", held_on=date(2027, 2, 1), returns=[police_return]
            )
    other = cycles.open_cycle(
        standard_set, people["qa"], title="Another", due_date=cycle.due_date, agencies=agencies
    )
    with pytest.raises(AuditError, match="belong to the cycle"):
        events.record_event(
            cycle, people["qa"], title="X", held_on=date(2027, 2, 1), returns=other.returns.all()
        )
    event = events.record_event(
        cycle, people["qa"], title="Police only", held_on=date(2027, 2, 1), returns=[police_return]
    )
    health = cycle.returns.get(agency__short_name="NHS trust")
    submitted(health, people["healthlead"])
    with pytest.raises(AuditError, match="did not cover"):
        cycles.challenge(health.assessments.first(), people["qa"], text="Why?", event=event)
