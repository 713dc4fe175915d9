"""What people do to a follow-up action, from starting it to quality assurance's sign-off.

Each use-case is a function taking the action (or the extension request) and the acting person,
as pretix's `services/orders.py` does: it checks who may do it and whether the action is ready,
raising `ActionStateError` with a sentence a person understands when not; locks the action's row
so that two people acting at once cannot both pass the checks; writes the change; and records it
twice, in the action's own history (shown on the site) and in Wagtail's audit log (read by the
admin and the independent scrutineer). Free text people type (progress, reasons, notes) goes only
in the history, never in the audit log's data: someone may type a child's name into it.

Views, admin hooks and tasks call these functions; none repeats their rules.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from hub.formats import long_date
from partnership.access import can_view, has_role, membership_of, sees_everything
from partnership.documents import HeldDocuments
from partnership.models import Role
from partnership.uploads import ContentMismatch, check_content

from .models import (
    Action,
    ActionEvent,
    ActionState,
    Evidence,
    EvidenceKind,
    ExtensionDecision,
    ExtensionRequest,
    ImpactType,
)

EVIDENCE_COLLECTION = "Action evidence"

S = ActionState

# The lifecycle: from each state, the states an action may move to. Closed actions never move.
TRANSITIONS: dict[ActionState, frozenset[ActionState]] = {
    # An agency often finishes the work before anyone records that it started: completing an
    # open action with evidence of completion is allowed.
    S.OPEN: frozenset({S.IN_PROGRESS, S.COMPLETED, S.NOT_ACHIEVED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.NOT_ACHIEVED}),
    # Completed but never shown to change practice is a reason to close as not achieved.
    S.COMPLETED: frozenset({S.IMPACT_EVIDENCED, S.NOT_ACHIEVED}),
    S.IMPACT_EVIDENCED: frozenset({S.EMBEDDED, S.NOT_ACHIEVED}),
    S.EMBEDDED: frozenset(),
    S.NOT_ACHIEVED: frozenset(),
}

# The audit log's names for what happened, with the label the admin's history shows.
LOG_ACTIONS = {
    "hub.action.started": "Action started",
    "hub.action.progress": "Action progress update",
    "hub.action.evidence_added": "Action evidence added",
    "hub.action.completed": "Action completed",
    "hub.action.impact_evidenced": "Action impact evidenced",
    "hub.action.embedded": "Action signed off as embedded",
    "hub.action.not_achieved": "Action closed as not achieved",
    "hub.action.extension_requested": "Action extension requested",
    "hub.action.extension_approved": "Action extension approved",
    "hub.action.extension_refused": "Action extension refused",
}


class ActionStateError(Exception):
    """A change to an action that is refused, with the reason as a sentence to show the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ActionPermissionError(ActionStateError):
    """Refused because of who is asking rather than the action's state: views answer 403."""


# Who may do what


def _in_owning_partnership(user, action: Action, *roles: Role) -> bool:
    membership = membership_of(user)
    return bool(
        membership and membership.partnership_id == action.partnership_id and has_role(user, *roles)
    )


def may_update(user, action: Action) -> bool:
    """The action's lead, the owning agency's leads, and quality assurance and partnership
    managers of the owning partnership, provided the access policy lets them see it."""
    if not getattr(user, "is_active", False):
        return False
    if sees_everything(user):
        return True
    membership = membership_of(user)
    if membership is None:
        return False
    answerable = (
        action.lead_id == user.pk
        or (
            has_role(user, Role.AGENCY_LEAD)
            and membership.agency_id is not None
            and membership.agency_id == action.owner_agency_id
        )
        or _in_owning_partnership(user, action, Role.QUALITY_ASSURANCE, Role.PARTNERSHIP_MANAGER)
    )
    return answerable and can_view(user, action)


def may_sign_off(user, action: Action) -> bool:
    """Embedding and extensions are quality assurance's decisions for their own partnership:
    the people who answer for an action do not mark their own work."""
    return _in_owning_partnership(user, action, Role.QUALITY_ASSURANCE) and can_view(user, action)


def may_close(user, action: Action) -> bool:
    return _in_owning_partnership(
        user, action, Role.QUALITY_ASSURANCE, Role.PARTNERSHIP_MANAGER
    ) and can_view(user, action)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ActionPermissionError(message)


def _require_updater(user, action: Action) -> None:
    _require(
        may_update(user, action),
        "Only the action's lead, its agency's leads, quality assurance and partnership managers "
        "can update this action",
    )


# What the action must be ready for


def has_evidence(action: Action, kind: EvidenceKind) -> bool:
    return action.evidence.filter(kind=kind).exists()


