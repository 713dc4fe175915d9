"""The one spreadsheet writer: text that starts like a formula is kept as text in CSV and XLSX,
numbers and dates stay what they are, and every export view in the admin writes through it."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils.functional import lazy
from openpyxl import Workbook, load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.snippets.models import get_snippet_models

from hub.importing import cell_text
from partnership.exports import CsvWriter, csv_value, write_csv, write_xlsx, xlsx_cell
from tests.url_routes import routes

# Every start OWASP lists, as an action description or review title might begin.
FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"]


def csv_line(row) -> list[str]:
    stream = io.StringIO(newline="")
    CsvWriter(stream).writerow(row)
    return next(csv.reader(io.StringIO(stream.getvalue(), newline="")))


def xlsx_cells(row):
    """The row as openpyxl reads it back from a saved workbook."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet")
    sheet.append([xlsx_cell(sheet, value) for value in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return list(load_workbook(io.BytesIO(stream.getvalue())).active.iter_rows())[0]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert csv_value(text) == "'" + text
    assert csv_line([text]) == ["'" + text]


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_text_that_starts_like_a_formula_is_a_quoted_text_cell(text):
    (cell,) = xlsx_cells([text])
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_other_text_is_written_as_it_is():
    text = "Review = learning; 1+1 and a-b @ home"
    assert csv_line([text, "'quoted already"]) == [text, "'quoted already"]
    cell, quoted = xlsx_cells([text, "#N/A"])
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", False)
    # openpyxl would store "#N/A" as an error cell.
    assert (quoted.value, quoted.data_type) == ("#N/A", "s")


def test_numbers_stay_numbers_negative_ones_too():
    numbers = [-1, 3, -2.5, Decimal("-100.00"), 0]
    assert [csv_value(n) for n in numbers] == numbers
    assert csv_line(numbers) == ["-1", "3", "-2.5", "-100.00", "0"]
    cells = xlsx_cells(numbers)
    assert [c.value for c in cells] == [-1, 3, -2.5, -100, 0]
    assert {c.data_type for c in cells} == {"n"}


def test_none_and_empty_are_empty_cells():
    assert csv_line([None, ""]) == ["", ""]
    assert [c.value for c in xlsx_cells(["x", None, "", "y"])] == ["x", None, None, "y"]


def test_dates_stay_dates():
    day, moment = date(2027, 3, 1), datetime(2027, 3, 1, 9, 30)
    assert csv_value(day) is day and csv_value(moment) is moment
    assert csv_line([day]) == ["2027-03-01"]
    cell, timed = xlsx_cells([day, moment])
    assert (cell.value, cell.is_date, cell.number_format) == (
        datetime(2027, 3, 1),
        True,
        "yyyy-mm-dd",
    )
    assert timed.value == moment and timed.is_date


def test_objects_and_lazy_text_are_guarded_as_the_text_they_show():
    class Agency:
        def __str__(self):
            return "=cmd|' /C calc'!A0"

    assert csv_value(Agency()) == "'=cmd|' /C calc'!A0"
    assert csv_value(lazy(lambda: "-2+3", str)()) == "'-2+3"
    assert xlsx_cells([Agency()])[0].data_type == "s"


def test_a_mapping_row_follows_the_fieldnames():
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream, fieldnames=["title", "count", "missing"])
    writer.writerow({"count": -4, "title": "@SUM(A1)"})
    assert stream.getvalue() == "'@SUM(A1),-4,\r\n"


def test_whole_files_round_trip_through_the_import_reader():
    rows = [[text, -1, date(2027, 3, 1)] for text in FORMULAS]
    content = write_csv(["text", "number", "day"], rows)
    assert content.startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in read[1:]] == ["'" + text for text in FORMULAS]
    assert [cell_text(r[0]) for r in read[1:]] == [cell_text(text) for text in FORMULAS]

    sheet = load_workbook(io.BytesIO(write_xlsx("Rows", ["text", "number", "day"], rows)))
    values = list(sheet["Rows"].iter_rows(min_row=2, values_only=True))
    assert values == [(text, -1, datetime(2027, 3, 1)) for text in FORMULAS]


# Every export view in the admin -----------------------------------------------------------------


def export_views():
    """(url name, view class, init kwargs) of every URL whose view exports a spreadsheet: its
    class is a SpreadsheetExportMixin with a `list_export`, its own or its viewset's."""
    for route in routes():
        pattern = route.pattern
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class and issubclass(view_class, SpreadsheetExportMixin):
            initkwargs = getattr(pattern.callback, "view_initkwargs", {})
            if view_class(**initkwargs).list_export:
                model = initkwargs.get("model")
                name = f"{model._meta.label}:{pattern.name}" if model else pattern.name
                yield name, view_class, initkwargs


EXPORT_VIEWS = list(export_views())


def test_the_discovery_finds_every_snippet_export_and_wagtails_reports():
    found = {view_class for _, view_class, _ in EXPORT_VIEWS}
    exporting = [
        model.snippet_viewset for model in get_snippet_models() if model.snippet_viewset.list_export
    ]
    assert len(exporting) >= 8
    for viewset in exporting:
        assert any(issubclass(c, viewset.index_view_class) for c in found), viewset
    for report in (LogEntriesView, WorkflowView, WorkflowTasksView, AgingPagesView):
        assert report in found, report


@pytest.mark.parametrize(
    "view_class,initkwargs",
    [pytest.param(cls, kwargs, id=name) for name, cls, kwargs in EXPORT_VIEWS],
)
def test_every_export_view_writes_formulas_as_text(view_class, initkwargs):
    """Whatever a view's rows hold, its CSV and XLSX writers keep formula text as text; the
    values come from `to_row_dict`, so only the writing is under test here."""
    view = view_class(**initkwargs)
    fields = list(view.list_export)
    view.custom_field_preprocess = {}
    view.to_row_dict = lambda text: {field: text for field in fields}

    body = b"".join(view.stream_csv(FORMULAS)).decode()
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[1:] == [["'" + text] * len(fields) for text in FORMULAS]

    output = io.BytesIO()
    view.write_xlsx(FORMULAS, output)
    cells = list(load_workbook(io.BytesIO(output.getvalue())).active.iter_rows(min_row=2))
    assert [[(c.value, c.data_type) for c in row] for row in cells] == [
        [(text, "s")] * len(fields) for text in FORMULAS
    ]
