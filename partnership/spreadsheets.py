"""Reading the spreadsheets partnerships keep: CSV (UTF-8, with or without BOM) and XLSX.

Every importer in the Hub reads its file here, so that each accepts the same files, reads dates
the same way (ISO 8601 or dd/mm/yyyy, or a date cell) and places problems where a spreadsheet user
looks for them (the header is row 1)."""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .exports import FORMULA_STARTS


class ImportFileError(Exception):
    """The file as a whole cannot be read: not CSV or XLSX, not UTF-8, no header."""


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


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, object]]]


def normalise_header(text) -> str:
    """ "Lead partnership", "LEAD_PARTNERSHIP " and "lead-partnership" are one column."""
    text = str(text or "").replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s\-_]+", "_", text).strip("_")


def read_table(source, name: str = "") -> Table:
    """The header and rows of a CSV (UTF-8, with or without BOM) or XLSX (first sheet) file.

    `source` is a path, bytes or a binary file object; `name` helps tell the format apart when
    the content does not (an uploaded file's name)."""
    if isinstance(source, str | Path):
        name = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ImportFileError(f"cannot read {source}: {exc.strerror}") from exc
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    if not data.strip():
        raise ImportFileError("the file is empty")
    lower = name.lower()
    if data[:4] == b"PK\x03\x04" or lower.endswith((".xlsx", ".xlsm")):
        raw_rows = _xlsx_rows(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or lower.endswith(".xls"):
        raise ImportFileError(
            "this is an old Excel (.xls) file: save it as .xlsx or as CSV UTF-8 and try again"
        )
    else:
        raw_rows = _csv_rows(data)

    header = None
    rows = []
    for number, values in raw_rows:
        if header is None:
            header = [normalise_header(v) for v in values]
            if not any(header):
                raise ImportFileError("row 1 must hold the column names")
            continue
        if all(_is_blank(v) for v in values):
            continue
        cells = {}
        for column, value in zip(header, values, strict=False):
            if column and column not in cells:
                cells[column] = value
        rows.append((number, cells))
    if header is None:
        raise ImportFileError("the file is empty")
    return Table(columns=[c for c in header if c], rows=rows)


def _csv_rows(data: bytes) -> Iterable[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "the file is not UTF-8 text: in Excel choose Save As, CSV UTF-8 (comma delimited)"
        ) from exc
    # One record is one spreadsheet row, even when a quoted cell spans several lines.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise ImportFileError(f"the CSV file cannot be read: {exc}") from exc


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(f"the XLSX file cannot be read: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows():
            cells = [c for c in row if getattr(c, "row", None) is not None]
            if not cells:
                continue
            values = []
            for cell in cells:
                # Read-only sheets skip empty cells at the start of a row: keep columns aligned.
                while len(values) < cell.column - 1:
                    values.append(None)
                values.append(cell.value)
            yield cells[0].row, values
    finally:
        workbook.close()


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """A cell as the text its user typed: whole numbers without ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # The export writes text that starts like a formula after an apostrophe: take it off.
    if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:2]:
        text = text[1:].strip()
    return text


def split_list(value) -> list[str]:
    """Themes and agencies are separated by semicolons (commas live inside agency names)."""
    return [part.strip() for part in cell_text(value).split(";") if part.strip()]


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value) -> date | None:
    """An ISO 8601 date, a dd/mm/yyyy date (the UK way), or a spreadsheet date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return date.fromisoformat(text)
        if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
            return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    raise ValueError(f"{text} is not a date (write 2026-03-31 or 31/03/2026)")
