"""What people do in a self-assessment cycle, from opening it to the agreed ratings.

As in `learning.actions`, each use-case is a function taking the record and the person: it asks
who may (`may_open`, `may_complete`, `may_challenge`), whether the return is ready, raising
`AuditError` with a sentence a person understands when not; it locks the row it changes so two
people at once cannot both pass the checks; and it keeps the history twice, in the assessment's
own events (with the words people typed) and in Wagtail's audit log (without them: someone may
type a child's name into a narrative)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from learning.models import Action, ActionEvent, ActionSource
from learning.models.action import CLOSED_STATES
from partnership.access import has_role, membership_of, sees_everything
from partnership.models import Agency, Role
from partnership.uploads import ContentMismatch, check_content

from .models import (
    AgencyReturn,
    Assessment,
    AssessmentEvent,
    Cycle,
    ReturnEvidence,
    ReturnState,
    SetKind,
    StandardSet,
)
from .tasks import send_return_notices_task

EVIDENCE_COLLECTION = "Self-assessment evidence"
OPEN_STATES = (ReturnState.NOT_STARTED, ReturnState.IN_PROGRESS)

LOG_ACTIONS = {
    "hub.standards.version": "Standards set version made",
    "hub.audit.cycle_opened": "Self-assessment cycle opened",
    "hub.audit.rated": "Self-assessment rating saved",
    "hub.audit.evidence_added": "Self-assessment evidence added",
    "hub.audit.submitted": "Self-assessment return submitted",
    "hub.audit.challenged": "Self-assessment rating challenged",
    "hub.audit.answered": "Self-assessment challenge answered",
    "hub.audit.agreed": "Self-assessment rating agreed",
    "hub.audit.cycle_shared": "Self-assessment figures shared with the region, or not",
}


class AuditError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# Who may (the case audits' rules ask the same questions)


def in_partnership(user, partnership_id, *roles: Role) -> bool:
    membership = membership_of(user)
    return (
        membership is not None
        and membership.partnership_id == partnership_id
        and has_role(user, *roles)
    )


def may_open(user, partnership_id) -> bool:
    """Managers and quality assurance open cycles for their own partnership."""
    return sees_everything(user) or in_partnership(
        user, partnership_id, Role.PARTNERSHIP_MANAGER, Role.QUALITY_ASSURANCE
    )


def may_complete(user, agency_return: AgencyReturn) -> bool:
    """The agency's own leads complete, submit and answer for its return."""
    if sees_everything(user):
        return True
    membership = membership_of(user)
    return (
        in_partnership(user, agency_return.cycle.partnership_id, Role.AGENCY_LEAD)
        and membership.agency_id == agency_return.agency_id
    )


def may_challenge(user, agency_return: AgencyReturn) -> bool:
    """Quality assurance of the cycle's partnership challenge and agree ratings."""
    return may_challenge_cycle(user, agency_return.cycle)


def may_challenge_cycle(user, cycle: Cycle) -> bool:
    return sees_everything(user) or in_partnership(
        user, cycle.partnership_id, Role.QUALITY_ASSURANCE
    )


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise AuditError(message)


def _log(agency_return: AgencyReturn, verb: str, user, **data) -> None:
    log(
        agency_return,
        f"hub.audit.{verb}",
        user=user,
        data={"cycle": agency_return.cycle_id, **data},
    )


# Opening a cycle


def invitable_agencies(standard_set: StandardSet):
    """Whom a set's cycle asks by default: schools and colleges for Section 175, every other
    active agency of the partnership for the rest."""
    agencies = Agency.objects.filter(partnership_id=standard_set.partnership_id, active=True)
    if standard_set.kind == SetKind.SECTION_175:
        return agencies.filter(sector="education")
    return agencies.exclude(sector__in=("education", "partnership"))


def previous_cycle(standard_set: StandardSet) -> Cycle | None:
    """The partnership's latest cycle on any version of the same set."""
    return (
        Cycle.objects.filter(
            partnership_id=standard_set.partnership_id,
            standard_set__name__iexact=standard_set.name,
        )
        .order_by("-due_date", "-pk")
        .first()
    )


