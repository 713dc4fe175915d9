"""Bringing a partnership's existing review tracker into the Hub, from CSV or XLSX.

A tracker is a spreadsheet kept by hand for years: headers in any case, dates as 31/03/2025 or as
real date cells, types as "Rapid review" or "LCSPR", agencies as "Police" or "Health". The import
reads it the way the partnership wrote it, checks every row before it changes anything, and lands
whole or not at all, so that nobody ever has to untangle a half-imported tracker.

Management commands and admin views call `import_reviews` and `import_findings`; the rules live
here and nowhere else.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_save
from wagtail.actions import action_registry

from partnership.access import SharingLevel, has_role, membership_of, sees_everything
from partnership.importing import ImportRights
from partnership.models import Agency, Partnership, Role, Theme
from partnership.spreadsheets import (
    ImportFileError,
    RowError,
    Table,
    cell_text,
    parse_date,
    read_table,
    split_list,
)

from .models import Decision, Finding, Recommendation, Review, ReviewStatus, ReviewType

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
# Not in a typical tracker, but written by the export so that a round trip keeps who takes part
# in a cross-boundary review (which decides who sees it) and where each review has got to.
REVIEW_OPTIONAL_COLUMNS = ("participating_partnerships", "status")
REVIEW_REQUIRED_COLUMNS = ("reference", "type", "title", "lead_partnership")

FINDING_COLUMNS = (
    "review_reference",
    "finding",
    "recommendation",
    "themes",
    "agencies",
    "sharing_level",
)
FINDING_REQUIRED_COLUMNS = ("review_reference", "finding")

# Columns the export adds that an import reads past: due dates are computed, never imported.
IGNORED_COLUMN_PREFIXES = ("due_",)

# Dates each type cannot do without; every other column may be empty.
DATES_REQUIRED_BY_TYPE = {
    ReviewType.RAPID_REVIEW: ("aware_date",),
}

DATE_COLUMNS = ("incident_date", "aware_date", "notification_date")
PROGRESS_EVERY = 500
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

IMPORT_ROLES = (Role.PARTNERSHIP_MANAGER, Role.REVIEWER)

Progress = Callable[[str], None]

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    noun: str
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        if not self.ok:
            count = len(self.errors)
            problems = "problem" if count == 1 else "problems"
            return f"Nothing was imported: the file has {count} {problems}."
        plural = self.noun if self.total == 1 else f"{self.noun}s"
        return f"{self.total} {plural} imported ({self.created} new, {self.updated} updated)"


def may_import_reviews(user) -> bool:
    """Partnership managers and reviewers bring their partnership's tracker in."""
    return sees_everything(user) or (
        membership_of(user) is not None and has_role(user, *IMPORT_ROLES)
    )


def parse_sharing_level(text: str) -> SharingLevel | None:
    folded = " ".join(text.split()).casefold()
    for level in SharingLevel:
        if folded in (level.value, level.short_label.casefold(), level.label.casefold()):
            return level
    return None


def parse_status(text: str) -> ReviewStatus | None:
    folded = " ".join(text.replace("_", " ").split()).casefold()
    for status in ReviewStatus:
        if folded in (status.value.replace("_", " "), status.label.casefold()):
            return status
    return None


class Vocabulary:
    """Looks up partnerships, themes and agencies the way a tracker names them, once per name."""

    def __init__(self):
        self.partnerships = list(Partnership.objects.all())
        self._themes: dict[str, list[Theme]] = {}
        self._agencies: dict[tuple, list[Agency]] = {}

    def partnership(self, text: str) -> Partnership | None:
        folded = text.strip().casefold()
        for partnership in self.partnerships:
            if folded in (
                partnership.short_name.casefold(),
                partnership.name.casefold(),
                partnership.slug.casefold(),
            ):
                return partnership
        return None

    def themes(self, term: str) -> list[Theme]:
        key = term.casefold()
        if key not in self._themes:
            self._themes[key] = list(Theme.objects.matching(term))
        return self._themes[key]

    def agencies(self, lead: Partnership, others: Iterable[Partnership], term: str) -> list[Agency]:
        """Agencies of the lead partnership by name, short name or sector (a sector links every
        agency of that sector); failing that, an agency of a partnership taking part, by its full
        name, as the export writes it for a cross-boundary review."""
        others = tuple(sorted(p.pk for p in others if p.pk != lead.pk))
        key = (lead.pk, others, term.casefold())
        if key not in self._agencies:
            found = list(Agency.objects.filter(partnership=lead).matching(term))
            if not found and others:
                found = list(Agency.objects.filter(partnership__in=others, name__iexact=term))
            self._agencies[key] = found
        return self._agencies[key]


