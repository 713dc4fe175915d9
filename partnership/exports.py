"""Writing the spreadsheets the Hub exports (CSV and XLSX) so that no cell runs as a formula.

An action described as `=HYPERLINK("http://x")` would otherwise become a live link, or a command,
on the machine of whoever opens the export. OWASP's advice on CSV injection is followed: a text
cell that starts with one of `FORMULA_STARTS` is written with a leading apostrophe in CSV, and in
XLSX as a text cell marked as typed text (quote-prefixed), where an apostrophe would show.
Numbers and dates are not text: they stay numbers and dates, negative ones too.

Every export writes through here: the Hub's own files (`reviews.exporting`) through `write_csv`
and `write_xlsx`, and every Wagtail listing and report through `guard_wagtail_exports`.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal

from hub.importing.cells import FORMULA_STARTS

# Values a spreadsheet stores as what they are; everything else is written as its text.
PLAIN_TYPES = (int, float, Decimal, datetime.date, datetime.time)


def cell_value(value):
    """None, a number or a date as it is; anything else as the text a spreadsheet shows."""
    if value is None or isinstance(value, PLAIN_TYPES):
        return value
    return str(value)


def starts_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value):
    """A CSV cell that a spreadsheet reads as text, never as a formula."""
    value = cell_value(value)
    return "'" + value if starts_formula(value) else value


def xlsx_cell(worksheet, value, number_format=None):
    """An XLSX cell for a write-only `worksheet`; text is always stored as text."""
    from openpyxl.cell import WriteOnlyCell

    value = cell_value(value)
    cell = WriteOnlyCell(worksheet, None if value == "" else value)
    if isinstance(value, str) and value:
        # openpyxl would store "=..." as a formula and "#N/A" as an error.
        cell.data_type = "s"
        # As Excel marks text typed after an apostrophe: editing the cell keeps it text.
        cell.quotePrefix = starts_formula(value)
    if number_format:
        cell.number_format = number_format
    return cell


class CsvWriter:
    """`csv.writer` whose every cell goes through `csv_value`. A row is a sequence or, given
    `fieldnames`, a mapping (a missing field is an empty cell, as with `csv.DictWriter`)."""

    def __init__(self, stream, fieldnames: Iterable[str] | None = None):
        self.fieldnames = list(fieldnames or [])
        self._writer = csv.writer(stream)

    def writerow(self, row):
        if isinstance(row, Mapping):
            row = [row.get(name) for name in self.fieldnames]
        return self._writer.writerow([csv_value(value) for value in row])


def write_csv(columns: list[str], rows: Iterable[Iterable]) -> bytes:
    """A whole CSV file: a header row, then `rows`."""
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row)
    # With a BOM, Excel opens the file as UTF-8 ("Children's", "Ysgol Gymraeg" stay intact).
    return stream.getvalue().encode("utf-8-sig")


def write_xlsx(title: str, columns: list[str], rows: Iterable[Iterable]) -> bytes:
    """A whole XLSX workbook of one sheet called `title`: a header row, then `rows`."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append([xlsx_cell(sheet, column) for column in columns])
    for row in rows:
        # openpyxl gives a date cell the format yyyy-mm-dd.
        sheet.append([xlsx_cell(sheet, value) for value in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def wagtail_stream_csv(self, queryset):
    """`SpreadsheetExportMixin.stream_csv`, written by `CsvWriter`."""
    from wagtail.admin.views.mixins import Echo

    writer = CsvWriter(Echo(), fieldnames=self.list_export)
    yield writer.writerow([self.get_heading(queryset, field) for field in self.list_export])
    for item in queryset:
        yield self.write_csv_row(writer, self.to_row_dict(item))


def wagtail_xlsx_row(self, worksheet, row_dict, date_format=None):
    """`SpreadsheetExportMixin.generate_xlsx_row`, written by `xlsx_cell`."""
    for field, value in row_dict.items():
        number_format = date_format if isinstance(value, datetime.datetime) else None
        yield xlsx_cell(
            worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX), number_format
        )


def guard_wagtail_exports():
    """Make Wagtail's `SpreadsheetExportMixin` write with the guarded cells.

    Every listing with `list_export` (the Hub's snippet viewsets), every report (the Hub's and
    Wagtail's own: site history, workflows, aging and locked pages, redirects, form submissions)
    exports through that one mixin, and Wagtail offers no setting or hook for its writer, so the
    mixin's two writing methods are replaced, once, at start-up. Its preprocessing
    (`custom_field_preprocess`, `to_row_dict`) still runs, and streaming still streams."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    SpreadsheetExportMixin.stream_csv = wagtail_stream_csv
    SpreadsheetExportMixin.generate_xlsx_row = wagtail_xlsx_row


SPREADSHEET_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def spreadsheet_response(fmt: str, title: str, columns: list[str], rows, filename: str):
    """A download of `rows` as CSV or XLSX (`fmt`), named `filename` plus the extension; a
    format the Hub does not write is a 404."""
    from django.http import Http404, HttpResponse

    if fmt not in SPREADSHEET_TYPES:
        raise Http404
    body = write_csv(columns, rows) if fmt == "csv" else write_xlsx(title, columns, rows)
    response = HttpResponse(body, content_type=SPREADSHEET_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