def _refusal(action: Action, to: ActionState) -> str:
    """Why `action` cannot move to `to`, in words."""
    now = ActionState(action.state)
    if now == S.EMBEDDED:
        return "The action has been signed off as embedded, so it can no longer change"
    if now == S.NOT_ACHIEVED:
        return "The action was closed as not achieved, so it can no longer change"
    if now == to:
        return f"The action is already {now.label.lower()}"
    if to == S.IN_PROGRESS:
        return "Only an open action can be started"
    if to == S.COMPLETED:
        return "The action is already completed"
    if to == S.IMPACT_EVIDENCED:
        if now in (S.OPEN, S.IN_PROGRESS):
            return "An action must be completed before its impact is evidenced"
        return "The action's impact is already evidenced"
    if to == S.EMBEDDED:
        return "An action needs evidence of impact before it is embedded"
    return f"An action cannot move from {now.label.lower()} to {to.label.lower()}"


# The states a new action may be recorded in without one of the services below: being open or
# started needs no evidence, sign-off or reason. An import bringing a tracker in may set them.
STATES_WITHOUT_SERVICE = frozenset({S.OPEN, S.IN_PROGRESS})


def imported_state_refusal(current: ActionState | str | None, wanted: ActionState) -> str | None:
    """Why an import may not give an action (`current` None: a new one) the state `wanted`.

    An import never moves an action through the lifecycle: completed, impact evidenced and
    embedded need evidence and quality assurance's sign-off, closing needs a reason, and only
    the services here take those. A new action is refused rather than quietly landing open,
    because a quality assurance lead reading "embedded" in their tracker and "open" in the Hub
    would not know which to believe; refused, they see the row and record the evidence here.
    An existing action keeps the state the services gave it: a file that says otherwise (an
    old tracker, a typo) is refused, never obeyed backwards or forwards."""
    if current is None:
        if wanted in STATES_WITHOUT_SERVICE:
            return None
        return (
            f"a new action is imported open or in progress, not {wanted.label.lower()}: "
            "record its evidence and sign-off in the Hub, which moves it on"
        )
    current = ActionState(current)
    if wanted == current:
        return None
    return (
        f"the action is {current.label.lower()} in the Hub and an import never changes its state "
        f"(write {current.label.lower()} or leave state empty)"
    )


def check_transition(action: Action, to: ActionState) -> None:
    if to not in TRANSITIONS[ActionState(action.state)]:
        raise ActionStateError(_refusal(action, to))


def can_move(action: Action, to: ActionState) -> bool:
    return to in TRANSITIONS[ActionState(action.state)]


# Writing


def _lock(action: Action) -> Action:
    """The action's row, locked until the transaction ends, as it is now in the database."""
    return Action.objects.select_for_update().get(pk=action.pk)


def _log(action: Action, verb: str, user, **data) -> None:
    log(action, f"hub.action.{verb}", user=user, data={"reference": action.reference, **data})


def _move(action: Action, user, to: ActionState, verb: str, note: str = "", **fields) -> None:
    check_transition(action, to)
    before = action.state
    action.state = to
    action.state_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(action, name, value)
    action.save(update_fields=["state", "state_changed_at", "updated_at", *fields])
    ActionEvent.objects.create(
        action=action,
        kind=ActionEvent.Kind.STATE_CHANGED,
        from_state=before,
        to_state=to,
        note=note,
        user=user,
    )
    _log(action, verb, user, from_state=before, to_state=str(to))


def _refresh(original: Action, locked: Action) -> Action:
    """Give the caller's instance the saved values, so it never holds a stale state."""
    original.refresh_from_db()
    return original


def start(action: Action, user) -> Action:
    with transaction.atomic():
        locked = _lock(action)
        _require_updater(user, locked)
        _move(locked, user, S.IN_PROGRESS, "started")
    return _refresh(action, locked)


def record_progress(action: Action, user, text: str) -> Action:
    text = (text or "").strip()
    if not text:
        raise ActionStateError("Enter what has happened since the last update")
    with transaction.atomic():
        locked = _lock(action)
        _require_updater(user, locked)
        if locked.state in (S.EMBEDDED, S.NOT_ACHIEVED):
            raise ActionStateError("A closed action takes no more progress updates")
        locked.progress = text
        locked.save(update_fields=["progress", "updated_at"])
        ActionEvent.objects.create(
            action=locked, kind=ActionEvent.Kind.PROGRESS, note=text, user=user
        )
        _log(locked, "progress", user)
    return _refresh(action, locked)


def evidence_collection():
    from wagtail.models import Collection

    return Collection.objects.get(depth=2, name=EVIDENCE_COLLECTION)