def _column_errors(table: Table, known: tuple, required: tuple) -> tuple[list, list]:
    errors = []
    found = ", ".join(table.columns) or "none"
    for column in required:
        if column not in table.columns:
            errors.append(
                RowError(
                    None,
                    None,
                    f"the file has no {column} column (row 1 must name the columns; found: "
                    f"{found})",
                )
            )
    ignored = [
        c for c in table.columns if c not in known and not c.startswith(IGNORED_COLUMN_PREFIXES)
    ]
    return errors, ignored


def _check_length(errors, row, column, text, limit):
    if len(text) > limit:
        errors.append(RowError(row, column, f"is {len(text)} characters long; at most {limit}"))


def _check_rows(table: Table, progress: Progress | None, check) -> list:
    """Every row checked before anything is saved: the changes `check` plans, with progress
    every PROGRESS_EVERY rows. `check(row, cells)` records its problems and returns None."""
    changes = []
    total = len(table.rows)
    for index, (row, cells) in enumerate(table.rows, start=1):
        change = check(row, cells)
        if change is not None:
            changes.append(change)
        if index % PROGRESS_EVERY == 0:
            _report(progress, f"checked {index} of {total} rows")
    return changes


def _report(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


_deferral = threading.local()
_deferral_lock = threading.Lock()
_deferral_users = 0
DEFERRED_MODELS = (Review, Finding, Recommendation)


def _deferring_post_save(sender, instance, **kwargs):
    """Stands in for the search index's post_save handler while an import runs: the importing
    thread notes what to index later; every other thread indexes at once, as usual."""
    from modelsearch.signal_handlers import post_save_signal_handler

    pending = getattr(_deferral, "pending", None)
    if pending is not None and sender in pending and not kwargs.get("raw", False):
        pending[sender].add(instance.pk)
        return
    post_save_signal_handler(instance=instance, sender=sender, **kwargs)


@contextmanager
def search_index_deferred():
    """Index what the import saved once, after it is saved, instead of after every save.

    Saving a review through Wagtail's publish re-saves it and each of its findings and
    recommendations; indexing each save inside one long transaction makes a PostgreSQL index
    table rewrite the same rows thousands of times (minutes for a few hundred rows). The design
    wants index updates after the data is written anyway."""
    from modelsearch.signal_handlers import post_save_signal_handler

    global _deferral_users
    with _deferral_lock:
        if _deferral_users == 0:
            for model in DEFERRED_MODELS:
                if post_save.disconnect(post_save_signal_handler, sender=model):
                    post_save.connect(_deferring_post_save, sender=model)
        _deferral_users += 1
    pending = {model: set() for model in DEFERRED_MODELS}
    _deferral.pending = pending
    try:
        yield pending
    finally:
        _deferral.pending = None
        with _deferral_lock:
            _deferral_users -= 1
            if _deferral_users == 0:
                for model in DEFERRED_MODELS:
                    if post_save.disconnect(_deferring_post_save, sender=model):
                        post_save.connect(post_save_signal_handler, sender=model)


def index_saved(pending: dict) -> None:
    """Index, in one batch per model, the records an import saved."""
    from modelsearch.backends import get_search_backends

    for model, pks in pending.items():
        if not pks:
            continue
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        for backend in get_search_backends(with_auto_update=True):
            try:
                backend.add_bulk(model, objects)
            except Exception:
                # As the search index's own handler does: an external engine being down must
                # not undo an import that has been saved; a database engine's error must.
                logger.exception("Could not index imported %s", model._meta.verbose_name_plural)
                if not backend.catch_indexing_errors:
                    raise


class _Rollback(Exception):
    """Leaves `transaction.atomic` with everything undone when saving finds a problem."""


@dataclass
class _ReviewChange:
    row: int
    reference: str
    existing_pk: int | None
    fields: dict
    themes: list | None = None
    agencies: list | None = None
    participating: list | None = None


def import_reviews(
    source, *, name: str = "", user=None, progress: Progress | None = None
) -> ImportResult:
    """Create or update one review per row, all or none.

    Every row is checked first and every problem reported; only a clean file is saved. Each
    review is saved through Wagtail's create or edit action and published, with a revision and a
    `wagtail.create` or `wagtail.edit` log entry by `user`: the tracker holds the partnership's
    live records, so they arrive live."""
    result = ImportResult(noun="review")
    try:
        table = read_table(source, name)
    except ImportFileError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result
    known = REVIEW_COLUMNS + REVIEW_OPTIONAL_COLUMNS
    errors, result.ignored_columns = _column_errors(table, known, REVIEW_REQUIRED_COLUMNS)
    if errors:
        result.errors = errors
        return result

    present = set(table.columns)
    vocab = Vocabulary()
    references = [cell_text(cells.get("reference")) for _, cells in table.rows]
    existing = {
        review.reference: review
        for review in Review.objects.filter(reference__in=[r for r in references if r]).only(
            "pk",
            "reference",
            "lead_partnership_id",
            "review_type",
            "incident_date",
            "aware_date",
            "notification_date",
        )
    }
    rights = ImportRights(user, existing.values())
    seen: dict[str, int] = {}
    changes = _check_rows(
        table,
        progress,
        lambda row, cells: _check_review_row(
            row, cells, present, vocab, existing, rights, seen, result.errors
        ),
    )
    if result.errors:
        return result

    try:
        with search_index_deferred() as pending, transaction.atomic():
            for index, change in enumerate(changes, start=1):
                _save_review(change, user, result)
                if index % PROGRESS_EVERY == 0:
                    _report(progress, f"saved {index} of {len(changes)} reviews")
    except _Rollback:
        result.created = result.updated = 0
        return result
    index_saved(pending)
    return result


def _check_review_row(row, cells, present, vocab, existing, rights, seen, errors):
    count_before = len(errors)

    def text(column):
        return cell_text(cells.get(column))

    reference = text("reference")
    if not reference:
        errors.append(RowError(row, "reference", "is empty; every review needs its reference"))
    else:
        _check_length(errors, row, "reference", reference, 40)
        if reference in seen:
            errors.append(
                RowError(row, "reference", f"{reference} is also on row {seen[reference]}")
            )
        else:
            seen[reference] = row
    current = existing.get(reference)
    fields: dict = {}

    review_type = ReviewType.from_text(text("type"))
    if not text("type"):
        errors.append(RowError(row, "type", "is empty; say which kind of review this is"))
    elif review_type is None:
        errors.append(
            RowError(
                row,
                "type",
                f"{text('type')} is not a type of review (use a name such as Rapid review, "
                "LCSPR, SAR, DARDR, Multi-agency audit, Section 11 audit or Peer review)",
            )
        )
    else:
        fields["review_type"] = review_type.value

    title = text("title")
    if not title:
        errors.append(RowError(row, "title", "is empty"))
    else:
        _check_length(errors, row, "title", title, 255)
        fields["title"] = title

    if "subject_pseudonym" in present:
        pseudonym = text("subject_pseudonym")
        _check_length(errors, row, "subject_pseudonym", pseudonym, 60)
        fields["subject_pseudonym"] = pseudonym

    lead = None
    if not text("lead_partnership"):
        errors.append(RowError(row, "lead_partnership", "is empty"))
    else:
        lead = vocab.partnership(text("lead_partnership"))
        if lead is None:
            errors.append(
                RowError(
                    row,
                    "lead_partnership",
                    f"there is no partnership called {text('lead_partnership')}",
                )
            )
        else:
            fields["lead_partnership"] = lead
            refusal = _review_refusal(row, reference, lead, current, rights)
            if refusal:
                errors.append(refusal)

    participating = None
    if "participating_partnerships" in present:
        participating = []
        for term in split_list(cells.get("participating_partnerships")):
            partnership = vocab.partnership(term)
            if partnership is None:
                errors.append(
                    RowError(
                        row, "participating_partnerships", f"there is no partnership called {term}"
                    )
                )
            elif partnership != lead and partnership not in participating:
                participating.append(partnership)

    if "sharing_level" in present and text("sharing_level"):
        level = parse_sharing_level(text("sharing_level"))
        if level is None:
            errors.append(
                RowError(
                    row,
                    "sharing_level",
                    f"{text('sharing_level')} is not a sharing level (use Restricted, "
                    "Partnership, Regional or Public)",
                )
            )
        else:
            fields["sharing_level"] = level.value

    themes = _themes_of(row, cells, present, vocab, errors)
    agencies = None
    if "agencies" in present and lead is not None:
        agencies = _agencies_of(row, cells, vocab, lead, participating or [], errors)

    dates = {}
    for column in DATE_COLUMNS:
        if column in present:
            try:
                dates[column] = parse_date(cells.get(column))
            except ValueError as exc:
                errors.append(RowError(row, column, str(exc)))
                continue
            fields[column] = dates[column]
        elif current is not None and rights.may_change(current):
            # A review they may not change lends the check none of its dates: comparing them
            # would tell someone a hidden review's dates, or that it exists.
            dates[column] = getattr(current, column)
    if review_type is not None:
        for column in DATES_REQUIRED_BY_TYPE.get(review_type, ()):
            if column in dates and dates[column] is None:
                errors.append(
                    RowError(row, column, f"is empty; a {review_type.label.lower()} needs it")
                )
            elif column not in dates and not any(e.column == column for e in errors[count_before:]):
                errors.append(
                    RowError(row, column, f"is missing; a {review_type.label.lower()} needs it")
                )
    for earlier, later in (("incident_date", "aware_date"), ("aware_date", "notification_date")):
        if dates.get(earlier) and dates.get(later) and dates[later] < dates[earlier]:
            errors.append(
                RowError(
                    row,
                    later,
                    f"{dates[later].isoformat()} is before {earlier} {dates[earlier].isoformat()}",
                )
            )

    if "decision" in present:
        if text("decision"):
            decision = Decision.from_text(text("decision"))
            if decision is None:
                errors.append(
                    RowError(
                        row,
                        "decision",
                        f"{text('decision')} is not a decision (use LCSPR, national review, "
                        "no further review, SAR or DARDR)",
                    )
                )
            else:
                fields["decision"] = decision.value
        else:
            fields["decision"] = ""

    if "summary" in present:
        fields["summary"] = text("summary")

    if "status" in present and text("status"):
        status = parse_status(text("status"))
        if status is None:
            errors.append(
                RowError(
                    row,
                    "status",
                    f"{text('status')} is not a status (use Draft, In progress, Awaiting "
                    "sign-off, Signed off / submitted, Published, Not published or Embargoed)",
                )
            )
        else:
            fields["status"] = status.value

    if len(errors) > count_before:
        return None
    return _ReviewChange(
        row=row,
        reference=reference,
        existing_pk=current.pk if current else None,
        fields=fields,
        themes=themes,
        agencies=agencies,
        participating=participating,
    )


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


def _themes_of(row, cells, present, vocab, errors):
    if "themes" not in present:
        return None
    themes = []
    for term in split_list(cells.get("themes")):
        found = vocab.themes(term)
        if not found:
            errors.append(RowError(row, "themes", f"there is no theme called {term}"))
        elif len(found) > 1:
            names = " and ".join(t.name for t in found)
            errors.append(
                RowError(row, "themes", f"{term} could mean {names}: use the theme's own name")
            )
        elif found[0] not in themes:
            themes.append(found[0])
    return themes


def _agencies_of(row, cells, vocab, lead, others, errors):
    agencies = []
    for term in split_list(cells.get("agencies")):
        found = vocab.agencies(lead, others, term)
        if not found:
            errors.append(RowError(row, "agencies", f"there is no agency called {term} in {lead}"))
        for agency in found:
            if agency not in agencies:
                agencies.append(agency)
    return agencies


def _run_action(instance, action_name: str, user, row: int, result: ImportResult):
    """Save through Wagtail's own create or edit action, so revisions, the history log and any
    project-specific action registered for reviews all see the import."""
    action_class = action_registry.get_action_class(type(instance), action_name)
    try:
        action_class(instance, user=user, publish=True).execute(skip_permission_checks=True)
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            for message in messages:
                result.errors.append(RowError(row, column, message))
        raise _Rollback() from exc


def _save_review(change: _ReviewChange, user, result: ImportResult) -> None:
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
    _run_action(review, action, user, change.row, result)
    if action == "create":
        result.created += 1
    else:
        result.updated += 1


def normalise_text(text: str) -> str:
    """Findings and recommendations are the same if they differ only in spacing."""
    return " ".join(text.split())


_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")


def finding_title(text: str) -> str:
    """The first line of a finding, or its first sentence, cut to fit the title."""
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    match = _SENTENCE.match(first_line)
    title = match.group(1) if match else first_line
    if len(title) > 255:
        title = title[:254].rstrip() + "…"
    return title


@dataclass
class _FindingChange:
    row: int
    review: Review
    text: str
    existing: Finding | None
    sharing_level: str | None
    themes: list | None
    agencies: list | None
    recommendation: str


def import_findings(
    source, *, name: str = "", user=None, progress: Progress | None = None
) -> ImportResult:
    """Create or update one finding per row, with its recommendation, all or none.

    A finding is known again by its review and its text, a recommendation by its review and
    its text, so importing the same file twice changes nothing and the same recommendation on
    several rows answers all of their findings. Each review whose findings changed gets a new
    published revision, so that the admin's edit form, which starts from the latest revision,
    shows the imported findings instead of quietly dropping them on the next save."""
    result = ImportResult(noun="finding")
    try:
        table = read_table(source, name)
    except ImportFileError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result
    errors, result.ignored_columns = _column_errors(
        table, FINDING_COLUMNS, FINDING_REQUIRED_COLUMNS
    )
    if errors:
        result.errors = errors
        return result

    present = set(table.columns)
    vocab = Vocabulary()
    references = {cell_text(cells.get("review_reference")) for _, cells in table.rows}
    reviews = {
        review.reference: review
        for review in Review.objects.filter(reference__in=references)
        .select_related("lead_partnership")
        .prefetch_related("participating_partnerships", "findings")
    }
    # Each row changes its review: the import publishes a new revision of it.
    rights = ImportRights(user, reviews.values())
    seen: dict[tuple, int] = {}
    changes = _check_rows(
        table,
        progress,
        lambda row, cells: _check_finding_row(
            row, cells, present, vocab, reviews, rights, seen, result.errors
        ),
    )
    if result.errors:
        return result

    try:
        with search_index_deferred() as pending, transaction.atomic():
            touched: dict[int, int] = {}
            recommendations: dict[tuple[int, str], Recommendation] = {}
            for index, change in enumerate(changes, start=1):
                _save_finding(change, recommendations, result)
                touched.setdefault(change.review.pk, change.row)
                if index % PROGRESS_EVERY == 0:
                    _report(progress, f"saved {index} of {len(changes)} findings")
            for review_pk, row in touched.items():
                _run_action(Review.objects.get(pk=review_pk), "edit", user, row, result)
    except _Rollback:
        result.created = result.updated = 0
        return result
    index_saved(pending)
    return result


def _check_finding_row(row, cells, present, vocab, reviews, rights, seen, errors):
    count_before = len(errors)
    reference = cell_text(cells.get("review_reference"))
    review = reviews.get(reference)
    if not reference:
        errors.append(RowError(row, "review_reference", "is empty"))
    else:
        allowed = review is not None and rights.may_change(review)
        refusal = rights.refuse_parent(
            row, "review_reference", "review", reference, review, allowed
        )
        if refusal:
            errors.append(refusal)
            # Nothing more is said about a review they may not import into (its agencies).
            review = None

    text = cell_text(cells.get("finding"))
    if not text:
        errors.append(RowError(row, "finding", "is empty"))
    key = (reference, normalise_text(text))
    if text and key in seen:
        errors.append(RowError(row, "finding", f"the same finding is also on row {seen[key]}"))
    elif text:
        seen[key] = row

    level = None
    if "sharing_level" in present and cell_text(cells.get("sharing_level")):
        level = parse_sharing_level(cell_text(cells.get("sharing_level")))
        if level is None:
            errors.append(
                RowError(
                    row,
                    "sharing_level",
                    f"{cell_text(cells.get('sharing_level'))} is not a sharing level (use "
                    "Restricted, Partnership, Regional or Public)",
                )
            )

    themes = _themes_of(row, cells, present, vocab, errors)
    agencies = None
    if "agencies" in present and review is not None:
        others = list(review.participating_partnerships.all())
        agencies = _agencies_of(row, cells, vocab, review.lead_partnership, others, errors)

    if len(errors) > count_before:
        return None
    existing = next(
        (f for f in review.findings.all() if normalise_text(f.text) == normalise_text(text)),
        None,
    )
    return _FindingChange(
        row=row,
        review=review,
        text=text,
        existing=existing,
        sharing_level=level.value if level else None,
        themes=themes,
        agencies=agencies,
        recommendation=cell_text(cells.get("recommendation")),
    )


def _save_finding(change: _FindingChange, recommendations: dict, result: ImportResult) -> None:
    review = change.review
    finding = change.existing
    if finding is None:
        finding = Finding(review=review, sharing_level=review.sharing_level)
        last = Finding.objects.filter(review=review).aggregate(m=Max("sort_order"))["m"]
        finding.sort_order = 0 if last is None else last + 1
        result.created += 1
    else:
        result.updated += 1
    finding.title = finding_title(change.text)
    finding.text = change.text
    if change.sharing_level:
        finding.sharing_level = change.sharing_level
    if change.themes is not None:
        finding.themes.set(change.themes)
    if change.agencies is not None:
        finding.agencies.set(change.agencies)
    finding.save()

    # The finding answers exactly the recommendation its row names; a recommendation that no
    # longer names it keeps its other findings (and any actions that hang off it).
    wanted = normalise_text(change.recommendation)
    for old in Recommendation.objects.filter(review=review, findings=finding):
        if normalise_text(old.text) != wanted:
            old.findings.set([f for f in old.findings.all() if f.pk != finding.pk])
            old.save()
    if not wanted:
        return
    key = (review.pk, wanted)
    recommendation = recommendations.get(key)
    if recommendation is None:
        recommendation = next(
            (
                r
                for r in Recommendation.objects.filter(review=review)
                if normalise_text(r.text) == wanted
            ),
            None,
        )
    if recommendation is None:
        last = Recommendation.objects.filter(review=review).aggregate(m=Max("sort_order"))["m"]
        recommendation = Recommendation(
            review=review,
            text=change.recommendation,
            sharing_level=finding.sharing_level,
            sort_order=0 if last is None else last + 1,
        )
        recommendation.save()
    linked = list(recommendation.findings.all())
    if finding not in linked:
        recommendation.findings.set([*linked, finding])
        recommendation.save()
    recommendations[key] = recommendation


__all__ = [
    "FINDING_COLUMNS",
    "REVIEW_COLUMNS",
    "REVIEW_OPTIONAL_COLUMNS",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "import_findings",
    "import_reviews",
    "may_import_reviews",
    "read_table",
]
