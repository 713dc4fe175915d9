"""Spreadsheets are bounded before they are parsed: a small upload cannot ask the one import
reader (hub/importing/spreadsheets.py) for gigabytes or minutes. Through the admin's upload page
and the import command, as people use them."""

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from reviews.models import Review
from tests.reviews.conftest import REVIEW_HEADER, csv_bytes, review_row

# The admin upload is an import job run by a Celery task: run it here (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("tasks_in_this_process")

IMPORT_URL = "reviews_transfer:import_reviews"


def _workbook(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace_parts(xlsx: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with some parts' XML replaced or added, compressed as Excel compresses."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
            for info in source.infolist():
                data = parts.pop(info.filename, None) or source.read(info.filename)
                target.writestr(info.filename, data)
            for name, data in parts.items():
                target.writestr(name, data)
    return out.getvalue()


def _shared_strings_bomb(count: int) -> bytes:
    """A real workbook whose shared strings table holds `count` (empty) strings: small when
    zipped, under the unpacked-size limit, millions of objects once openpyxl loads it."""
    body = b"<si><t/></si>" * count
    strings = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
        + str(count).encode()
        + b'" uniqueCount="'
        + str(count).encode()
        + b'">'
        + body
        + b"</sst>"
    )
    xlsx = _workbook([["reference", "title"]])
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        # openpyxl writes its strings inline: name the table where Excel does.
        types = source.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        rels = source.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>",
            b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            b"</Relationships>",
        )
    return _replace_parts(
        xlsx,
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/sharedStrings.xml": strings,
        },
    )


def _post(client, content, name="tracker.xlsx"):
    """Upload, run the import job its commit enqueues, and open the job's page."""
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse(IMPORT_URL), {"file": upload})
    return client.get(response.url) if response.status_code == 302 else response


def _page(response) -> str:
    import html

    return html.unescape(response.content.decode())


def test_three_million_shared_strings_are_refused_fast_and_small(client, people):
    bomb = _shared_strings_bomb(3_000_000)
    assert len(bomb) < 400 * 1024  # what a 20 MB upload limit lets through without a blink
    client.force_login(people["manager"])
    # The admin's templates compile on their first page: time the refusal, not that.
    assert client.get(reverse(IMPORT_URL)).status_code == 200

    tracemalloc.start()
    # The CPU time of this process: CI runs two passes side by side on two cores, so the wall
    # clock measures the other pass as much as this refusal.
    started = time.process_time()
    try:
        response = _post(client, bomb)
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 200
    assert "more than 200,000 different texts (shared strings)" in _page(response)
    assert "the Hub reads up to 200,000" in _page(response)
    assert elapsed < 2, f"took {elapsed:.1f} s"
    assert peak < 100 * 1024 * 1024, f"peaked at {peak / 2**20:.0f} MB"
    assert not Review.objects.exists()


def test_a_workbook_that_unpacks_past_the_limit_is_refused_from_its_directory(
    client, people, settings
):
    settings.HUB_IMPORT_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    padded = _replace_parts(
        _workbook([["reference", "title"]]), {"docProps/custom.xml": b" " * (12 * 1024 * 1024)}
    )
    client.force_login(people["manager"])
    tracemalloc.start()
    try:
        response = _post(client, padded)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    page = _page(response)
    assert "the workbook unpacks to 12 MB" in page
    assert "workbooks of up to 10 MB unpacked" in page
    # Nothing was unpacked: the directory alone answered.
    assert peak < 5 * 1024 * 1024


def test_a_workbook_with_more_rows_than_the_limit_is_refused(client, people, settings):
    settings.HUB_IMPORT_MAX_ROWS = 3
    header = ["reference", "title"]
    rows = [header] + [[f"WIR-RR-{n}", "Title"] for n in range(4)]
    client.force_login(people["manager"])
    page = _page(_post(client, _workbook(rows)))
    assert "the file has more than 3 rows; the Hub reads up to 3 at a time" in page
    assert not Review.objects.exists()


def test_a_sheet_claiming_a_million_rows_is_refused_without_reading_them(client, people):
    """A header, one cell at the sheet's last row, and a dimension claiming every column:
    openpyxl would hand over a million rows, each 16,384 cells wide."""
    xlsx = _workbook([["reference", "title"]])
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>reference</t></is></c></row>'
        b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'
        b"</sheetData></worksheet>"
    )
    xlsx = _replace_parts(xlsx, {"xl/worksheets/sheet1.xml": sheet})
    client.force_login(people["manager"])
    started = time.process_time()
    page = _page(_post(client, xlsx))
    assert "the file has more than 100,000 rows" in page
    assert time.process_time() - started < 2


def test_a_workbook_with_more_cells_than_the_limit_is_refused(client, people, settings):
    settings.HUB_IMPORT_MAX_CELLS = 10
    rows = [["reference", "title", "type"]] + [["WIR-1", "Title", "Rapid review"]] * 4
    client.force_login(people["manager"])
    page = _page(_post(client, _workbook(rows)))
    assert "the file has more than 10 cells; the Hub reads up to 10 at a time" in page


def test_a_csv_with_more_rows_than_the_limit_is_refused(client, people, settings):
    settings.HUB_IMPORT_MAX_ROWS = 2
    rows = [review_row(reference=f"WIR-RR-2026-0{n}") for n in range(1, 4)]
    client.force_login(people["manager"])
    page = _page(_post(client, csv_bytes(REVIEW_HEADER, rows), name="tracker.csv"))
    assert "the file has more than 2 rows; the Hub reads up to 2 at a time" in page
    assert not Review.objects.exists()


def test_a_csv_at_the_limit_is_imported(client, people, settings):
    settings.HUB_IMPORT_MAX_ROWS = 1
    client.force_login(people["manager"])
    page = _page(_post(client, csv_bytes(REVIEW_HEADER, [review_row()]), name="tracker.csv"))
    assert "1 review imported" in page


def test_the_actions_command_refuses_the_bomb_too(world, tmp_path, capsys):
    path = tmp_path / "actions.xlsx"
    path.write_bytes(_shared_strings_bomb(300_000))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_actions", str(path))
    assert "more than 200,000 different texts (shared strings)" in capsys.readouterr().err
