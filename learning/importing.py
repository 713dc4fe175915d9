"""Import follow-up actions from a partnership's tracker (CSV or XLSX), whole or nothing.

Every row is checked before anything is written, and every problem is reported in words with its
row and column ("row 3, due_date: 31/02/2026 is not a date"; the header is row 1), so that a
business unit can fix the whole spreadsheet in one pass. Re-importing a file updates the actions
by reference.

An import writes only what its user may change (`partnership.importing.ImportRights`: actions of
their own partnership, or that they lead), and it never moves an action through the lifecycle:
a new action arrives open or in progress, and an existing one keeps the state the services in
`learning.actions` gave it (`imported_state_refusal` says why a row is refused)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partnership.importing import ImportRights
from partnership.models import Agency, Theme
from partnership.spreadsheets import ImportFileError, RowError, cell_text, parse_date, read_table
from reviews.models import Recommendation, Review, ReviewType

from .actions import imported_state_refusal
from .models import Action, ActionEvent, ActionSource, ActionState

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
REQUIRED = ["reference", "review_reference", "description", "owner_agency", "due_date"]

SOURCE_BY_REVIEW_TYPE = {
    ReviewType.MULTI_AGENCY_AUDIT: ActionSource.AUDIT,
    ReviewType.SECTION_11_AUDIT: ActionSource.AUDIT,
    ReviewType.SECTION_175_AUDIT: ActionSource.AUDIT,
    ReviewType.PEER_REVIEW: ActionSource.PEER_REVIEW,
}


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s); nothing was imported")


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    recommendations_added: int = 0


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


Progress = Callable[[str, int, int], None]


def may_import_actions(user) -> bool:
    """An import adds and changes actions, so it takes both of the role's model permissions
    (quality assurance and partnership managers); the access policy then says which actions."""
    return user.is_active and user.has_perms(["learning.add_action", "learning.change_action"])


def read_file(path: str | Path) -> list[dict]:
    """The rows of a CSV or XLSX file as dicts keyed by the normalised header, each with its
    spreadsheet row number under "_row"."""
    try:
        table = read_table(path)
    except ImportFileError as exc:
        raise ImportFailed([RowError(1, "file", str(exc))]) from exc
    missing = [name for name in COLUMNS if name not in table.columns]
    if missing:
        raise ImportFailed([RowError(1, name, "the column is missing") for name in missing])
    return [{**cells, "_row": number} for number, cells in table.rows]


def _blank(value) -> bool:
    return not cell_text(value)


def _text(value) -> str:
    return cell_text(value)


def fold(text: str) -> str:
    """Text compared as people mean it: case and runs of whitespace ignored."""
    return " ".join((text or "").split()).casefold()


class _Resolver:
    """Looks things up once per distinct value, so a file of thousands of rows costs queries in
    proportion to its reviews, agencies, leads and themes, not its rows."""

    def __init__(self, rows: list[dict]):
        self.actions = {
            a.reference: a
            for a in Action.objects.filter(reference__in=[_text(r.get("reference")) for r in rows])
        }
        references = {_text(r.get("review_reference")) for r in rows}
        self.reviews = {
            fold(r.reference): r
            for r in Review.objects.filter(reference__in=references).select_related(
                "lead_partnership"
            )
        }
        # Matched exactly first; a case-insensitive fallback catches "wir-rr-1" (and remembers
        # a miss, so a wrong reference on a thousand rows is asked about once).
        self._agencies: dict = {}
        self._users: dict = {}
        self._themes: dict = {}
        self._review_themes: dict = {}
        self.recommendations: dict[int, dict[str, Recommendation]] = {}
        for rec in Recommendation.objects.filter(review__in=list(self.reviews.values())):
            self.recommendations.setdefault(rec.review_id, {}).setdefault(fold(rec.text), rec)

    def review(self, reference: str) -> Review | None:
        key = fold(reference)
        if key not in self.reviews:
            self.reviews[key] = (
                Review.objects.filter(reference__iexact=reference)
                .select_related("lead_partnership")
                .first()
            )
        return self.reviews[key]

    def agencies(self, partnership, term: str) -> list[Agency]:
        key = (partnership.pk, fold(term))
        if key not in self._agencies:
            self._agencies[key] = list(
                Agency.objects.filter(partnership=partnership).matching(term)
            )
        return self._agencies[key]

    def user(self, email: str):
        key = fold(email)
        if key not in self._users:
            self._users[key] = get_user_model().objects.filter(email__iexact=email).first()
        return self._users[key]

    def themes(self, term: str) -> list[Theme]:
        key = fold(term)
        if key not in self._themes:
            self._themes[key] = list(Theme.objects.matching(term))
        return self._themes[key]

    def review_themes(self, review: Review) -> list[Theme]:
        if review.pk not in self._review_themes:
            self._review_themes[review.pk] = list(review.themes.all())
        return self._review_themes[review.pk]


@dataclass
class Plan:
    rows: list[PlannedRow]
    # The reviews' recommendations by folded text, which the import adds to.
    recommendations: dict[int, dict[str, Recommendation]]


def validate(rows: list[dict], progress: Progress | None = None, user=None) -> Plan:
    """Every row checked, every problem collected; raises ImportFailed naming them all."""
    resolver = _Resolver(rows)
    rights = ImportRights(user, resolver.actions.values())
    errors: list[RowError] = []
    planned: list[PlannedRow] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=1):
        n = raw["_row"]
        row_errors: list[RowError] = []

        def problem(column, message, n=n, row_errors=row_errors):
            row_errors.append(RowError(n, column, message))

        for column in REQUIRED:
            if _blank(raw.get(column)):
                problem(column, "is empty")

        reference = _text(raw.get("reference"))
        if reference:
            if len(reference) > Action._meta.get_field("reference").max_length:
                problem("reference", f"{reference} is longer than 40 characters")
            elif fold(reference) in seen:
                problem("reference", f"{reference} is also on row {seen[fold(reference)]}")
            else:
                seen[fold(reference)] = n

        current = resolver.actions.get(reference)
        changeable = current is not None and rights.may_change(current)
        review = None
        review_reference = _text(raw.get("review_reference"))
        if review_reference:
            review = resolver.review(review_reference)
            # An action they may change stays with its review; any other row puts an action in
            # the review's partnership, which must be their own. Asked alike of a review that
            # exists and one that does not, so a refusal never says which.
            allowed = review is not None and (
                (changeable and current.review_id == review.pk)
                or rights.may_create(Action(partnership=review.lead_partnership))
            )
            refusal = rights.refuse_parent(
                n, "review_reference", "review", review_reference, review, allowed
            )
            if refusal:
                row_errors.append(refusal)
                # Nothing more is said of it: not its agencies, nor its themes.
                review = None
            else:
                refusal = rights.refuse_record(n, "reference", "action", reference, current)
                if refusal:
                    row_errors.append(refusal)
                    changeable = False

        agency = None
        agency_term = _text(raw.get("owner_agency"))
        if agency_term and review is not None:
            matches = resolver.agencies(review.lead_partnership, agency_term)
            if not matches:
                problem(
                    "owner_agency",
                    f"no agency of {review.lead_partnership} is called {agency_term}",
                )
            elif len(matches) > 1:
                names = "; ".join(a.name for a in matches)
                problem(
                    "owner_agency",
                    f"{agency_term} could be any of {len(matches)} agencies ({names}): "
                    "give the agency's name",
                )
            else:
                agency = matches[0]

        lead = None
        email = _text(raw.get("lead_email"))
        if email:
            lead = resolver.user(email)
            if lead is None:
                problem("lead_email", f"no one in the Hub has the email address {email}")

        due = None
        if not _blank(raw.get("due_date")):
            try:
                due = parse_date(raw.get("due_date"))
            except ValueError as exc:
                problem("due_date", str(exc))

        state = None
        state_text = _text(raw.get("state"))
        if state_text:
            state = ActionState.from_text(state_text)
            if state is None:
                names = ", ".join(str(label).casefold() for _, label in ActionState.choices)
                problem("state", f"{state_text} is not a state (one of: {names})")
            elif current is None or changeable:
                refusal = imported_state_refusal(current.state if current else None, state)
                if refusal:
                    problem("state", refusal)

        themes: list[Theme] = []
        themes_text = _text(raw.get("themes"))
        if themes_text:
            for term in (t.strip() for t in themes_text.split(";")):
                if not term:
                    continue
                found = resolver.themes(term)
                if not found:
                    problem("themes", f"{term} is not a theme")
                else:
                    themes.extend(found)
        elif review is not None:
            themes = resolver.review_themes(review)

        recommendation_text = " ".join(_text(raw.get("recommendation")).split())
        if row_errors:
            errors.extend(row_errors)
        else:
            planned.append(
                PlannedRow(
                    row=n,
                    reference=reference,
                    review=review,
                    recommendation_key=fold(recommendation_text) or None,
                    recommendation_text=recommendation_text,
                    description=_text(raw.get("description")),
                    agency=agency,
                    lead=lead,
                    due_date=due,
                    state=state,
                    themes=list(dict.fromkeys(themes)),
                )
            )
        if progress:
            progress("checked", index, len(rows))
    if errors:
        raise ImportFailed(errors)
    return Plan(rows=planned, recommendations=resolver.recommendations)


def import_rows(
    rows: list[dict], user=None, note: str = "Imported", progress: Progress | None = None
) -> ImportResult:
    """Validate every row, then write them all in one transaction or none at all."""
    checked = validate(rows, progress, user=user)
    planned = checked.rows
    result = ImportResult()
    existing = {
        a.reference: a for a in Action.objects.filter(reference__in=[p.reference for p in planned])
    }
    now = timezone.now()
    with transaction.atomic():
        for index, plan in enumerate(planned, start=1):
            recommendation = _recommendation_for(plan, checked.recommendations, result)
            action = existing.get(plan.reference)
            fields = {
                "review": plan.review,
                "recommendation": recommendation,
                "partnership": plan.review.lead_partnership,
                "description": plan.description,
                "owner_agency": plan.agency,
                "lead": plan.lead,
                "due_date": plan.due_date,
                "source": SOURCE_BY_REVIEW_TYPE.get(
                    plan.review.review_type, ActionSource.RECOMMENDATION
                ),
            }
            if action is None:
                action = Action(reference=plan.reference, **fields)
                action.state = plan.state or ActionState.OPEN
                action.state_changed_at = now
                action.save()
                ActionEvent.objects.create(
                    action=action,
                    kind=ActionEvent.Kind.CREATED,
                    to_state=action.state,
                    user=user,
                    note=note,
                )
                result.created.append(action.reference)
            else:
                for name, value in fields.items():
                    setattr(action, name, value)
                # Never the state: only the lifecycle services move it, and one of them may
                # have moved it since this file was checked.
                action.save(update_fields=[*fields, "updated_at"])
                ActionEvent.objects.create(
                    action=action, kind=ActionEvent.Kind.EDITED, user=user, note=note
                )
                result.updated.append(action.reference)
            action.themes.set(plan.themes)
            if progress:
                progress("imported", index, len(planned))
    return result


def _recommendation_for(plan: PlannedRow, by_review: dict, result: ImportResult):
    """The review's recommendation with this text, added to the review if it has none."""
    if not plan.recommendation_key:
        return None
    known = by_review.setdefault(plan.review.pk, {})
    if plan.recommendation_key not in known:
        last = Recommendation.objects.filter(review=plan.review).aggregate(n=Max("sort_order"))
        known[plan.recommendation_key] = Recommendation.objects.create(
            review=plan.review,
            text=plan.recommendation_text,
            sort_order=(last["n"] if last["n"] is not None else -1) + 1,
        )
        result.recommendations_added += 1
    return known[plan.recommendation_key]


def import_file(path, user=None, progress: Progress | None = None) -> ImportResult:
    return import_rows(
        read_file(path), user=user, note=f"Imported from {Path(path).name}", progress=progress
    )


def describe(errors: Iterable[RowError]) -> list[str]:
    return [str(e) for e in errors]
