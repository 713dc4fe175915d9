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
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.actions import action_registry

from hub.signals import written_in_bulk
from partnership.access import SharingLevel, has_role, membership_of, sees_everything
from partnership.importing import ImportRights
from partnership.models import Agency, Partnership, Role, Theme
from partnership.spreadsheets import (
    ImportFileError,
    Progress,
    RowError,
    Table,
    cell_text,
    parse_date,
    read_table,
    split_list,
)

from .models import (
    Decision,
    Finding,
    Recommendation,
    Review,
    ReviewLogEntry,
    ReviewStatus,
    ReviewType,
)

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
    every PROGRESS_EVERY rows and at the end. `check(row, cells)` records its problems and
    returns None."""
    changes = []
    total = len(table.rows)
    for index, (row, cells) in enumerate(table.rows, start=1):
        change = check(row, cells)
        if change is not None:
            changes.append(change)
        if index % PROGRESS_EVERY == 0 or index == total:
            _report(progress, "checked", index, total)
    return changes


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


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
        pks = sorted(pks)
        # In batches: a database bounds the parameters of one query (SQLite's IN list), and
        # tens of thousands of records need not be in memory at once.
        for start in range(0, len(pks), 2000):
            objects = list(model.get_indexed_objects().filter(pk__in=pks[start : start + 2000]))
            for backend in get_search_backends(with_auto_update=True):
                try:
                    backend.add_bulk(model, objects)
                except Exception:
                    # As the search index's own handler does: an external engine being down
                    # must not undo an import that has been saved; a database engine's error
                    # must.
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
                if index % PROGRESS_EVERY == 0 or index == len(changes):
                    _report(progress, "saved", index, len(changes))
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


# Rows written per statement: a few hundred kilobytes of SQL, well inside SQLite's variable limit
# and PostgreSQL's packet size, and a progress report each.
WRITE_CHUNK = 1000


def import_findings(
    source, *, name: str = "", user=None, progress: Progress | None = None
) -> ImportResult:
    """Create or update one finding per row, with its recommendation, all or none.

    A finding is known again by its review and its text, a recommendation by its review and
    its text, so importing the same file twice changes nothing and the same recommendation on
    several rows answers all of their findings. Each review whose findings changed gets a new
    published revision, so that the admin's edit form, which starts from the latest revision,
    shows the imported findings instead of quietly dropping them on the next save.

    Every row is checked against what is read once per file (the reviews, their findings, the
    vocabulary, the person's rights); only then is anything written, in bulk and in one
    transaction, so a tracker of 50,000 rows costs a few hundred statements, not a few for
    every row, and still lands whole or not at all."""
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
    known: dict[int, dict[str, Finding]] = {}
    changes = _check_rows(
        table,
        progress,
        lambda row, cells: _check_finding_row(
            row, cells, present, vocab, reviews, rights, seen, known, result.errors
        ),
    )
    # The changes hold what is to be written: the cells need not stay in memory beside them.
    table.rows.clear()
    if result.errors:
        return result

    total = len(changes)
    try:
        with search_index_deferred() as pending, transaction.atomic():
            _write_findings(changes, user, result, progress, pending)
            # The first of the commit's callbacks: the rows are in, whatever the search index
            # tasks enqueued after it take (eager Celery runs them here, in the commit).
            transaction.on_commit(lambda: _report(progress, "committed", total, total))
            _enqueue_search([(model, pk) for model, pks in pending.items() for pk in sorted(pks)])
    except _Rollback:
        result.created = result.updated = 0
        return result
    index_saved(pending)
    _report(progress, "indexed", total, total)
    return result


def _check_finding_row(row, cells, present, vocab, reviews, rights, seen, known, errors):
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
    if review.pk not in known:
        # A dictionary per review, so that finding a row's finding again does not read all of
        # its review's findings for every row.
        known[review.pk] = {}
        for finding in review.findings.all():
            known[review.pk].setdefault(normalise_text(finding.text), finding)
    return _FindingChange(
        row=row,
        review=review,
        text=text,
        existing=known[review.pk].get(key[1]),
        sharing_level=level.value if level else None,
        themes=themes,
        agencies=agencies,
        recommendation=cell_text(cells.get("recommendation")),
    )


def _chunks(items: list, size: int = WRITE_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_findings(changes: list, user, result: ImportResult, progress, pending) -> None:
    """Write checked changes in bulk: findings, their themes and agencies, recommendations and
    their links, then one published revision and its log entries per review touched."""
    total = len(changes)
    review_pks = list(dict.fromkeys(change.review.pk for change in changes))
    next_sort = dict(
        Finding.objects.filter(review_id__in=review_pks)
        .values("review_id")
        .annotate(last=Max("sort_order"))
        .values_list("review_id", "last")
    )
    new, updated, changed = [], [], []
    findings = []
    for change in changes:
        finding = change.existing
        if finding is None:
            review = change.review
            last = next_sort.get(review.pk)
            sort_order = 0 if last is None else last + 1
            next_sort[review.pk] = sort_order
            finding = Finding(
                review_id=review.pk, sharing_level=review.sharing_level, sort_order=sort_order
            )
            new.append(finding)
        else:
            updated.append(finding)
        before = (finding.title, finding.text, finding.sharing_level)
        finding.title = finding_title(change.text)
        finding.text = change.text
        if change.sharing_level:
            finding.sharing_level = change.sharing_level
        if finding.pk is not None and before != (
            finding.title,
            finding.text,
            finding.sharing_level,
        ):
            changed.append(finding)
        findings.append(finding)

    # A finding read again unchanged (the same file imported twice) costs no write; bulk_update
    # builds a CASE per row and field, so its statements stay small.
    for chunk in _chunks(changed, 200):
        Finding.objects.bulk_update(chunk, ["title", "text", "sharing_level"])
    done = len(updated)
    _report(progress, "saved", done, total)
    for chunk in _chunks(new):
        Finding.objects.bulk_create(chunk)
        done += len(chunk)
        _report(progress, "saved", done, total)
    result.created, result.updated = len(new), len(updated)

    existing_pks = [finding.pk for finding in updated]
    for field_name in ("themes", "agencies"):
        wanted = {
            finding.pk: [item.pk for item in getattr(change, field_name)]
            for change, finding in zip(changes, findings, strict=True)
            if getattr(change, field_name) is not None
        }
        _set_many(Finding, field_name, wanted, existing_pks)
    touched_recommendations = _link_recommendations(changes, findings, review_pks, existing_pks)

    first_row: dict[int, int] = {}
    for change in changes:
        first_row.setdefault(change.review.pk, change.row)
    _publish_reviews(first_row, user, result)

    pending[Finding].update(finding.pk for finding in findings)
    pending[Recommendation].update(touched_recommendations)
    pending[Review].update(review_pks)


def _set_many(model, field_name: str, wanted: dict[int, list[int]], existing_pks: list) -> None:
    """Make each record's `field_name` exactly the primary keys in `wanted`, through the
    relation's own table: only the rows that differ are deleted or added."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    source = f"{field.m2m_field_name()}_id"
    target = f"{field.m2m_reverse_field_name()}_id"
    have: dict[int, dict[int, int]] = {}
    wanted_existing = [pk for pk in existing_pks if pk in wanted]
    for chunk in _chunks(wanted_existing, 500):
        for link_pk, owner, item in through.objects.filter(**{f"{source}__in": chunk}).values_list(
            "pk", source, target
        ):
            have.setdefault(owner, {})[item] = link_pk
    stale = []
    fresh = []
    for owner, items in wanted.items():
        current = have.get(owner, {})
        stale.extend(link for item, link in current.items() if item not in items)
        fresh.extend((owner, item) for item in dict.fromkeys(items) if item not in current)
    for chunk in _chunks(stale, 500):
        through.objects.filter(pk__in=chunk).delete()
    _insert_links(through, source, target, fresh)


def _insert_links(through, source: str, target: str, pairs: list[tuple[int, int]]) -> None:
    """Rows of a many-to-many table, inserted by plain statements: a link row has no
    behaviour, and building a model instance for each of a hundred thousand costs seconds."""
    if not pairs:
        return
    quote = connection.ops.quote_name
    columns = f"{quote(through._meta.db_table)} ({quote(source)}, {quote(target)})"
    if connection.vendor == "postgresql":
        # COPY streams the rows in one statement: many times faster than INSERTs.
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {columns} FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)
        return
    insert = f"INSERT INTO {columns} "
    with connection.cursor() as cursor:
        # Many rows a statement (one round trip each), within SQLite's 999 parameters.
        for chunk in _chunks(pairs, 400):
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(insert + "VALUES " + values, [value for pair in chunk for value in pair])