def open_cycle(standard_set: StandardSet, user, *, title: str, due_date: date, agencies) -> Cycle:
    """Open a cycle on `standard_set` and ask `agencies` for a return each. Every return starts
    with one assessment per standard; where the agency answered the same standard (by code) in
    the previous cycle, its rating, narrative and improvement actions are carried forward to
    edit, and the previous return stays as it was."""
    require(
        may_open(user, standard_set.partnership_id),
        "Only the partnership's managers and quality assurance may open a cycle.",
    )
    title = " ".join((title or "").split())
    require(bool(title), "Enter a title for the cycle")
    require(due_date is not None, "Enter the date returns are due")
    require(due_date >= timezone.localdate(), "The due date must be today or later")
    agencies = list(agencies)
    require(bool(agencies), "Choose at least one agency to ask for a return")
    foreign = [a for a in agencies if a.partnership_id != standard_set.partnership_id]
    require(not foreign, "Every agency asked must belong to the partnership")
    standards = list(standard_set.standards.all())
    require(bool(standards), "The standards set has no standards")
    with transaction.atomic():
        previous = previous_cycle(standard_set)
        cycle = Cycle.objects.create(
            reference=_new_reference(standard_set, due_date),
            partnership_id=standard_set.partnership_id,
            standard_set=standard_set,
            title=title,
            due_date=due_date,
            previous=previous,
            opened_by=user,
        )
        returns = AgencyReturn.objects.bulk_create(
            AgencyReturn(cycle=cycle, agency=agency) for agency in agencies
        )
        carried = _carried_answers(previous, [a.pk for a in agencies])
        Assessment.objects.bulk_create(
            _assessment(agency_return, standard, carried)
            for agency_return in returns
            for standard in standards
        )
        log(cycle, "hub.audit.cycle_opened", user=user, data={"returns": len(returns)})
        # The invitations go once the cycle is committed, by the same job as the reminders.
        transaction.on_commit(send_return_notices_task.delay)
    return cycle


def _new_reference(standard_set: StandardSet, due_date: date) -> str:
    """WIR-S11-2027: the partnership, the kind and the year returns are due; -2, -3 after it
    for a second cycle of the kind in one year."""
    place = standard_set.partnership.slug.replace("-", "")[:3].upper()
    kind = SetKind(standard_set.kind).short_label.replace("Section ", "S").upper()
    base = f"{place}-{kind}-{due_date.year}"
    taken = set(
        Cycle.objects.filter(reference__startswith=base).values_list("reference", flat=True)
    )
    number = 1
    reference = base
    while reference in taken:
        number += 1
        reference = f"{base}-{number}"
    return reference


def _carried_answers(previous: Cycle | None, agency_ids) -> dict:
    """(agency id, folded standard code) -> the previous cycle's answer: one query."""
    if previous is None:
        return {}
    rows = Assessment.objects.filter(
        agency_return__cycle=previous, agency_return__agency_id__in=agency_ids
    ).values("agency_return__agency_id", "standard__code", "rating", "narrative", "improvement")
    return {
        (row["agency_return__agency_id"], row["standard__code"].casefold()): row for row in rows
    }


def _assessment(agency_return: AgencyReturn, standard, carried: dict) -> Assessment:
    before = carried.get((agency_return.agency_id, standard.code.casefold()))
    if before is None:
        return Assessment(agency_return=agency_return, standard=standard)
    rating = before["rating"]
    if rating is not None and rating not in standard.standard_set.ratings:
        rating = None  # the new version rates on another scale: the words carry, not the number
    return Assessment(
        agency_return=agency_return,
        standard=standard,
        rating=rating,
        narrative=before["narrative"],
        improvement=before["improvement"],
        carried_forward=True,
    )


# The agency's return


def _lock_return(agency_return: AgencyReturn) -> AgencyReturn:
    return (
        AgencyReturn.objects.select_for_update()
        .select_related("cycle__standard_set")
        .get(pk=agency_return.pk)
    )


def _check_rating(agency_return: AgencyReturn, rating, *, required: bool) -> None:
    if rating is None:
        require(not required, "Choose a rating")
        return
    require(
        rating in agency_return.cycle.standard_set.ratings,
        "Choose one of the set's ratings",
    )


def save_assessment(
    assessment: Assessment, user, *, rating: int | None, narrative: str, improvement: str
) -> Assessment:
    """The agency's rating of one standard, with its narrative and improvement actions."""
    with transaction.atomic():
        agency_return = _lock_return(assessment.agency_return)
        require(may_complete(user, agency_return), "Only the agency's leads may rate its return.")
        require(
            agency_return.state in OPEN_STATES,
            "The return has been submitted: answer quality assurance's challenges instead.",
        )
        _check_rating(agency_return, rating, required=False)
        assessment = Assessment.objects.get(pk=assessment.pk, agency_return=agency_return)
        assessment.rating = rating
        assessment.narrative = (narrative or "").strip()
        assessment.improvement = (improvement or "").strip()
        assessment.carried_forward = False
        assessment.save()
        AssessmentEvent.objects.create(
            assessment=assessment,
            kind=AssessmentEvent.Kind.RATED,
            rating=rating,
            text=assessment.narrative,
            user=user,
        )
        if agency_return.state == ReturnState.NOT_STARTED:
            agency_return.state = ReturnState.IN_PROGRESS
            agency_return.save(update_fields=["state"])
        _log(agency_return, "rated", user, standard=assessment.standard.code, rating=rating)
    return assessment


