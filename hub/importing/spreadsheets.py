"""Reading the spreadsheets partnerships keep: CSV (UTF-8, with or without BOM) and XLSX.

Every import in the Hub reads its file here, so that each accepts the same files, reads dates
the same way (ISO 8601 or dd/mm/yyyy, or a date cell) and places problems where a spreadsheet user
looks for them (the header is row 1).

Every file is bounded before it is parsed: the upload limit counts compressed bytes, and a 180 KB
workbook can unpack to gigabytes or hold millions of shared strings that openpyxl would load
whole before reading a row. `Limits` says how much the Hub reads; each refusal names its limit."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .errors import ImportFileError, RowError


@dataclass(frozen=True)
class Limits:
    """How much of a spreadsheet the Hub reads (settings HUB_IMPORT_MAX_*)."""

    uncompressed_bytes: int
    shared_strings: int
    rows: int
    cells: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            uncompressed_bytes=getattr(
                settings, "HUB_IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024
            ),
            shared_strings=getattr(settings, "HUB_IMPORT_MAX_SHARED_STRINGS", 200_000),
            rows=getattr(settings, "HUB_IMPORT_MAX_ROWS", 100_000),
            cells=getattr(settings, "HUB_IMPORT_MAX_CELLS", 2_000_000),
        )


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, object]]]
    # The file's own name, for the history of what it imported ("Imported from actions.csv").
    name: str = ""


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
    data = _read_bytes(source)
    if not data.strip():
        raise ImportFileError("the file is empty")
    limits = Limits.from_settings()
    header, rows = _header_and_rows(_bounded(_raw_rows(data, name.lower(), limits), limits))
    return Table(columns=[c for c in header if c], rows=rows, name=Path(name).name if name else "")


def _read_bytes(source) -> bytes:
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise ImportFileError(f"cannot read {source}: {exc.strerror}") from exc
    if isinstance(source, bytes):
        return source
    return source.read()


def _raw_rows(data: bytes, lower_name: str, limits: Limits) -> Iterable[tuple[int, list]]:
    if data[:4] == b"PK\x03\x04" or lower_name.endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(data, limits)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or lower_name.endswith(".xls"):
        raise ImportFileError(
            "this is an old Excel (.xls) file: save it as .xlsx or as CSV UTF-8 and try again"
        )
    return _csv_rows(data)


def _header_and_rows(raw_rows) -> tuple[list[str], list]:
    """The normalised header, and each row that is not blank as (its number, cells by column);
    a NUL in any cell refuses the file, naming where each one is."""
    header = None
    rows = []
    bad_bytes = []
    for number, values in raw_rows:
        if header is None:
            header = [normalise_header(v) for v in values]
            if not any(header):
                raise ImportFileError("row 1 must hold the column names")
            continue
        if all(_is_blank(v) for v in values):
            continue
        cells = {}
        for index, (column, value) in enumerate(zip(header, values, strict=False)):
            if isinstance(value, str) and "\x00" in value:
                bad_bytes.append(RowError(number, column or _column_letter(index), NUL_MESSAGE))
            if column and column not in cells:
                cells[column] = value
        rows.append((number, cells))
    if header is None:
        raise ImportFileError("the file is empty")
    if bad_bytes:
        # No database stores a NUL (PostgreSQL refuses it): say where each one is.
        raise ImportFileError("; ".join(str(error) for error in bad_bytes[:10]))
    return header, rows


NUL_MESSAGE = (
    "holds a NUL character (an invisible control code, often left by copying from another "
    "system): delete it and try again"
)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"column {letters}"


def _too_many_rows(limits: Limits) -> ImportFileError:
    return ImportFileError(
        f"the file has more than {limits.rows:,} rows; the Hub reads up to "
        f"{limits.rows:,} at a time: split it into smaller files"
    )


def _bounded(raw_rows: Iterable[tuple[int, list]], limits: Limits):
    """The rows, refused as soon as there are more rows or cells than the Hub reads; the header
    is not counted as a row. Empty rows count: they cost reading too."""
    cells = 0
    for seen, (number, values) in enumerate(raw_rows):
        if seen > limits.rows:
            raise _too_many_rows(limits)
        cells += len(values)
        if cells > limits.cells:
            raise ImportFileError(
                f"the file has more than {limits.cells:,} cells; the Hub reads up to "
                f"{limits.cells:,} at a time: split it into smaller files"
            )
        yield number, values


def _csv_rows(data: bytes) -> Iterable[tuple[int, list]]:
    # Decoded as it is read, so a large file is not held twice, as bytes and as text.
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    # One record is one spreadsheet row, even when a quoted cell spans several lines.
    reader = csv.reader(text)
    try:
        yield from enumerate(reader, start=1)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "the file is not UTF-8 text: in Excel choose Save As, CSV UTF-8 (comma delimited)"
        ) from exc
    except csv.Error as exc:
        raise ImportFileError(f"the CSV file cannot be read: {exc}") from exc


def _xlsx_rows(data: bytes, limits: Limits) -> Iterable[tuple[int, list]]:
    from openpyxl import load_workbook

    _check_workbook_size(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(f"the XLSX file cannot be read: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        # The sheet's own claim of its size (A1:XFD1048576) would pad every row to it.
        sheet.reset_dimensions()
        for seen, row in enumerate(sheet.iter_rows(), start=1):
            # Empty rows count here, by their number: a sheet whose one cell is on row
            # 99,999,999 would otherwise be walked row by empty row.
            if seen > limits.rows + 1:
                raise _too_many_rows(limits)
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


def _check_workbook_size(data: bytes, limits: Limits) -> None:
    """From the zip directory, before anything is unpacked: the members' sizes (zipfile never
    yields more of a member than its directory entry declares), then the number of shared
    strings, counted by a streaming parser that stops at the limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(f"the XLSX file cannot be read: {exc}") from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.uncompressed_bytes:
        raise ImportFileError(
            f"the workbook unpacks to {unpacked / 2**20:,.0f} MB; the Hub reads workbooks of up "
            f"to {limits.uncompressed_bytes / 2**20:,.0f} MB unpacked: split it or save it as CSV"
        )
    part = _shared_strings_part(archive)
    if part is None:
        return
    if _count_elements(archive, part, "si", limits.shared_strings) > limits.shared_strings:
        raise ImportFileError(
            f"the workbook holds more than {limits.shared_strings:,} different texts (shared "
            f"strings); the Hub reads up to {limits.shared_strings:,}: split it or save it as CSV"
        )