def _link_recommendations(changes, findings, review_pks, existing_pks) -> set[int]:
    """Each finding answers exactly the recommendation its row names: found again by its review
    and text, or made; a recommendation that no longer names it keeps its other findings (and
    any actions that hang off it). Returns the recommendations whose links changed."""
    through = Recommendation.findings.through
    by_key: dict[tuple[int, str], Recommendation] = {}
    text_of: dict[int, str] = {}
    next_sort: dict[int, int] = {}
    for recommendation in Recommendation.objects.filter(review_id__in=review_pks).only(
        "pk", "review_id", "text", "sort_order"
    ):
        normal = normalise_text(recommendation.text)
        text_of[recommendation.pk] = normal
        by_key.setdefault((recommendation.review_id, normal), recommendation)
        next_sort[recommendation.review_id] = max(
            next_sort.get(recommendation.review_id, -1), recommendation.sort_order or 0
        )
    links: dict[int, list[tuple[int, int]]] = {}
    for chunk in _chunks(existing_pks, 500):
        for link_pk, recommendation_pk, finding_pk in through.objects.filter(
            finding_id__in=chunk
        ).values_list("pk", "recommendation_id", "finding_id"):
            links.setdefault(finding_pk, []).append((link_pk, recommendation_pk))

    stale: list[int] = []
    touched: set[int] = set()
    new: list[Recommendation] = []
    wanted_links: list[tuple[Recommendation, Finding]] = []
    for change, finding in zip(changes, findings, strict=True):
        wanted = normalise_text(change.recommendation)
        linked = set()
        for link_pk, recommendation_pk in links.get(finding.pk, ()):
            if text_of[recommendation_pk] != wanted:
                stale.append(link_pk)
                touched.add(recommendation_pk)
            else:
                linked.add(recommendation_pk)
        if not wanted:
            continue
        key = (change.review.pk, wanted)
        recommendation = by_key.get(key)
        if recommendation is None:
            sort_order = next_sort.get(change.review.pk, -1) + 1
            next_sort[change.review.pk] = sort_order
            recommendation = Recommendation(
                review_id=change.review.pk,
                text=change.recommendation,
                sharing_level=finding.sharing_level,
                sort_order=sort_order,
            )
            by_key[key] = recommendation
            new.append(recommendation)
        if recommendation.pk is None or recommendation.pk not in linked:
            wanted_links.append((recommendation, finding))
    for chunk in _chunks(stale, 500):
        through.objects.filter(pk__in=chunk).delete()
    for chunk in _chunks(new):
        Recommendation.objects.bulk_create(chunk)
    _insert_links(
        through, "recommendation_id", "finding_id", [(r.pk, f.pk) for r, f in wanted_links]
    )
    touched.update(r.pk for r, _ in wanted_links)
    return touched


