"""The rules of an action's lifecycle, tested on the services directly (learning/actions.py)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from learning import actions as services
from learning.actions import ActionPermissionError, ActionStateError
from learning.models import (
    RAG,
    Action,
    ActionEvent,
    ActionState,
    Evidence,
    EvidenceKind,
    ExtensionDecision,
    ImpactType,
)
from partnership.access import SharingLevel

from .actions_world import make_action

S = ActionState


@pytest.fixture
def action(world):
    return make_action(world, "WIR-ACT-LIFE")


def _with_both_kinds_of_evidence(action):
    Evidence.objects.create(action=action, kind=EvidenceKind.COMPLETION, text="Briefed.")
    Evidence.objects.create(
        action=action,
        kind=EvidenceKind.IMPACT,
        impact_type=ImpactType.RE_AUDIT,
        text="Re-audit: 9 of 10 records now note who lives in the home.",
    )


# Each service, the state it moves to, and who does it.
LOG_NAMES = {
    "start": "hub.action.started",
    "complete": "hub.action.completed",
    "evidence_impact": "hub.action.impact_evidenced",
    "embed": "hub.action.embedded",
    "close_not_achieved": "hub.action.not_achieved",
}
MOVES = [
    ("start", S.IN_PROGRESS, "agencylead"),
    ("complete", S.COMPLETED, "agencylead"),
    ("evidence_impact", S.IMPACT_EVIDENCED, "agencylead"),
    ("embed", S.EMBEDDED, "qa"),
    ("close_not_achieved", S.NOT_ACHIEVED, "qa"),
]


def _call(verb, action, user):
    if verb == "close_not_achieved":
        return services.close_not_achieved(action, user, "The service was decommissioned.")
    return getattr(services, verb)(action, user)


@pytest.mark.parametrize("from_state", list(S))
@pytest.mark.parametrize(("verb", "to_state", "who"), MOVES)
def test_every_state_change_follows_the_table(world, people, from_state, verb, to_state, who):
    """With all the evidence in place, only the table decides; every other change is refused."""
    action = make_action(world, state=from_state)
    _with_both_kinds_of_evidence(action)
    allowed = to_state in services.TRANSITIONS[from_state]
    if allowed:
        _call(verb, action, people[who])
        assert action.state == to_state  # the caller's instance is refreshed
        event = action.events.get(kind=ActionEvent.Kind.STATE_CHANGED)
        assert (event.from_state, event.to_state, event.user) == (
            from_state,
            to_state,
            people[who],
        )
        entry = ModelLogEntry.objects.get(object_id=str(action.pk))
        assert entry.action == LOG_NAMES[verb]
        assert entry.data["from_state"] == from_state and entry.data["to_state"] == to_state
    else:
        with pytest.raises(ActionStateError) as refused:
            _call(verb, action, people[who])
        assert refused.value.message[0].isupper()
        action.refresh_from_db()
        assert action.state == from_state
        assert not action.events.filter(kind=ActionEvent.Kind.STATE_CHANGED).exists()


def test_the_table_has_the_lifecycle_of_the_design():
    assert services.TRANSITIONS[S.OPEN] >= {S.IN_PROGRESS}
    assert services.TRANSITIONS[S.IN_PROGRESS] >= {S.COMPLETED}
    assert services.TRANSITIONS[S.COMPLETED] >= {S.IMPACT_EVIDENCED}
    assert services.TRANSITIONS[S.IMPACT_EVIDENCED] == {S.EMBEDDED, S.NOT_ACHIEVED}
    assert services.TRANSITIONS[S.EMBEDDED] == services.TRANSITIONS[S.NOT_ACHIEVED] == set()


def test_refusals_say_why_in_words(world, people):
    action = make_action(world, state=S.IN_PROGRESS)
    with pytest.raises(ActionStateError, match="must be completed before its impact"):
        services.evidence_impact(action, people["agencylead"])
    with pytest.raises(ActionStateError, match="needs evidence of impact before it is embedded"):
        services.embed(action, people["qa"])
    embedded = make_action(world, state=S.EMBEDDED)
    with pytest.raises(ActionStateError, match="can no longer change"):
        services.start(embedded, people["agencylead"])


def test_an_action_needs_evidence_of_completion_before_it_is_completed(action, people):
    services.start(action, people["agencylead"])
    with pytest.raises(ActionStateError, match="needs evidence of completion"):
        services.complete(action, people["agencylead"])
    # Evidence of impact is not evidence of completion.
    services.add_evidence(
        action, people["agencylead"], EvidenceKind.IMPACT, "Survey.", ImpactType.OTHER
    )
    with pytest.raises(ActionStateError, match="needs evidence of completion"):
        services.complete(action, people["agencylead"])
    services.add_evidence(action, people["agencylead"], EvidenceKind.COMPLETION, "Done.")
    services.complete(action, people["agencylead"])
    assert action.state == S.COMPLETED


def test_an_open_action_can_be_completed_without_being_started_first(action, people):
    services.add_evidence(action, people["agencylead"], EvidenceKind.COMPLETION, "Done.")
    services.complete(action, people["agencylead"])
    assert action.state == S.COMPLETED


def test_impact_is_evidenced_only_with_evidence_of_impact(world, people):
    action = make_action(world, state=S.COMPLETED)
    with pytest.raises(ActionStateError, match="needs evidence of impact"):
        services.evidence_impact(action, people["agencylead"])
    services.add_evidence(
        action,
        people["agencylead"],
        EvidenceKind.IMPACT,
        "Practitioner survey: 40 of 52 say they now ask.",
        impact_type=ImpactType.PRACTITIONER_SURVEY,
    )
    services.evidence_impact(action, people["agencylead"])
    assert action.state == S.IMPACT_EVIDENCED


def test_embedding_needs_evidence_of_impact_and_records_who_and_when(world, people):
    action = make_action(world, state=S.IMPACT_EVIDENCED)
    with pytest.raises(ActionStateError, match="needs evidence of impact before it is embedded"):
        services.embed(action, people["qa"])
    Evidence.objects.create(
        action=action, kind=EvidenceKind.IMPACT, impact_type=ImpactType.RE_AUDIT, text="Re-audit."
    )
    with time_machine.travel("2027-05-04 10:00 +0000", tick=False):
        services.embed(action, people["qa"])
    assert action.state == S.EMBEDDED
    assert action.embedded_by == people["qa"]
    assert action.embedded_at.date() == date(2027, 5, 4)


@pytest.mark.parametrize(
    ("kind", "impact_type", "message"),
    [
        (EvidenceKind.IMPACT, None, "Choose what kind of evidence of impact"),
        (EvidenceKind.COMPLETION, ImpactType.RE_AUDIT, "no impact type"),
    ],
)
def test_evidence_kinds_and_impact_types_go_together(action, people, kind, impact_type, message):
    with pytest.raises(ActionStateError, match=message):
        services.add_evidence(action, people["agencylead"], kind, "Text.", impact_type)
    assert not action.evidence.exists()


def test_evidence_needs_words(action, people):
    with pytest.raises(ActionStateError, match="Enter what the evidence shows"):
        services.add_evidence(action, people["agencylead"], EvidenceKind.COMPLETION, "  ")


@pytest.mark.parametrize("state", [S.EMBEDDED, S.NOT_ACHIEVED])
def test_a_closed_action_takes_no_evidence_and_no_progress(world, people, state):
    action = make_action(world, state=state)
    with pytest.raises(ActionStateError, match="closed action"):
        services.add_evidence(action, people["agencylead"], EvidenceKind.COMPLETION, "Late.")
    with pytest.raises(ActionStateError, match="closed action"):
        services.record_progress(action, people["agencylead"], "Late.")


def test_an_evidence_document_is_kept_in_the_private_collection(action, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("re-audit.pdf", b"%PDF-1.4 fictional", "application/pdf")
    evidence = services.add_evidence(
        action,
        people["agencylead"],
        EvidenceKind.IMPACT,
        "Re-audit report.",
        ImpactType.RE_AUDIT,
        document_file=upload,
    )
    document = evidence.document
    assert document.collection.name == services.EVIDENCE_COLLECTION
    assert document.collection.get_view_restrictions().filter(restriction_type="login").exists()
    assert document.title == f"Evidence for {action.reference}"
    assert document.uploaded_by_user == people["agencylead"]
    assert document.file_size == len(b"%PDF-1.4 fictional") and document.file_hash
    event = action.events.get(kind=ActionEvent.Kind.EVIDENCE)
    assert event.note == "Evidence of impact"


def test_progress_is_recorded_in_the_history_but_not_in_the_audit_log(action, people):
    services.record_progress(action, people["agencylead"], "Briefings booked for all teams.")
    assert action.progress == "Briefings booked for all teams."
    event = action.events.get(kind=ActionEvent.Kind.PROGRESS)
    assert event.note == "Briefings booked for all teams." and event.user == people["agencylead"]
    entry = ModelLogEntry.objects.get(object_id=str(action.pk), action="hub.action.progress")
    assert "Briefings" not in str(entry.data)
    with pytest.raises(ActionStateError, match="Enter what has happened"):
        services.record_progress(action, people["agencylead"], "")


# Who may do what. "agencylead" leads Wirral police, which owns the action; "healthlead" leads
# Wirral's NHS trust and is named as the action's lead in one case.

UPDATERS = {"agencylead", "qa", "manager", "admin"}
OTHERS = {"healthlead", "practitioner", "scrutineer", "reviewer", "trainer", "liverpool.manager"}


@pytest.mark.parametrize("who", sorted(UPDATERS | OTHERS))
def test_who_may_update_an_action(action, people, who):
    user = people[who]
    if who in UPDATERS:
        services.start(action, user)
        assert action.state == S.IN_PROGRESS
    else:
        with pytest.raises(ActionPermissionError):
            services.start(action, user)
        with pytest.raises(ActionPermissionError):
            services.record_progress(action, user, "Not mine.")
        with pytest.raises(ActionPermissionError):
            services.add_evidence(action, user, EvidenceKind.COMPLETION, "Not mine.")
        with pytest.raises(ActionPermissionError):
            services.request_extension(action, user, action.due_date + timedelta(days=30), "No.")


def test_the_named_lead_of_another_agency_may_update_the_action(world, people):
    action = make_action(world, lead=people["healthlead"], sharing_level=SharingLevel.RESTRICTED)
    services.start(action, people["healthlead"])
    assert action.state == S.IN_PROGRESS


def test_an_agency_lead_updates_a_restricted_action_of_their_agency(world, people):
    action = make_action(world, sharing_level=SharingLevel.RESTRICTED)
    services.start(action, people["agencylead"])
    with pytest.raises(ActionPermissionError):
        services.record_progress(action, people["healthlead"], "Not mine.")


@pytest.mark.parametrize("who", ["agencylead", "manager", "healthlead", "liverpool.manager"])
def test_only_quality_assurance_of_the_partnership_embeds(world, people, who):
    action = make_action(world, state=S.IMPACT_EVIDENCED)
    _with_both_kinds_of_evidence(action)
    with pytest.raises(ActionPermissionError, match="Only quality assurance"):
        services.embed(action, people[who])
    assert action.state == S.IMPACT_EVIDENCED


@pytest.mark.parametrize(
    ("who", "allowed"), [("qa", True), ("manager", True), ("agencylead", False)]
)
def test_qa_or_a_manager_closes_an_action_as_not_achieved(world, people, who, allowed):
    action = make_action(world, state=S.IN_PROGRESS)
    with pytest.raises(ActionStateError, match="Enter why"):
        services.close_not_achieved(action, people["qa"], " ")
    if allowed:
        services.close_not_achieved(action, people[who], "The team was disbanded.")
        assert action.state == S.NOT_ACHIEVED
        assert action.closed_reason == "The team was disbanded."
        assert action.events.get(to_state=S.NOT_ACHIEVED).note == "The team was disbanded."
    else:
        with pytest.raises(ActionPermissionError):
            services.close_not_achieved(action, people[who], "Not mine to close.")


# Extensions


def test_an_extension_needs_a_later_date_and_a_reason(action, people):
    lead = people["agencylead"]
    with pytest.raises(ActionStateError, match="must be after the current due date"):
        services.request_extension(action, lead, action.due_date, "More time.")
    with pytest.raises(ActionStateError, match="Enter why"):
        services.request_extension(action, lead, action.due_date + timedelta(days=1), "")
    request = services.request_extension(
        action, lead, action.due_date + timedelta(days=30), "Training dates moved."
    )
    assert request.decision == ExtensionDecision.PENDING
    assert action.events.filter(kind=ActionEvent.Kind.EXTENSION_REQUESTED).exists()


def test_one_extension_request_waits_at_a_time(action, people):
    lead = people["agencylead"]
    services.request_extension(action, lead, action.due_date + timedelta(days=30), "One.")
    with pytest.raises(ActionStateError, match="already has an extension request"):
        services.request_extension(action, lead, action.due_date + timedelta(days=60), "Two.")


def test_a_completed_action_needs_no_extension(world, people):
    action = make_action(world, state=S.COMPLETED)
    with pytest.raises(ActionStateError, match="still open"):
        services.request_extension(
            action, people["agencylead"], action.due_date + timedelta(days=9), "Why?"
        )


def test_approving_moves_the_due_date_and_keeps_the_first_one(action, people):
    first_due = action.due_date
    lead, qa = people["agencylead"], people["qa"]
    request = services.request_extension(action, lead, first_due + timedelta(days=30), "One.")
    services.decide_extension(request, qa, approve=True, note="Agreed at the QA meeting.")
    action.refresh_from_db()
    assert action.due_date == first_due + timedelta(days=30)
    assert action.original_due_date == first_due
    assert request.decision == ExtensionDecision.APPROVED and request.decided_by == qa
    # A second extension keeps the first agreed date as the original.
    second = services.request_extension(action, lead, first_due + timedelta(days=90), "Two.")
    services.decide_extension(second, qa, approve=True)
    action.refresh_from_db()
    assert action.due_date == first_due + timedelta(days=90)
    assert action.original_due_date == first_due
    entry = ModelLogEntry.objects.filter(action="hub.action.extension_approved").first()
    assert entry.data["requested_due_date"] and "Agreed" not in str(entry.data)


def test_refusing_needs_a_note_and_leaves_the_date(action, people):
    due = action.due_date
    request = services.request_extension(
        action, people["agencylead"], due + timedelta(days=30), "One."
    )
    with pytest.raises(ActionStateError, match="Enter why the extension is refused"):
        services.decide_extension(request, people["qa"], approve=False, note="")
    services.decide_extension(request, people["qa"], approve=False, note="Finish on time.")
    action.refresh_from_db()
    assert action.due_date == due and action.original_due_date is None
    assert request.decision == ExtensionDecision.REFUSED
    with pytest.raises(ActionStateError, match="already been decided"):
        services.decide_extension(request, people["qa"], approve=True)


@pytest.mark.parametrize("who", ["agencylead", "manager", "liverpool.manager"])
def test_only_quality_assurance_decides_extensions(action, people, who):
    request = services.request_extension(
        action, people["agencylead"], action.due_date + timedelta(days=30), "One."
    )
    with pytest.raises(ActionPermissionError):
        services.decide_extension(request, people[who], approve=True)
    request.refresh_from_db()
    assert request.decision == ExtensionDecision.PENDING


def test_quality_assurance_does_not_decide_their_own_request(action, people):
    request = services.request_extension(
        action, people["qa"], action.due_date + timedelta(days=30), "QA asks too."
    )
    with pytest.raises(ActionPermissionError, match="Someone else"):
        services.decide_extension(request, people["qa"], approve=True)


# RAG from dates and state


def test_rag_follows_the_calendar_and_the_state(world):
    action = make_action(world, due_date=date(2027, 3, 31))

    def both(today):
        annotated = Action.objects.with_rag(today).get(pk=action.pk).rag
        assert annotated == action.rag(today)
        return action.rag()

    with time_machine.travel(date(2027, 3, 1), tick=False):
        assert both(date(2027, 3, 1)) == RAG.GREEN
    with time_machine.travel(date(2027, 3, 17), tick=False):
        assert both(date(2027, 3, 17)) == RAG.AMBER
    with time_machine.travel(date(2027, 3, 31), tick=False):
        assert both(date(2027, 3, 31)) == RAG.AMBER
    with time_machine.travel(date(2027, 4, 1), tick=False):
        assert both(date(2027, 4, 1)) == RAG.RED
        for state, rag in [
            (S.IN_PROGRESS, RAG.RED),
            (S.COMPLETED, RAG.BLUE),
            (S.IMPACT_EVIDENCED, RAG.BLUE),
            (S.EMBEDDED, RAG.BLUE),
            (S.NOT_ACHIEVED, RAG.GREY),
        ]:
            Action.objects.filter(pk=action.pk).update(state=state)
            action.refresh_from_db()
            assert both(date(2027, 4, 1)) == rag


def test_an_approved_extension_turns_red_back_to_green(world, people):
    with time_machine.travel(date(2027, 4, 10), tick=False):
        action = make_action(world, due_date=date(2027, 4, 1))
        assert action.rag() == RAG.RED
        request = services.request_extension(
            action, people["agencylead"], date(2027, 9, 30), "Staff shortage."
        )
        services.decide_extension(request, people["qa"], approve=True)
        action.refresh_from_db()
        assert action.rag() == RAG.GREEN
