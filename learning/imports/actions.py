"""The actions import: follow-up actions from a partnership's tracker, one per row.

Every problem is reported in words with its row and column ("row 3, due_date: 31/02/2026 is not
a date"; the header is row 1), so that a business unit can fix the whole spreadsheet in one
pass. Re-importing a file updates the actions by reference.

An import writes only what its user may change (`partnership.importing.ImportRights`: actions of
their own partnership, or that they lead), and it never moves an action through the lifecycle:
a new action arrives open or in progress, and an existing one keeps the state the services in
`learning.actions` gave it (`imported_state_refusal` says why a row is refused)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hub.importing import (
    Columns,
    Importer,
    ImportResult,
    Progress,
    Row,
    Writing,
    parse_date,
    run_import,
)
from hub.importing.indexing import index_saved
from partnership.importing import ImportRights
from partnership.models import Agency, Theme
from reviews.models import Review

from ..actions import imported_state_refusal
from ..models import Action, ActionState
from .resolver import Resolver, fold
from .writing import write_actions

COLUMNS = [
    "reference",
    "review_reference",
    "recommendation",
    "description",
    "owner_agency",
    "lead_email",
    "due_date",
    "state",
    "themes",
]
# Columns every row fills in; the others may be empty, but every column must be in the file.
REQUIRED = ["reference", "review_reference", "description", "owner_agency", "due_date"]


def may_import_actions(user) -> bool:
    """An import adds and changes actions, so it takes both of the role's model permissions
    (quality assurance and partnership managers); the access policy then says which actions."""
    return user.is_active and user.has_perms(["learning.add_action", "learning.change_action"])


@dataclass
class PlannedRow:
    row: int
    reference: str
    review: Review
    recommendation_key: str | None
    recommendation_text: str
    description: str
    agency: Agency
    lead: object
    due_date: date
    state: ActionState | None
    themes: list[Theme]


@dataclass
class ActionsPlan:
    resolver: Resolver
    rights: ImportRights
    user: object
    note: str
    seen: dict[str, int] = field(default_factory=dict)
    pending: dict = field(default_factory=dict)


class ActionsImport(Importer):
    noun = "action"
    columns = Columns(required=tuple(COLUMNS))

    def plan(self, table, user) -> ActionsPlan:
        resolver = Resolver([cells for _, cells in table.rows])
        note = f"Imported from {table.name}" if table.name else "Imported"
        return ActionsPlan(resolver, ImportRights(user, resolver.actions.values()), user, note)

    def check(self, row: Row, plan: ActionsPlan) -> PlannedRow | None:
        for column in REQUIRED:
            if not row.text(column):
                row.error(column, "is empty")
        reference = _check_reference(row, plan)
        current = plan.resolver.actions.get(reference)
        review, changeable = _check_review(row, plan, reference, current)
        agency = _check_agency(row, plan.resolver, review)
        lead = _check_lead(row, plan.resolver)
        due = None
        if row.text("due_date"):
            try:
                due = parse_date(row.value("due_date"))
            except ValueError as exc:
                row.error("due_date", str(exc))
        state = _check_state(row, current, changeable)
        themes = _themes(row, plan.resolver, review)
        if not row.ok:
            return None
        recommendation_text = " ".join(row.text("recommendation").split())
        return PlannedRow(
            row=row.number,
            reference=reference,
            review=review,
            recommendation_key=fold(recommendation_text) or None,
            recommendation_text=recommendation_text,
            description=row.text("description"),
            agency=agency,
            lead=lead,
            due_date=due,
            state=state,
            themes=list(dict.fromkeys(themes)),
        )

    def write(self, changes: list[PlannedRow], plan: ActionsPlan, writing: Writing) -> None:
        plan.pending = write_actions(changes, plan.resolver, plan.user, plan.note, writing)

    def written(self, plan: ActionsPlan, writing: Writing) -> None:
        index_saved(plan.pending)


def _check_reference(row: Row, plan: ActionsPlan) -> str:
    reference = row.text("reference")
    if not reference:
        return reference
    if len(reference) > Action._meta.get_field("reference").max_length:
        row.error("reference", f"{reference} is longer than 40 characters")
    elif fold(reference) in plan.seen:
        row.error("reference", f"{reference} is also on row {plan.seen[fold(reference)]}")
    else:
        plan.seen[fold(reference)] = row.number
    return reference


def _check_review(row: Row, plan: ActionsPlan, reference: str, current):
    """(the row's review if they may import into it, whether they may change `current`).

    An action they may change stays with its review; any other row puts an action in the
    review's partnership, which must be their own. Asked alike of a review that exists and one
    that does not, so a refusal never says which; nothing more is said of a refused review (not
    its agencies, nor its themes)."""
    rights = plan.rights
    changeable = current is not None and rights.may_change(current)
    review_reference = row.text("review_reference")
    if not review_reference:
        return None, changeable
    review = plan.resolver.review(review_reference)
    allowed = review is not None and (
        (changeable and current.review_id == review.pk)
        or rights.may_create(Action(partnership=review.lead_partnership))
    )
    refusal = rights.refuse_parent(
        row.number, "review_reference", "review", review_reference, review, allowed
    )
    if refusal:
        row.add(refusal)
        return None, changeable
    refusal = rights.refuse_record(row.number, "reference", "action", reference, current)
    if refusal:
        row.add(refusal)
        changeable = False
    return review, changeable


def _check_agency(row: Row, resolver: Resolver, review) -> Agency | None:
    term = row.text("owner_agency")
    if not term or review is None:
        return None
    matches = resolver.agencies(review.lead_partnership, term)
    if not matches:
        row.error("owner_agency", f"no agency of {review.lead_partnership} is called {term}")
    elif len(matches) > 1:
        names = "; ".join(a.name for a in matches)
        row.error(
            "owner_agency",
            f"{term} could be any of {len(matches)} agencies ({names}): give the agency's name",
        )
    else:
        return matches[0]
    return None


def _check_lead(row: Row, resolver: Resolver):
    email = row.text("lead_email")
    if not email:
        return None
    lead = resolver.user(email)
    if lead is None:
        row.error("lead_email", f"no one in the Hub has the email address {email}")
    return lead


def _check_state(row: Row, current, changeable: bool) -> ActionState | None:
    text = row.text("state")
    if not text:
        return None
    state = ActionState.from_text(text)
    if state is None:
        names = ", ".join(str(label).casefold() for _, label in ActionState.choices)
        row.error("state", f"{text} is not a state (one of: {names})")
    elif current is None or changeable:
        refusal = imported_state_refusal(current.state if current else None, state)
        if refusal:
            row.error("state", refusal)
    return state


def _themes(row: Row, resolver: Resolver, review) -> list[Theme]:
    """The row's themes; with none, its review's."""
    text = row.text("themes")
    if not text:
        return resolver.review_themes(review) if review is not None else []
    themes: list[Theme] = []
    for term in (t.strip() for t in text.split(";")):
        if not term:
            continue
        found = resolver.themes(term)
        if not found:
            row.error("themes", f"{term} is not a theme")
        themes.extend(found)
    return themes


def import_actions(
    source, *, name: str = "", user=None, progress: Progress | None = None
) -> ImportResult:
    """Create or update one action per row, all or none (see `ActionsImport`)."""
    return run_import(ActionsImport(), source, name=name, user=user, progress=progress)