# The children a findings import writes: serialised for the revisions from plain queries, since
# loading them through prefetched cluster managers costs a manager per finding and field.
BULK_CHILDREN = ("findings", "recommendations")
# Columns whose database value is the value modelcluster writes into a revision.
PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BooleanField",
    "CharField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _children_data(relation, review_pks) -> dict[int, list[dict]]:
    """A child relation's records as modelcluster serialises them in a revision, by review."""
    from modelcluster.models import (
        get_all_child_m2m_relations,
        get_all_child_relations,
    )

    model = relation.related_model
    parent = relation.field.attname
    m2m: dict[str, dict[int, list[int]]] = {}
    for many in get_all_child_m2m_relations(model):
        if not many.serialize:
            continue
        through = many.remote_field.through
        source, target = f"{many.m2m_field_name()}_id", f"{many.m2m_reverse_field_name()}_id"
        pairs = m2m[many.name] = {}
        for owner, item in (
            through.objects.filter(**{f"{many.m2m_field_name()}__{parent}__in": review_pks})
            .order_by("pk")
            .values_list(source, target)
        ):
            pairs.setdefault(owner, []).append(item)
    by_review: dict[int, list[dict]] = {pk: [] for pk in review_pks}
    children = model._default_manager.filter(**{f"{parent}__in": review_pks})
    fields = [f for f in model._meta.fields if f.serialize]
    if get_all_child_relations(model) or any(
        f.remote_field is None and f.get_internal_type() not in PLAIN_FIELDS for f in fields
    ):
        # Anything but plain columns: as modelcluster itself serialises it.
        for child in children:
            by_review[getattr(child, parent)].append(child.serializable_data())
        return by_review
    pk_name = model._meta.pk.attname
    for row in children.values(pk_name, *(f.attname for f in fields)):
        data = {"pk": row[pk_name]}
        data.update((f.name, row[f.attname]) for f in fields)
        for name, pairs in m2m.items():
            data[name] = pairs.get(row[pk_name], [])
        by_review[row[parent]].append(data)
    return by_review


def _revision_content(review, children: dict[str, dict[int, list[dict]]]) -> dict:
    """`review.serializable_data()`, with the bulk children taken from `children`."""
    from modelcluster.models import (
        get_all_child_m2m_relations,
        get_all_child_relations,
        get_serializable_data_for_fields,
    )

    content = get_serializable_data_for_fields(review)
    for relation in get_all_child_relations(review):
        name = relation.get_accessor_name()
        if name in children:
            content[name] = children[name][review.pk]
            continue
        items = getattr(review, name).all()
        if hasattr(relation.related_model, "serializable_data"):
            content[name] = [item.serializable_data() for item in items]
        else:
            content[name] = [get_serializable_data_for_fields(item) for item in items]
    for many in get_all_child_m2m_relations(review):
        if many.serialize:
            content[many.name] = [item.pk for item in getattr(review, many.name).all()]
    return content