def _store_document(action: Action, user, uploaded):
    """Keep the uploaded file as a Wagtail document in the private evidence collection.

    The title names only the action: a file's own name may say more than it should, and
    document titles are searchable in the admin."""
    from wagtail.documents import get_document_model

    # The form said so at the field already; this holds for every other caller too.
    try:
        check_content(uploaded)
    except ContentMismatch as error:
        raise ActionStateError(str(error)) from error
    Document = get_document_model()
    document = Document(
        title=f"Evidence for {action.reference}",
        file=uploaded,
        collection=evidence_collection(),
        uploaded_by_user=user,
    )
    document._set_document_file_metadata()
    document.save()
    return document


def add_evidence(
    action: Action,
    user,
    kind: EvidenceKind,
    text: str,
    impact_type: ImpactType | str | None = None,
    document_file=None,
) -> Evidence:
    kind = EvidenceKind(kind)
    text = (text or "").strip()
    if not text:
        raise ActionStateError("Enter what the evidence shows")
    if kind == EvidenceKind.IMPACT and not impact_type:
        raise ActionStateError(
            "Choose what kind of evidence of impact this is: a re-audit, a practitioner survey, "
            "a training evaluation or another kind"
        )
    if kind == EvidenceKind.COMPLETION and impact_type:
        raise ActionStateError("Evidence of completion has no impact type")
    if impact_type:
        impact_type = ImpactType(impact_type)
    with transaction.atomic():
        locked = _lock(action)
        _require_updater(user, locked)
        if locked.state in (S.EMBEDDED, S.NOT_ACHIEVED):
            raise ActionStateError("Evidence cannot be added to a closed action")
        document = _store_document(locked, user, document_file) if document_file else None
        evidence = _record_evidence(locked, user, kind, impact_type, text, document)
    action.refresh_from_db()
    return evidence


def add_re_audit_evidence(action: Action, user, text: str) -> Evidence:
    """A re-audit's grades beside the earlier audit's, as the action's evidence of impact. Unlike
    other evidence it may land on an embedded action: whether learning stuck is tested after the
    sign-off, and a re-audit that finds it did not is what the partnership most needs to see on
    the action it signed off."""
    with transaction.atomic():
        locked = _lock(action)
        _require_updater(user, locked)
        if locked.state == S.NOT_ACHIEVED:
            raise ActionStateError("A re-audit cannot evidence an action closed as not achieved")
        evidence = _record_evidence(
            locked, user, EvidenceKind.IMPACT, ImpactType.RE_AUDIT, text.strip(), None
        )
    action.refresh_from_db()
    return evidence


def _record_evidence(locked: Action, user, kind, impact_type, text, document) -> Evidence:
    evidence = Evidence.objects.create(
        action=locked,
        kind=kind,
        impact_type=impact_type or "",
        text=text,
        document=document,
        added_by=user,
    )
    ActionEvent.objects.create(
        action=locked, kind=ActionEvent.Kind.EVIDENCE, note=kind.label, user=user
    )
    _log(
        locked,
        "evidence_added",
        user,
        kind=str(kind),
        impact_type=str(impact_type or ""),
        document=document.pk if document else None,
    )
    return evidence


def complete(action: Action, user) -> Action:
    with transaction.atomic():
        locked = _lock(action)
        _require_updater(user, locked)
        check_transition(locked, S.COMPLETED)
        if not has_evidence(locked, EvidenceKind.COMPLETION):
            raise ActionStateError("An action needs evidence of completion before it is completed")
        _move(locked, user, S.COMPLETED, "completed")
    return _refresh(action, locked)


def evidence_impact(action: Action, user) -> Action:
    with transaction.atomic():
        locked = _lock(action)
        _require_updater(user, locked)
        check_transition(locked, S.IMPACT_EVIDENCED)
        if not has_evidence(locked, EvidenceKind.IMPACT):
            raise ActionStateError(
                "An action needs evidence of impact before its impact is marked as evidenced"
            )
        _move(locked, user, S.IMPACT_EVIDENCED, "impact_evidenced")
    return _refresh(action, locked)


def embed(action: Action, user) -> Action:
    with transaction.atomic():
        locked = _lock(action)
        _require(
            may_sign_off(user, locked),
            "Only quality assurance of the owning partnership can sign off an action as embedded",
        )
        check_transition(locked, S.EMBEDDED)
        if not has_evidence(locked, EvidenceKind.IMPACT):
            raise ActionStateError("An action needs evidence of impact before it is embedded")
        _move(
            locked,
            user,
            S.EMBEDDED,
            "embedded",
            embedded_by=user,
            embedded_at=timezone.now(),
        )
    return _refresh(action, locked)


