"""import_actions: whole or nothing, every problem named by row and column, re-import updates."""

import csv
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from learning.models import Action, ActionEvent, ActionState
from partnership.models import Theme
from reviews.models import Recommendation, Review, ReviewType

HEADER = [
    "reference",
    "review_reference",
    "recommendation",
    "description",
    "owner_agency",
    "lead_email",
    "due_date",
    "state",
    "themes",
]


@pytest.fixture
def review(world):
    review = Review.objects.create(
        reference="WIR-RR-2026-01",
        title="Rapid review: Child M",
        review_type=ReviewType.RAPID_REVIEW,
        lead_partnership=world.partnerships["Wirral"],
    )
    review.themes.add(Theme.objects.get(slug="neglect"))
    review.save()
    Recommendation.objects.create(
        review=review, text="Agencies should share information at the front door."
    )
    return review


GOOD = [
    [
        "WIR-ACT-1",
        "WIR-RR-2026-01",
        "  agencies should share   information at the FRONT door. ",
        "Brief all front door staff on information sharing.",
        "Merseyside Police",
        "agencylead@example.org",
        "2026-06-30",
        "in progress",
        "",
    ],
    [
        "WIR-ACT-2",
        "wir-rr-2026-01",
        "Health visitors should record who lives in the household.",
        "Add household members to the health visiting record.",
        "NHS trust",
        "",
        "31/07/2026",
        "Open",
        "Neglect; DA",
    ],
]


def write_csv(path, rows, header=HEADER):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def failure_lines(capsys, path):
    with pytest.raises(CommandError) as raised:
        call_command("import_actions", str(path))
    return raised.value, capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize("writer,suffix", [(write_csv, "csv"), (write_xlsx, "xlsx")])
def test_a_good_file_imports_every_action(review, people, tmp_path, writer, suffix):
    call_command("import_actions", str(writer(tmp_path / f"actions.{suffix}", GOOD)))
    first, second = Action.objects.order_by("reference")
    assert first.recommendation == Recommendation.objects.get(
        review=review, text="Agencies should share information at the front door."
    )
    assert first.lead == people["agencylead"]
    assert first.owner_agency.name == "Merseyside Police"
    assert first.state == ActionState.IN_PROGRESS
    assert first.partnership == review.lead_partnership
    assert first.due_date == date(2026, 6, 30)
    assert [t.slug for t in first.themes.all()] == ["neglect"]  # inherited from the review
    assert second.lead is None  # the agency's leads get the reminders
    assert second.owner_agency.short_name == "NHS trust"
    assert second.due_date == date(2026, 7, 31)
    assert sorted(t.slug for t in second.themes.all()) == ["domestic-abuse", "neglect"]
    # A recommendation the review lacked is added to it, after the one it had.
    added = Recommendation.objects.get(review=review, text__startswith="Health visitors")
    assert second.recommendation == added
    assert review.recommendations.count() == 2
    assert list(ActionEvent.objects.values_list("kind", flat=True)) == ["created", "created"]


def test_xlsx_date_cells_are_dates(review, tmp_path):
    row = list(GOOD[0])
    row[6] = date(2026, 9, 1)
    call_command("import_actions", str(write_xlsx(tmp_path / "a.xlsx", [row])))
    assert Action.objects.get().due_date == date(2026, 9, 1)


def test_re_import_updates_by_reference(review, tmp_path):
    path = write_csv(tmp_path / "a.csv", GOOD)
    call_command("import_actions", str(path))
    changed = [list(GOOD[0]), list(GOOD[1])]
    changed[0][3] = "Brief all front door staff, police and health."
    changed[0][7] = "completed"
    call_command("import_actions", str(write_csv(tmp_path / "b.csv", changed)))
    assert Action.objects.count() == 2
    action = Action.objects.get(reference="WIR-ACT-1")
    assert action.description == "Brief all front door staff, police and health."
    assert action.state == ActionState.COMPLETED
    edited = action.events.get(kind="edited")
    assert (edited.from_state, edited.to_state) == ("in_progress", "completed")
    assert review.recommendations.count() == 2  # not added twice


def test_one_bad_row_changes_nothing_and_names_row_and_column(review, tmp_path, capsys):
    bad = list(GOOD[1])
    bad[6] = "31/02/2026"
    error, lines = failure_lines(capsys, write_csv(tmp_path / "a.csv", [GOOD[0], bad]))
    assert lines == ["row 3, due_date: 31/02/2026 is not a date (write 2026-03-31 or 31/03/2026)"]
    assert "nothing was imported" in str(error)
    assert Action.objects.count() == 0
    assert review.recommendations.count() == 1


def test_every_kind_of_problem_is_reported_at_once(review, tmp_path, capsys):
    rows = [
        ["", "WIR-RR-2026-01", "", "x", "Police", "", "2026-06-30", "", ""],
        ["WIR-A", "NOPE-1", "", "x", "Police", "", "2026-06-30", "", ""],
        ["WIR-B", "WIR-RR-2026-01", "", "x", "Health", "", "2026-06-30", "", ""],
        ["WIR-C", "WIR-RR-2026-01", "", "x", "Fire service", "", "2026-06-30", "", ""],
        ["WIR-D", "WIR-RR-2026-01", "", "x", "Police", "nobody@example.org", "2026-06-30", "", ""],
        ["WIR-E", "WIR-RR-2026-01", "", "x", "Police", "", "soon", "", ""],
        ["WIR-F", "WIR-RR-2026-01", "", "x", "Police", "", "2026-06-30", "finished", ""],
        ["WIR-G", "WIR-RR-2026-01", "", "x", "Police", "", "2026-06-30", "", "neglect; cooking"],
        ["WIR-G", "WIR-RR-2026-01", "", "", "Police", "", "2026-06-30", "", ""],
    ]
    _, lines = failure_lines(capsys, write_csv(tmp_path / "a.csv", rows))
    assert lines[0] == "row 2, reference: is empty"
    assert lines[1] == "row 3, review_reference: no review has the reference NOPE-1"
    assert lines[2].startswith("row 4, owner_agency: Health could be any of 2 agencies (")
    assert lines[3] == "row 5, owner_agency: no agency of Wirral is called Fire service"
    assert (
        lines[4] == "row 6, lead_email: no one in the Hub has the email address nobody@example.org"
    )
    assert lines[5] == "row 7, due_date: soon is not a date (write 2026-03-31 or 31/03/2026)"
    assert lines[6].startswith("row 8, state: finished is not a state (one of: open, in progress")
    assert lines[7] == "row 9, themes: cooking is not a theme"
    assert lines[8:] == [
        "row 10, description: is empty",
        "row 10, reference: WIR-G is also on row 9",
    ]
    assert Action.objects.count() == 0


def test_a_missing_column_is_named(review, tmp_path, capsys):
    header = [c for c in HEADER if c != "due_date"]
    _, lines = failure_lines(capsys, write_csv(tmp_path / "a.csv", [], header=header))
    assert lines == ["row 1, due_date: the column is missing"]