def evidence_collection():
    from wagtail.models import Collection

    return Collection.objects.get(depth=2, name=EVIDENCE_COLLECTION)


def add_evidence(agency_return: AgencyReturn, user, *, uploaded, description: str, standard=None):
    """A document the agency offers as evidence, kept in the private evidence collection under
    a title that names only the cycle and the agency."""
    from wagtail.documents import get_document_model

    description = " ".join((description or "").split())
    require(bool(description), "Say what the document shows")
    require(uploaded is not None, "Choose a file to upload")
    try:
        check_content(uploaded)
    except ContentMismatch as error:
        raise AuditError(str(error)) from error
    with transaction.atomic():
        locked = _lock_return(agency_return)
        require(may_complete(user, locked), "Only the agency's leads may add evidence.")
        require(locked.state in OPEN_STATES, "The return has been submitted.")
        require(
            standard is None or standard.standard_set_id == locked.cycle.standard_set_id,
            "That standard is not in this cycle's set",
        )
        document = get_document_model()(
            title=f"Evidence for {locked.cycle.title}: {locked.agency.short_name}",
            file=uploaded,
            collection=evidence_collection(),
            uploaded_by_user=user,
        )
        document._set_document_file_metadata()
        document.save()
        evidence = ReturnEvidence.objects.create(
            agency_return=locked,
            standard=standard,
            description=description[:255],
            document=document,
            added_by=user,
        )
        _log(locked, "evidence_added", user)
    return evidence


def submit(agency_return: AgencyReturn, user, *, signed_by_name: str, signed_by_role: str):
    """The agency's lead submits the return, signed by a named senior officer."""
    with transaction.atomic():
        locked = _lock_return(agency_return)
        require(may_complete(user, locked), "Only the agency's leads may submit its return.")
        require(locked.state in OPEN_STATES, "The return has already been submitted.")
        unrated = locked.assessments.filter(rating__isnull=True).count()
        require(
            not unrated,
            f"Rate every standard before submitting: {unrated} "
            f"{'is' if unrated == 1 else 'are'} not rated.",
        )
        name = " ".join((signed_by_name or "").split())
        require(bool(name), "Enter the name of the senior officer who signs the return")
        locked.state = ReturnState.SUBMITTED
        locked.submitted_by = user
        locked.submitted_at = timezone.now()
        locked.signed_by_name = name[:150]
        locked.signed_by_role = " ".join((signed_by_role or "").split())[:150]
        locked.save()
        _log(locked, "submitted", user)
    agency_return.refresh_from_db()
    return agency_return


# Challenge and agreement


