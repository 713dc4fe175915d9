"""The columns an import reads: which it needs, which it knows, which it reads past."""

from dataclasses import dataclass

from .errors import RowError
from .spreadsheets import Table


@dataclass(frozen=True)
class Columns:
    """An import's columns, in the order its upload page lists them."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Known but not listed on the upload page: written by the export for a round trip.
    extra: tuple[str, ...] = ()
    # Columns the export adds that an import reads past (computed, never imported).
    ignored_prefixes: tuple[str, ...] = ()

    @property
    def listed(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional + self.extra

    def check(self, table: Table) -> tuple[list[RowError], list[str]]:
        """The missing columns, each a problem of row 1, and the columns read past."""
        found = ", ".join(table.columns) or "none"
        errors = [
            RowError(
                1,
                column,
                f"the file has no {column} column (row 1 must name the columns; found: {found})",
            )
            for column in self.required
            if column not in table.columns
        ]
        ignored = [
            column
            for column in table.columns
            if column not in self.known and not column.startswith(self.ignored_prefixes)
        ]
        return errors, ignored
