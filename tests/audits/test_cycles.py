"""The rules of a self-assessment cycle, through the services every page calls: who may rate,
submit, challenge, answer and agree; what carrying a return forward keeps; and the one action an
agreed red or amber rating makes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audits import cycles
from audits.models import Assessment, AssessmentEvent, RatingScale, ReturnState
from learning.models import Action, ActionSource, ActionState

from .conftest import agency_lead_of, fresh, make_set, open_cycle, rate_all, submitted

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + timedelta(days=90)


def _first(agency_return, code="1"):
    return agency_return.assessments.get(standard__code=code)


def test_opening_asks_each_agency_for_one_assessment_per_standard(cycle):
    assert cycle.returns.count() == 2
    assert Assessment.objects.filter(agency_return__cycle=cycle).count() == 6
    assert set(cycle.returns.values_list("state", flat=True)) == {ReturnState.NOT_STARTED}
    assert cycle.reference == f"WIR-S11-{cycle.due_date.year}"


@pytest.mark.parametrize("who", ["agencylead", "practitioner", "reviewer", "liverpool.manager"])
def test_only_managers_and_quality_assurance_open_a_cycle(standard_set, people, agencies, who):
    with pytest.raises(cycles.AuditError):
        open_cycle(standard_set, {"qa": people[who]}, agencies)


def test_a_cycle_asks_only_its_own_partnerships_agencies(standard_set, people, world):
    with pytest.raises(cycles.AuditError, match="belong to the partnership"):
        open_cycle(standard_set, people, [world.agencies[("Liverpool", "Police")]])


def test_the_agencys_own_lead_rates_and_nobody_else(police_return, people, world):
    assessment = _first(police_return)
    health = people["healthlead"]  # an agency lead, of another agency
    for outsider in (health, people["qa"], people["manager"], people["practitioner"]):
        with pytest.raises(cycles.AuditError):
            cycles.save_assessment(
                assessment, fresh(outsider), rating=3, narrative="", improvement=""
            )
    cycles.save_assessment(
        assessment, people["agencylead"], rating=2, narrative="Policy", improvement="Train"
    )
    assessment.refresh_from_db()
    police_return.refresh_from_db()
    assert (assessment.rating, assessment.narrative, assessment.improvement) == (
        2,
        "Policy",
        "Train",
    )
    assert police_return.state == ReturnState.IN_PROGRESS
    assert assessment.events.get().kind == AssessmentEvent.Kind.RATED


def test_a_rating_off_the_sets_scale_is_refused(police_return, people):
    with pytest.raises(cycles.AuditError, match="ratings"):
        cycles.save_assessment(
            _first(police_return), people["agencylead"], rating=5, narrative="", improvement=""
        )


def test_submitting_needs_every_standard_rated_and_a_signing_officer(police_return, people):
    lead = people["agencylead"]
    cycles.save_assessment(_first(police_return), lead, rating=3, narrative="", improvement="")
    with pytest.raises(cycles.AuditError, match="2 are not rated"):
        cycles.submit(police_return, lead, signed_by_name="Dr A", signed_by_role="")
    rate_all(police_return, lead, (3, 3, 3))
    with pytest.raises(cycles.AuditError, match="senior officer"):
        cycles.submit(police_return, lead, signed_by_name="  ", signed_by_role="")
    cycles.submit(police_return, lead, signed_by_name="Dr A Example", signed_by_role="CEO")
    police_return.refresh_from_db()
    assert police_return.state == ReturnState.SUBMITTED
    assert (police_return.submitted_by, police_return.signed_by_name) == (lead, "Dr A Example")
    with pytest.raises(cycles.AuditError, match="submitted"):
        cycles.save_assessment(_first(police_return), lead, rating=1, narrative="", improvement="")


def test_nothing_is_challenged_or_agreed_before_submission(police_return, people):
    with pytest.raises(cycles.AuditError, match="submitted"):
        cycles.challenge(_first(police_return), people["qa"], text="Why?")
    with pytest.raises(cycles.AuditError, match="submitted"):
        cycles.agree(_first(police_return), people["qa"], rating=3)


def test_quality_assurance_challenges_the_agency_answers_quality_assurance_agrees(
    police_return, people
):
    submitted(police_return, people["agencylead"])
    assessment = _first(police_return)
    for outsider in ("agencylead", "manager", "healthlead", "scrutineer"):
        with pytest.raises(cycles.AuditError):
            cycles.challenge(assessment, fresh(people[outsider]), text="Why met?")
    cycles.challenge(assessment, people["qa"], text="Supervision lapsed: why met?")
    assert Assessment.objects.get(pk=assessment.pk).status == "challenged"
    with pytest.raises(cycles.AuditError):
        cycles.respond(assessment, people["healthlead"], text="Not ours", rating=None)
    cycles.respond(assessment, people["agencylead"], text="Fair: partially met.", rating=2)
    answered = Assessment.objects.get(pk=assessment.pk)
    assert (answered.status, answered.response_rating) == ("answered", 2)
    with pytest.raises(cycles.AuditError):
        cycles.agree(assessment, people["agencylead"], rating=2, due_date=LATER)
    cycles.agree(assessment, people["qa"], rating=2, due_date=LATER)
    agreed = Assessment.objects.get(pk=assessment.pk)
    assert (agreed.agreed_rating, agreed.agreed_by, agreed.status) == (2, people["qa"], "agreed")
    assert agreed.agreed_at is not None
    kinds = list(agreed.events.values_list("kind", flat=True))
    assert kinds == ["rated", "challenged", "answered", "agreed"]
    # The agency's own rating and its words stay beside the agreed one.
    assert (agreed.rating, agreed.challenge) == (3, "Supervision lapsed: why met?")


def test_an_agreed_red_creates_exactly_one_action_owned_by_the_agency(police_return, people):
    submitted(police_return, people["agencylead"], ratings=(1, 3, 3))
    red = _first(police_return)
    with pytest.raises(cycles.AuditError, match="due"):
        cycles.agree(red, people["qa"], rating=1)
    assert not Action.objects.exists()
    cycles.agree(red, people["qa"], rating=1, due_date=LATER)
    with pytest.raises(cycles.AuditError, match="already agreed"):
        cycles.agree(red, people["qa"], rating=1, due_date=LATER)
    action = Action.objects.get()
    assert Assessment.objects.get(pk=red.pk).action == action
    assert action.source == ActionSource.AUDIT
    assert action.owner_agency_id == police_return.agency_id
    assert (action.due_date, action.state) == (LATER, ActionState.OPEN)
    assert action.partnership_id == police_return.cycle.partnership_id
    assert action.events.get().kind == "created"


def test_green_ratings_make_no_action_and_the_last_agreement_closes_the_return(
    police_return, people
):
    submitted(police_return, people["agencylead"], ratings=(3, 4, 3))
    for assessment in police_return.assessments.all():
        cycles.agree(assessment, people["qa"], rating=assessment.rating)
    police_return.refresh_from_db()
    assert police_return.state == ReturnState.AGREED and police_return.agreed_at
    assert not Action.objects.exists()


def test_carrying_forward_keeps_every_answer_and_changes_nothing_of_last_year(
    cycle, standard_set, police_return, people, agencies, wirral
):
    submitted(police_return, people["agencylead"], ratings=(2, 3, 4))
    before = list(
        police_return.assessments.order_by("pk").values("rating", "narrative", "improvement")
    )
    # This year's version: standard 3 is gone, 4 is new, 1 and 2 keep their codes.
    second = make_set(
        wirral,
        version=2,
        standards=[("1", "Leaders"), ("2", "Training reworded"), ("4", "Learning from reviews")],
    )
    next_cycle = open_cycle(second, people, agencies, title="Section 11 2028", days=400)
    assert next_cycle.previous == cycle
    carried = {
        a.standard.code: a
        for a in next_cycle.returns.get(agency=police_return.agency).assessments.all()
    }
    assert (carried["1"].rating, carried["1"].narrative) == (2, "Shown by audit 2")
    assert carried["2"].rating == 3 and carried["2"].carried_forward
    assert carried["4"].rating is None and not carried["4"].carried_forward
    assert next_cycle.returns.get(agency=police_return.agency).state == ReturnState.NOT_STARTED
    after = list(
        police_return.assessments.order_by("pk").values("rating", "narrative", "improvement")
    )
    assert after == before


def test_a_new_scale_carries_the_words_but_not_a_number_it_lacks(
    police_return, people, agencies, wirral
):
    submitted(police_return, people["agencylead"], ratings=(4, 3, 1))
    second = make_set(wirral, version=2, scale=RatingScale.RAG)
    next_cycle = open_cycle(second, people, agencies, title="Section 11 2028", days=400)
    carried = next_cycle.returns.get(agency=police_return.agency).assessments
    assert carried.get(standard__code="1").rating is None  # 4 is not on red, amber, green
    assert carried.get(standard__code="1").narrative == "Shown by audit 4"
    assert carried.get(standard__code="3").rating == 1


def test_the_same_shortfall_next_year_links_the_open_action_instead_of_a_second(
    police_return, people, agencies, wirral
):
    submitted(police_return, people["agencylead"], ratings=(2, 3, 3))
    cycles.agree(_first(police_return), people["qa"], rating=2, due_date=LATER)
    action = Action.objects.get()
    next_cycle = open_cycle(make_set(wirral, version=2), people, agencies, "S11 2028", days=400)
    again = next_cycle.returns.get(agency=police_return.agency)
    submitted(again, people["agencylead"], ratings=(2, 3, 3))
    cycles.agree(_first(again), people["qa"], rating=2, due_date=LATER)
    assert Action.objects.count() == 1
    assert _first(again).action == action


def test_an_agency_lead_of_another_partnership_cannot_touch_the_return(police_return, world):
    outsider = agency_lead_of(world, "Liverpool", "Police", "liverpool.police.lead")
    with pytest.raises(cycles.AuditError):
        cycles.save_assessment(
            _first(police_return), outsider, rating=3, narrative="", improvement=""
        )


def test_what_waits_for_whom(police_return, health_return, people):
    assert set(cycles.awaiting_me(people["agencylead"])) == {police_return}
    assert not cycles.awaiting_me(people["qa"]).exists()
    submitted(health_return, people["healthlead"])
    assert set(cycles.awaiting_me(people["qa"])) == {health_return}
    assert not cycles.awaiting_me(people["practitioner"]).exists()