def _shared_strings_part(archive: zipfile.ZipFile) -> str | None:
    """Where openpyxl will look for the shared strings: the part the manifest names."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.constants import SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    try:
        manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
    except Exception as exc:  # a missing or damaged manifest: openpyxl refuses it too
        raise ImportFileError(f"the XLSX file cannot be read: {exc}") from exc
    found = manifest.find(SHARED_STRINGS)
    return found.PartName.lstrip("/") if found is not None else None


def _count_elements(archive: zipfile.ZipFile, part: str, local_name: str, limit: int) -> int:
    """How many `local_name` start tags the part holds, counting no further than `limit` + 1.

    A pattern over the unpacked bytes, not an XML parser: one Python call per 64 KB rather than
    per element (`subn` counts without making an object per match), so three million strings
    cost no more than the first `limit`. Tags inside a comment count too, which only errs on
    the side of refusing; openpyxl parses the rest."""
    tag = re.compile(rb"<(?:[\w.-]+:)?" + local_name.encode() + rb"[\s/>]")
    count = 0
    carry = b""
    try:
        with archive.open(part) as source:
            while chunk := source.read(64 * 1024):
                buffer = carry + chunk
                # Keep a tag cut in two by the chunk for the next round.
                cut = buffer.rfind(b"<")
                cut = cut if cut >= 0 and len(buffer) - cut < 64 else len(buffer)
                count += tag.subn(b"", buffer[:cut])[1]
                carry = buffer[cut:]
                if count > limit:
                    return count
            count += tag.subn(b"", carry)[1]
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(f"the XLSX file cannot be read: {exc}") from exc
    return count


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
