"""The two kinds of problem an import reports: one in a cell, and one with the whole file."""

from dataclasses import dataclass


class ImportFileError(Exception):
    """The file as a whole cannot be read: not CSV or XLSX, not UTF-8, no header, too large."""


@dataclass(frozen=True)
class RowError:
    """One problem, placed where a spreadsheet user will look for it (the header is row 1)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        return f"row {self.row}, {self.column}: {self.message}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowProblems(Exception):
    """Raised while writing, inside the import's transaction, to undo everything it wrote: a
    record that passed every check but that its model then refuses (its `full_clean`)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors[:3]))


def errors_from_validation(exc, row: int | None) -> list[RowError]:
    """A model's `ValidationError` as the row's problems, one per field and message."""
    return [
        RowError(row, column, message)
        for column, messages in exc.message_dict.items()
        for message in messages
    ]