def close_not_achieved(action: Action, user, reason: str) -> Action:
    reason = (reason or "").strip()
    if not reason:
        raise ActionStateError("Enter why the action was not achieved")
    with transaction.atomic():
        locked = _lock(action)
        _require(
            may_close(user, locked),
            "Only quality assurance or a partnership manager of the owning partnership can close "
            "an action as not achieved",
        )
        _move(locked, user, S.NOT_ACHIEVED, "not_achieved", note=reason, closed_reason=reason)
    return _refresh(action, locked)


def pending_extension(action: Action) -> ExtensionRequest | None:
    return action.extension_requests.filter(decision=ExtensionDecision.PENDING).first()


def request_extension(action: Action, user, new_date: date, reason: str) -> ExtensionRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ActionStateError("Enter why the action needs more time")
    with transaction.atomic():
        locked = _lock(action)
        _require_updater(user, locked)
        if locked.state not in (S.OPEN, S.IN_PROGRESS):
            raise ActionStateError("Only an action that is still open can have more time")
        if new_date <= locked.due_date:
            raise ActionStateError(
                f"The new due date must be after the current due date, {long_date(locked.due_date)}"
            )
        if pending_extension(locked) is not None:
            raise ActionStateError(
                "This action already has an extension request waiting for a decision"
            )
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    action=locked, requested_due_date=new_date, reason=reason, requested_by=user
                )
        except IntegrityError as error:  # a request made at the same moment won the race
            raise ActionStateError(
                "This action already has an extension request waiting for a decision"
            ) from error
        ActionEvent.objects.create(
            action=locked,
            kind=ActionEvent.Kind.EXTENSION_REQUESTED,
            note=f"Asked for {long_date(new_date)}: {reason}",
            user=user,
        )
        _log(
            locked,
            "extension_requested",
            user,
            due_date=locked.due_date.isoformat(),
            requested_due_date=new_date.isoformat(),
        )
    action.refresh_from_db()
    return request


def decide_extension(request: ExtensionRequest, user, approve: bool, note: str = "") -> Action:
    original = request
    note = (note or "").strip()
    if not approve and not note:
        raise ActionStateError("Enter why the extension is refused, so the agency knows")
    with transaction.atomic():
        action = _lock(request.action)
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        _require(
            may_sign_off(user, action),
            "Only quality assurance of the owning partnership can decide an extension request",
        )
        if request.decision != ExtensionDecision.PENDING:
            raise ActionStateError("This extension request has already been decided")
        if request.requested_by_id == user.pk:
            raise ActionPermissionError("Someone else must decide your own extension request")
        request.decision = ExtensionDecision.APPROVED if approve else ExtensionDecision.REFUSED
        request.decided_by = user
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        before = action.due_date
        if approve:
            # The first agreed date stays on record however many extensions follow.
            action.original_due_date = action.original_due_date or action.due_date
            action.due_date = request.requested_due_date
            action.save(update_fields=["due_date", "original_due_date", "updated_at"])
        verb = "approved" if approve else "refused"
        ActionEvent.objects.create(
            action=action,
            kind=ActionEvent.Kind.EXTENSION_DECIDED,
            note=f"Extension to {long_date(request.requested_due_date)} {verb}"
            + (f": {note}" if note else ""),
            user=user,
        )
        _log(
            action,
            f"extension_{verb}",
            user,
            due_date=before.isoformat(),
            requested_due_date=request.requested_due_date.isoformat(),
        )
    original.refresh_from_db()
    return action


# Evidence documents: as private as the actions that cite them (`partnership.documents`).
EVIDENCE_DOCUMENTS = HeldDocuments(Action, Evidence, "action", EVIDENCE_COLLECTION)


def actions_awaiting_sign_off(user):
    """What quality assurance decides: actions of their partnership with impact evidenced."""
    if not has_role(user, Role.QUALITY_ASSURANCE) or membership_of(user) is None:
        return Action.objects.none()
    return Action.objects.visible_to(user).filter(
        partnership_id=membership_of(user).partnership_id, state=S.IMPACT_EVIDENCED
    )


def extension_requests_awaiting_decision(user):
    if not has_role(user, Role.QUALITY_ASSURANCE) or membership_of(user) is None:
        return ExtensionRequest.objects.none()
    actions = Action.objects.visible_to(user).filter(
        partnership_id=membership_of(user).partnership_id
    )
    return ExtensionRequest.objects.filter(
        Q(action__in=actions), decision=ExtensionDecision.PENDING
    )


def max_upload_bytes() -> int:
    return getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
