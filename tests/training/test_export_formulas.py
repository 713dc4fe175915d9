"""A course whose title starts like a formula, exported through the admin: the session listing
and the waiting-list report write the cell as text, in CSV and in XLSX."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from training.models import BookingState

from .factories_register import body, make_booking, make_course, make_delegate, make_session

FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"]


def csv_column(response, heading) -> list[str]:
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"), newline=""))
    return sorted(row[heading] for row in rows)


def xlsx_column(response, heading) -> list[tuple]:
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(body(response))).active.iter_rows())
    column = [cell.value for cell in rows[0]].index(heading)
    return sorted((row[column].value, row[column].data_type) for row in rows[1:])


@pytest.fixture
def formula_courses(world):
    trainer, delegate = world.people["trainer"], make_delegate(world, "formula.delegate")
    for text in FORMULAS:
        session = make_session(make_course(world.partnerships["Wirral"], text), trainers=[trainer])
        make_booking(session, delegate, BookingState.WAITING)


@pytest.mark.parametrize(
    "url,heading",
    [
        ("/admin/snippets/training/session/", "Course"),
        (reverse("training_reports:waiting_courses"), "Course"),
    ],
)
def test_training_exports_write_formula_course_titles_as_text(
    client, world, formula_courses, url, heading
):
    client.force_login(world.people["manager"])

    titles = csv_column(client.get(url, {"export": "csv"}), heading)
    assert titles == sorted("'" + text for text in FORMULAS)

    cells = xlsx_column(client.get(url, {"export": "xlsx"}), heading)
    assert cells == sorted((text, "s") for text in FORMULAS)