def _lock_assessment(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("standard").get(pk=assessment.pk)


def _submitted(agency_return: AgencyReturn) -> None:
    require(
        agency_return.state == ReturnState.SUBMITTED,
        "Ratings are challenged and agreed once the agency has submitted its return.",
    )


def challenge(assessment: Assessment, user, *, text: str, event=None) -> Assessment:
    """Quality assurance challenges a submitted rating, perhaps at a challenge and support
    event that covered the agency (`audits.events`)."""
    text = (text or "").strip()
    require(bool(text), "Enter the challenge: what the agency should look at again")
    require(
        event is None or event.returns.filter(pk=assessment.agency_return_id).exists(),
        "That event did not cover this agency",
    )
    with transaction.atomic():
        agency_return = _lock_return(assessment.agency_return)
        require(may_challenge(user, agency_return), "Only quality assurance may challenge.")
        _submitted(agency_return)
        locked = _lock_assessment(assessment)
        require(locked.agreed_rating is None, "This rating is already agreed.")
        locked.challenge = text
        locked.challenged_by = user
        locked.challenged_at = timezone.now()
        locked.challenge_event = event
        locked.save()
        AssessmentEvent.objects.create(
            assessment=locked, kind=AssessmentEvent.Kind.CHALLENGED, text=text, user=user
        )
        _log(agency_return, "challenged", user, standard=locked.standard.code)
    return locked


def respond(assessment: Assessment, user, *, text: str, rating: int | None = None) -> Assessment:
    """The agency answers a challenge, and may propose another rating."""
    text = (text or "").strip()
    require(bool(text), "Enter your answer to the challenge")
    with transaction.atomic():
        agency_return = _lock_return(assessment.agency_return)
        require(may_complete(user, agency_return), "Only the agency's leads may answer.")
        _submitted(agency_return)
        _check_rating(agency_return, rating, required=False)
        locked = _lock_assessment(assessment)
        require(bool(locked.challenge), "There is no challenge to answer.")
        require(locked.agreed_rating is None, "This rating is already agreed.")
        locked.response = text
        locked.response_rating = rating
        locked.responded_by = user
        locked.responded_at = timezone.now()
        locked.save()
        AssessmentEvent.objects.create(
            assessment=locked,
            kind=AssessmentEvent.Kind.ANSWERED,
            rating=rating,
            text=text,
            user=user,
        )
        _log(agency_return, "answered", user, standard=locked.standard.code)
    return locked


def agree(assessment: Assessment, user, *, rating: int, due_date: date | None = None) -> Assessment:
    """Quality assurance records the agreed rating. A red or amber one creates exactly one
    improvement action (source: audit), owned by the agency and due on `due_date`."""
    with transaction.atomic():
        agency_return = _lock_return(assessment.agency_return)
        require(may_challenge(user, agency_return), "Only quality assurance may agree ratings.")
        _submitted(agency_return)
        _check_rating(agency_return, rating, required=True)
        locked = _lock_assessment(assessment)
        require(locked.agreed_rating is None, "This rating is already agreed.")
        point = agency_return.cycle.standard_set.ratings[rating]
        if point.needs_action:
            require(due_date is not None, "Enter when the improvement action is due")
            require(due_date > timezone.localdate(), "The action's due date must be after today")
        locked.agreed_rating = rating
        locked.agreed_by = user
        locked.agreed_at = timezone.now()
        if point.needs_action and locked.action_id is None:
            locked.action = _open_action_carried(agency_return, locked) or _improvement_action(
                agency_return, locked, user, due_date
            )
        locked.save()
        AssessmentEvent.objects.create(
            assessment=locked, kind=AssessmentEvent.Kind.AGREED, rating=rating, user=user
        )
        _log(agency_return, "agreed", user, standard=locked.standard.code, rating=rating)
        if not agency_return.assessments.filter(agreed_rating__isnull=True).exists():
            agency_return.state = ReturnState.AGREED
            agency_return.agreed_at = timezone.now()
            agency_return.save(update_fields=["state", "agreed_at"])
    return locked


def _open_action_carried(agency_return, assessment) -> Action | None:
    """The action still open from the agency's agreed rating of the same standard in an earlier
    cycle of the set: the same shortfall is the same piece of work, linked, not made twice."""
    return (
        Action.objects.filter(
            audit_assessments__agency_return__agency_id=agency_return.agency_id,
            audit_assessments__agency_return__cycle__partnership_id=agency_return.cycle.partnership_id,
            audit_assessments__agency_return__cycle__standard_set__name__iexact=(
                agency_return.cycle.standard_set.name
            ),
            audit_assessments__standard__code__iexact=assessment.standard.code,
        )
        .exclude(state__in=CLOSED_STATES)
        .order_by("-pk")
        .first()
    )


def _improvement_action(agency_return, assessment, user, due_date) -> Action:
    cycle = agency_return.cycle
    standard = assessment.standard
    kind = SetKind(cycle.standard_set.kind).short_label.replace("Section ", "S")
    description = assessment.improvement or (
        f"Improve against standard {standard.code} of {cycle.standard_set.name}: {standard.text}"
    )
    action = Action.objects.create(
        reference=f"{kind.upper()}-{cycle.due_date.year}-{assessment.pk}",
        source=ActionSource.AUDIT,
        source_detail=f"{cycle.title}, standard {standard.code}"[:255],
        description=description,
        partnership_id=cycle.partnership_id,
        owner_agency_id=agency_return.agency_id,
        due_date=due_date,
        original_due_date=due_date,
    )
    ActionEvent.objects.create(
        action=action,
        kind=ActionEvent.Kind.CREATED,
        note=f"From the agreed rating of standard {standard.code} in {cycle.title}.",
        user=user,
    )
    return action


# Reading


def awaiting_me(user):
    """Returns the person should act on: their agency's open ones (agency leads), and the
    submitted ones of their partnership (quality assurance)."""
    membership = membership_of(user)
    if membership is None:
        return AgencyReturn.objects.none()
    returns = AgencyReturn.objects.visible_to(user).filter(
        cycle__partnership_id=membership.partnership_id
    )
    wanted = AgencyReturn.objects.none()
    if has_role(user, Role.AGENCY_LEAD) and membership.agency_id:
        wanted = returns.filter(agency_id=membership.agency_id, state__in=OPEN_STATES)
    if has_role(user, Role.QUALITY_ASSURANCE):
        wanted = wanted | returns.filter(state=ReturnState.SUBMITTED)
    return wanted