def _revision_prefetches(model) -> list[str]:
    """What a revision of a review reads besides the bulk children: its other child relations
    and its many-to-many fields."""
    from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations

    names = []
    for relation in get_all_child_relations(model):
        name = relation.get_accessor_name()
        if name not in BULK_CHILDREN:
            names.append(name)
    names += [many.name for many in get_all_child_m2m_relations(model)]
    return names


def _publish_reviews(first_row: dict[int, int], user, result: ImportResult) -> None:
    """A new published revision of each review, with Wagtail's `wagtail.edit` and
    `wagtail.publish` log entries by `user`, as the admin's edit action would write them.

    The review itself is unchanged but for its revision pointers, so the revisions are built
    from the saved review and written in bulk. A review that Wagtail's publish would treat
    specially (scheduled to go live later, or in a sign-off workflow that publishing cancels)
    goes through Wagtail's own edit action instead."""
    from wagtail.models import Revision, WorkflowState

    content_type = Review.get_content_type()
    base_content_type = Review.get_base_content_type()
    now = timezone.now()
    in_workflow = set(
        WorkflowState.objects.filter(
            base_content_type=base_content_type,
            object_id__in=[str(pk) for pk in first_row],
            status__in=(WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES),
        ).values_list("object_id", flat=True)
    )
    by_hand: list[Review] = []
    revisions: list[Revision] = []
    published: list[Review] = []
    pks = list(first_row)
    from modelcluster.models import get_all_child_relations

    relations = {
        relation.get_accessor_name(): relation
        for relation in get_all_child_relations(Review)
        if relation.get_accessor_name() in BULK_CHILDREN
    }
    for chunk in _chunks(pks, 200):
        children = {name: _children_data(relation, chunk) for name, relation in relations.items()}
        for review in Review.objects.filter(pk__in=chunk).prefetch_related(
            *_revision_prefetches(Review)
        ):
            try:
                review.full_clean()
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    for message in messages:
                        result.errors.append(RowError(first_row[review.pk], column, message))
                raise _Rollback() from exc
            if str(review.pk) in in_workflow or (review.go_live_at and review.go_live_at > now):
                by_hand.append(review)
                continue
            revisions.append(
                Revision(
                    content_type=content_type,
                    base_content_type=base_content_type,
                    object_id=str(review.pk),
                    content=_revision_content(review, children),
                    object_str=str(review),
                    user=user,
                    created_at=now,
                )
            )
            published.append(review)
    for chunk in _chunks(revisions):
        Revision.objects.bulk_create(chunk)
    for review, revision in zip(published, revisions, strict=True):
        review.latest_revision = review.live_revision = revision
        review.live = True
        review.expired = False
        review.has_unpublished_changes = False
        review.last_published_at = review.updated_at = now
        review.first_published_at = review.first_published_at or now
    Review.objects.bulk_update(
        published,
        [
            "latest_revision",
            "live_revision",
            "live",
            "expired",
            "has_unpublished_changes",
            "last_published_at",
            "first_published_at",
            "updated_at",
        ],
        batch_size=WRITE_CHUNK,
    )
    Revision.objects.filter(
        base_content_type=base_content_type,
        object_id__in=[str(review.pk) for review in published],
        approved_go_live_at__isnull=False,
    ).update(approved_go_live_at=None)
    entries = []
    shared = uuid.uuid4()
    for review, revision in zip(published, revisions, strict=True):
        for action in ("wagtail.edit", "wagtail.publish"):
            entries.append(
                ReviewLogEntry(
                    content_type=content_type,
                    label=ReviewLogEntry.objects.get_instance_title(review),
                    action=action,
                    timestamp=now,
                    data={},
                    uuid=shared,
                    user=user,
                    revision=revision,
                    content_changed=True,
                    review_id=review.pk,
                )
            )
    ReviewLogEntry.objects.bulk_create(entries, batch_size=WRITE_CHUNK)
    for review in by_hand:
        _run_action(review, "edit", user, first_row[review.pk], result)


def _enqueue_search(records: list[tuple[type, int]]) -> None:
    """Bulk writes send no save signals: say what was written, for the search index (which
    listens to `hub.signals.written_in_bulk`; reviews never imports search)."""
    written_in_bulk.send(sender=ImportResult, records=records)


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
