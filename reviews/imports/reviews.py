"""The reviews import: one review per row of a partnership's tracker.

A tracker is a spreadsheet kept by hand for years: headers in any case, dates as 31/03/2025 or as
real date cells, types as "Rapid review" or "LCSPR", agencies as "Police" or "Health". Each row
is read the way the partnership wrote it and checked here; `hub.importing` reads the file,
collects every problem and lands the file whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from wagtail.actions import action_registry

from hub.importing import (
    Columns,
    Importer,
    ImportResult,
    Progress,
    Row,
    RowProblems,
    Writing,
    cell_text,
    errors_from_validation,
    parse_date,
    run_import,
    split_list,
)
from hub.importing.indexing import index_saved
from partnership.importing import ImportRights

from ..models import Decision, Review, ReviewType
from .indexing import IndexingDeferred
from .vocabulary import (
    Vocabulary,
    agencies_of,
    check_length,
    parse_status,
    sharing_level_of,
    themes_of,
)

COLUMNS = Columns(
    required=("reference", "type", "title", "lead_partnership"),
    optional=(
        "subject_pseudonym",
        "sharing_level",
        "themes",
        "agencies",
        "incident_date",
        "aware_date",
        "notification_date",
        "decision",
        "summary",
    ),
    # Not in a typical tracker, but written by the export so that a round trip keeps who takes
    # part in a cross-boundary review (which decides who sees it) and where each review has got.
    extra=("participating_partnerships", "status"),
    # Due dates are computed, never imported.
    ignored_prefixes=("due_",),
)
# The order of the upload page and the export.
REVIEW_COLUMNS = (
    "reference",
    "type",
    "title",
    "subject_pseudonym",
    "lead_partnership",
    "sharing_level",
    "themes",
    "agencies",
    "incident_date",
    "aware_date",
    "notification_date",
    "decision",
    "summary",
)
REVIEW_OPTIONAL_COLUMNS = COLUMNS.extra

# Dates each type cannot do without; every other column may be empty.
DATES_REQUIRED_BY_TYPE = {ReviewType.RAPID_REVIEW: ("aware_date",)}
DATE_COLUMNS = ("incident_date", "aware_date", "notification_date")
DATE_ORDER = (("incident_date", "aware_date"), ("aware_date", "notification_date"))


@dataclass
class ReviewChange:
    row: int
    reference: str
    existing_pk: int | None
    fields: dict
    themes: list | None = None
    agencies: list | None = None
    participating: list | None = None


@dataclass
class ReviewsPlan:
    vocab: Vocabulary
    existing: dict[str, Review]
    rights: ImportRights
    user: object
    seen: dict[str, int] = field(default_factory=dict)
    pending: dict = field(default_factory=dict)


class ReviewsImport(Importer):
    """Create or update one review per row. Each review is saved through Wagtail's create or
    edit action and published, with a revision and a `wagtail.create` or `wagtail.edit` log
    entry by the importing person: the tracker holds the partnership's live records, so they
    arrive live."""

    noun = "review"
    columns = COLUMNS

    def plan(self, table, user) -> ReviewsPlan:
        references = [cell_text(cells.get("reference")) for _, cells in table.rows]
        existing = {
            review.reference: review
            for review in Review.objects.filter(reference__in=[r for r in references if r]).only(
                "pk", "reference", "lead_partnership_id", "review_type", *DATE_COLUMNS
            )
        }
        return ReviewsPlan(Vocabulary(), existing, ImportRights(user, existing.values()), user)

    def check(self, row: Row, plan: ReviewsPlan) -> ReviewChange | None:
        reference = _check_reference(row, plan)
        current = plan.existing.get(reference)
        fields: dict = {}
        review_type = _check_type(row, fields)
        _check_texts(row, fields)
        lead = _check_lead(row, plan, reference, current, fields)
        participating = _participating(row, plan.vocab, lead)
        level = sharing_level_of(row)
        if level is not None:
            fields["sharing_level"] = level.value
        themes = themes_of(row, plan.vocab)
        agencies = None
        if "agencies" in row and lead is not None:
            agencies = agencies_of(row, plan.vocab, lead, participating or [])
        _check_dates(row, plan, current, review_type, fields)
        _check_decision_and_status(row, fields)
        if not row.ok:
            return None
        return ReviewChange(
            row=row.number,
            reference=reference,
            existing_pk=current.pk if current else None,
            fields=fields,
            themes=themes,
            agencies=agencies,
            participating=participating,
        )

    def writing(self, plan: ReviewsPlan):
        return IndexingDeferred(plan)

    def write(self, changes: list[ReviewChange], plan: ReviewsPlan, writing: Writing) -> None:
        for change in changes:
            _save_review(change, plan.user, writing.result)
            writing.saved()

    def written(self, plan: ReviewsPlan, writing: Writing) -> None:
        index_saved(plan.pending)


def _check_reference(row: Row, plan: ReviewsPlan) -> str:
    reference = row.text("reference")
    if not reference:
        row.error("reference", "is empty; every review needs its reference")
        return reference
    check_length(row, "reference", reference, 40)
    if reference in plan.seen:
        row.error("reference", f"{reference} is also on row {plan.seen[reference]}")
    else:
        plan.seen[reference] = row.number
    return reference


def _check_type(row: Row, fields: dict) -> ReviewType | None:
    text = row.text("type")
    review_type = ReviewType.from_text(text)
    if not text:
        row.error("type", "is empty; say which kind of review this is")
    elif review_type is None:
        row.error(
            "type",
            f"{text} is not a type of review (use a name such as Rapid review, LCSPR, SAR, "
            "DARDR, Multi-agency audit, Section 11 audit or Peer review)",
        )
    else:
        fields["review_type"] = review_type.value
    return review_type


def _check_texts(row: Row, fields: dict) -> None:
    title = row.text("title")
    if not title:
        row.error("title", "is empty")
    else:
        check_length(row, "title", title, 255)
        fields["title"] = title
    if "subject_pseudonym" in row:
        pseudonym = row.text("subject_pseudonym")
        check_length(row, "subject_pseudonym", pseudonym, 60)
        fields["subject_pseudonym"] = pseudonym
    if "summary" in row:
        fields["summary"] = row.text("summary")


def _check_lead(row: Row, plan: ReviewsPlan, reference, current, fields: dict):
    name = row.text("lead_partnership")
    if not name:
        row.error("lead_partnership", "is empty")
        return None
    lead = plan.vocab.partnership(name)
    if lead is None:
        row.error("lead_partnership", f"there is no partnership called {name}")
        return None
    fields["lead_partnership"] = lead
    row.add(_review_refusal(row.number, reference, lead, current, plan.rights))
    return lead


def _review_refusal(row, reference, lead, current, rights: ImportRights):
    """Whether this person may write this row: the reviews they may change keep their lead (a
    panel member from another partnership edits the review they sit on); every other row creates
    or moves a review into `lead`, which must be their own partnership. That is asked first and
    alike for a reference that exists and one that does not, so that a review led elsewhere and
    hidden from them is refused in the same words as one that was never there."""
    if current is not None and rights.may_change(current):
        if current.lead_partnership_id == lead.pk:
            return None
    elif rights.may_create(Review(lead_partnership=lead)):
        return rights.refuse_record(row, "reference", "review", reference, current)
    return rights.refuse_partnership(
        row, "lead_partnership", "review", Review(lead_partnership=lead), lead
    )


def _participating(row: Row, vocab: Vocabulary, lead) -> list | None:
    if "participating_partnerships" not in row:
        return None
    participating = []
    for term in split_list(row.value("participating_partnerships")):
        partnership = vocab.partnership(term)
        if partnership is None:
            row.error("participating_partnerships", f"there is no partnership called {term}")
        elif partnership != lead and partnership not in participating:
            participating.append(partnership)
    return participating


def _check_dates(row: Row, plan: ReviewsPlan, current, review_type, fields: dict) -> None:
    dates = {}
    for column in DATE_COLUMNS:
        if column in row:
            try:
                dates[column] = fields[column] = parse_date(row.value(column))
            except ValueError as exc:
                row.error(column, str(exc))
        elif current is not None and plan.rights.may_change(current):
            # A review they may not change lends the check none of its dates: comparing them
            # would tell someone a hidden review's dates, or that it exists.
            dates[column] = getattr(current, column)
    for column in DATES_REQUIRED_BY_TYPE.get(review_type, ()):
        needs = f"a {review_type.label.lower()} needs it"
        if column in dates and dates[column] is None:
            row.error(column, f"is empty; {needs}")
        elif column not in dates and not any(e.column == column for e in row.errors):
            row.error(column, f"is missing; {needs}")
    for earlier, later in DATE_ORDER:
        if dates.get(earlier) and dates.get(later) and dates[later] < dates[earlier]:
            row.error(
                later,
                f"{dates[later].isoformat()} is before {earlier} {dates[earlier].isoformat()}",
            )


def _check_decision_and_status(row: Row, fields: dict) -> None:
    if "decision" in row:
        text = row.text("decision")
        decision = Decision.from_text(text) if text else None
        if text and decision is None:
            row.error(
                "decision",
                f"{text} is not a decision (use LCSPR, national review, no further review, "
                "SAR or DARDR)",
            )
        else:
            fields["decision"] = decision.value if decision else ""
    if "status" in row and row.text("status"):
        status = parse_status(row.text("status"))
        if status is None:
            row.error(
                "status",
                f"{row.text('status')} is not a status (use Draft, In progress, Awaiting "
                "sign-off, Signed off / submitted, Published, Not published or Embargoed)",
            )
        else:
            fields["status"] = status.value


def run_action(instance, action_name: str, user, row: int) -> None:
    """Save through Wagtail's own create or edit action, so revisions, the history log and any
    project-specific action registered for reviews all see the import."""
    action_class = action_registry.get_action_class(type(instance), action_name)
    try:
        action_class(instance, user=user, publish=True).execute(skip_permission_checks=True)
    except ValidationError as exc:
        raise RowProblems(errors_from_validation(exc, row)) from exc


def _save_review(change: ReviewChange, user, result: ImportResult) -> None:
    if change.existing_pk:
        review = Review.objects.get(pk=change.existing_pk)
        action = "edit"
    else:
        review = Review(reference=change.reference)
        action = "create"
    for name, value in change.fields.items():
        setattr(review, name, value)
    if change.themes is not None:
        review.themes.set(change.themes)
    if change.agencies is not None:
        review.agencies.set(change.agencies)
    if change.participating is not None:
        review.participating_partnerships.set(change.participating)
    run_action(review, action, user, change.row)
    if action == "create":
        result.created += 1
    else:
        result.updated += 1


def import_reviews(
    source, *, name: str = "", user=None, progress: Progress | None = None
) -> ImportResult:
    """Create or update one review per row, all or none (see `ReviewsImport`)."""
    return run_import(ReviewsImport(), source, name=name, user=user, progress=progress)
