"""The one import pipeline: read, check every row, then write whole or not at all.

An import declares its columns and its rules as an `Importer` (the reviews, findings and actions
imports do, each in its own app); `run_import` does the rest the same way for all of them: it
reads the file within the Hub's bounds, checks every row against what the importer read once per
file, reports every problem by row and column, and only for a clean file writes inside one
transaction, so that nobody ever has to untangle a half-imported tracker."""

from __future__ import annotations

from contextlib import nullcontext

from django.db import transaction

from .cells import cell_text
from .columns import Columns
from .errors import ImportFileError, RowError, RowProblems
from .result import ImportResult, Progress
from .spreadsheets import Table, read_table

PROGRESS_EVERY = 500


class Row:
    """One row being checked: its cells by column, and a place to put its problems."""

    def __init__(self, number: int, cells: dict, present: set[str], errors: list[RowError]):
        self.number = number
        self.cells = cells
        self.present = present
        self._errors = errors
        self._before = len(errors)

    def __contains__(self, column: str) -> bool:
        return column in self.present

    def text(self, column: str) -> str:
        return cell_text(self.cells.get(column))

    def value(self, column: str):
        return self.cells.get(column)

    def error(self, column: str, message: str) -> None:
        self._errors.append(RowError(self.number, column, message))

    def add(self, error: RowError | None) -> None:
        if error is not None:
            self._errors.append(error)

    @property
    def errors(self) -> list[RowError]:
        """This row's problems so far."""
        return self._errors[self._before :]

    @property
    def ok(self) -> bool:
        return len(self._errors) == self._before


class Writing:
    """What `Importer.write` is given: the counts to keep and the progress to report."""

    def __init__(self, result: ImportResult, progress: Progress | None, total: int):
        self.result = result
        self._progress = progress
        self.total = total
        self.done = 0

    def saved(self, count: int = 1) -> None:
        """`count` more rows are written; reported every PROGRESS_EVERY rows and at the end."""
        before = self.done
        self.done = min(self.total, self.done + count)
        if self.done == self.total or self.done // PROGRESS_EVERY > before // PROGRESS_EVERY:
            report(self._progress, "saved", self.done, self.total)


class Importer:
    """One kind of import. Subclasses name their records and columns, and say how to read what
    a file needs (`plan`), check one row (`check`) and write the checked rows (`write`)."""

    noun = ""
    columns = Columns(required=())

    def plan(self, table: Table, user):
        """What every row is checked against, read once per file (records it names, the
        vocabulary, the person's rights)."""
        return None

    def check(self, row: Row, plan):
        """The change this row asks for, or None; its problems go to `row.error`."""
        raise NotImplementedError

    def writing(self, plan):
        """A context around the transaction (the reviews import defers search indexing)."""
        return nullcontext()

    def write(self, changes: list, plan, writing: Writing) -> None:
        """Write the checked changes, inside the import's transaction; raise `RowProblems` to
        undo everything."""
        raise NotImplementedError

    def written(self, plan, writing: Writing) -> None:
        """After the commit: work that must not be undone with the import, nor hold it up."""


def report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def run_import(
    importer: Importer, source, *, name: str = "", user=None, progress: Progress | None = None
) -> ImportResult:
    """Import `source` (a path, bytes or binary file) as `importer` says, whole or not at all."""
    result = ImportResult(noun=importer.noun)
    try:
        table = read_table(source, name)
    except ImportFileError as exc:
        result.errors.append(RowError(None, None, str(exc)))
        return result
    result.errors, result.ignored_columns = importer.columns.check(table)
    if result.errors:
        return result
    plan = importer.plan(table, user)
    changes = check_rows(importer, table, plan, result.errors, progress)
    # The changes hold what is to be written: the cells need not stay in memory beside them.
    table.rows.clear()
    if result.errors:
        return result
    writing = Writing(result, progress, len(changes))
    try:
        with importer.writing(plan), transaction.atomic():
            importer.write(changes, plan, writing)
            # The first of the commit's callbacks: the rows are in, whatever the callbacks
            # after it take (eager Celery runs the search index's tasks there).
            transaction.on_commit(
                lambda: report(progress, "committed", writing.total, writing.total)
            )
    except RowProblems as problems:
        result.errors = problems.errors
        result.created = result.updated = 0
        result.added = {}
        return result
    importer.written(plan, writing)
    report(progress, "indexed", writing.total, writing.total)
    return result


def check_rows(importer, table: Table, plan, errors: list, progress: Progress | None) -> list:
    """Every row checked before anything is saved, with progress every PROGRESS_EVERY rows."""
    changes = []
    present = set(table.columns)
    total = len(table.rows)
    for index, (number, cells) in enumerate(table.rows, start=1):
        row = Row(number, cells, present, errors)
        change = importer.check(row, plan)
        if change is not None and row.ok:
            changes.append(change)
        if index % PROGRESS_EVERY == 0 or index == total:
            report(progress, "checked", index, total)
    return changes
