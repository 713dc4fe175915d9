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
    changed[0][7] = ""  # an empty state leaves the action's state as the Hub has it
    call_command("import_actions", str(write_csv(tmp_path / "b.csv", changed)))
    assert Action.objects.count() == 2
    action = Action.objects.get(reference="WIR-ACT-1")
    assert action.description == "Brief all front door staff, police and health."
    assert action.state == ActionState.IN_PROGRESS
    edited = action.events.get(kind="edited")
    assert (edited.from_state, edited.to_state) == ("", "")
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
    found = ", ".join(header)
    assert lines == [
        "row 1, due_date: the file has no due_date column (row 1 must name the columns; "
        f"found: {found})"
    ]


# Rights and the lifecycle: `--by` is whose import it is, and it may write only what they may
# change; no import moves an action through the lifecycle.

LIVERPOOL_ROW = [
    "LIV-ACT-1",
    "LIV-RR-2026-02",
    "",
    "Review the transitions protocol.",
    "Police",
    "",
    "2026-06-30",
    "open",
    "",
]


def liverpool_review_at(world, level):
    review = Review.objects.create(
        reference="LIV-RR-2026-02",
        title="Rapid review: Child L",
        review_type=ReviewType.RAPID_REVIEW,
        lead_partnership=world.partnerships["Liverpool"],
        sharing_level=level,
    )
    Recommendation.objects.create(review=review, text="Liverpool's own recommendation.")
    return review


@pytest.fixture
def liverpool_review(world):
    return liverpool_review_at(world, "restricted")


def refused(capsys, path, by):
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_actions", str(path), by=by)
    return capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize("username", ["practitioner", "agencylead", "reviewer"])
def test_only_quality_assurance_and_managers_import_actions(review, tmp_path, username):
    path = write_csv(tmp_path / "a.csv", GOOD)
    with pytest.raises(CommandError, match=f"{username} may not import actions"):
        call_command("import_actions", str(path), by=username)
    assert not Action.objects.exists()
    call_command("import_actions", str(path), by="manager")
    assert Action.objects.count() == 2


def test_a_wirral_qa_cannot_import_into_liverpools_restricted_review(
    review, liverpool_review, tmp_path, capsys
):
    path = write_csv(tmp_path / "a.csv", [GOOD[0], LIVERPOOL_ROW])
    assert refused(capsys, path, by="qa") == [
        "row 3, review_reference: there is no review LIV-RR-2026-02 that you may import into"
    ]
    # Whole or nothing: not even the good Wirral row lands.
    assert not Action.objects.exists()
    assert liverpool_review.recommendations.count() == 1
    assert review.recommendations.count() == 1


@pytest.mark.parametrize("level", [None, "restricted", "partnership", "regional", "public"])
def test_the_refusal_reads_the_same_whatever_the_reference_hides(
    world, review, tmp_path, capsys, level
):
    """Missing, hidden, or seen but another partnership's: one sentence, so that a refusal never
    tells a Wirral reader whether Liverpool has such a review."""
    if level:
        liverpool_review_at(world, level)
    path = write_csv(tmp_path / "a.csv", [LIVERPOOL_ROW])
    assert refused(capsys, path, by="qa") == [
        "row 2, review_reference: there is no review LIV-RR-2026-02 that you may import into"
    ]
    assert not Action.objects.exists()


def test_the_owning_partnerships_qa_imports_into_its_restricted_review(
    world, liverpool_review, liverpool_qa, tmp_path, capsys
):
    row = list(LIVERPOOL_ROW)
    row[7] = "in progress"
    path = write_csv(tmp_path / "a.csv", [row])
    call_command("import_actions", str(path), by="liverpool.qa")
    action = Action.objects.get()
    assert action.partnership == world.partnerships["Liverpool"]
    assert action.review == liverpool_review
    assert action.owner_agency.partnership == world.partnerships["Liverpool"]
    assert action.state == ActionState.IN_PROGRESS
    assert action.events.get().user == liverpool_qa

    # Nor may the Wirral QA update it by re-importing the same file.
    row[3] = "Changed by Wirral."
    assert refused(capsys, write_csv(tmp_path / "b.csv", [row]), by="qa") == [
        "row 2, review_reference: there is no review LIV-RR-2026-02 that you may import into"
    ]
    assert Action.objects.get().description == "Review the transitions protocol."


def test_another_partnerships_action_is_not_taken_over_by_its_reference(
    review, liverpool_review, liverpool_qa, tmp_path, capsys
):
    call_command(
        "import_actions", str(write_csv(tmp_path / "a.csv", [LIVERPOOL_ROW])), by="liverpool.qa"
    )
    row = list(GOOD[0])
    row[0] = "LIV-ACT-1"  # a Wirral review, but Liverpool's action
    assert refused(capsys, write_csv(tmp_path / "b.csv", [row]), by="qa") == [
        "row 2, reference: LIV-ACT-1 is an action you may not change"
    ]
    assert Action.objects.get().review == liverpool_review


@pytest.mark.parametrize("by", [None, "qa"])
@pytest.mark.parametrize("state", ["embedded", "completed", "impact evidenced", "closed"])
def test_a_new_action_is_never_imported_past_in_progress(review, tmp_path, capsys, state, by):
    row = list(GOOD[0])
    row[7] = state
    label = ActionState.from_text(state).label.lower()
    assert refused(capsys, write_csv(tmp_path / "a.csv", [row]), by=by) == [
        f"row 2, state: a new action is imported open or in progress, not {label}: record its "
        "evidence and sign-off in the Hub, which moves it on"
    ]
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    "stored, written",
    [
        (ActionState.EMBEDDED, "open"),
        (ActionState.EMBEDDED, "in progress"),
        (ActionState.IN_PROGRESS, "completed"),
        (ActionState.COMPLETED, "embedded"),
        (ActionState.IMPACT_EVIDENCED, "open"),
    ],
)
def test_a_re_import_never_moves_an_action_around_the_lifecycle(
    review, tmp_path, capsys, stored, written
):
    call_command("import_actions", str(write_csv(tmp_path / "a.csv", [GOOD[0]])), by="qa")
    Action.objects.update(state=stored)  # as the lifecycle services left it
    row = list(GOOD[0])
    row[3] = "Changed."
    row[7] = written
    assert refused(capsys, write_csv(tmp_path / "b.csv", [row]), by="qa") == [
        f"row 2, state: the action is {stored.label.lower()} in the Hub and an import never "
        f"changes its state (write {stored.label.lower()} or leave state empty)"
    ]
    action = Action.objects.get()
    assert (action.state, action.description) == (stored, GOOD[0][3])


def test_re_importing_an_embedded_action_leaves_it_embedded(review, tmp_path):
    call_command("import_actions", str(write_csv(tmp_path / "a.csv", [GOOD[0]])), by="qa")
    Action.objects.update(state=ActionState.EMBEDDED)
    for state in ("", "Embedded"):
        row = list(GOOD[0])
        row[3] = f"Brief all front door staff ({state or 'no state'})."
        row[7] = state
        call_command("import_actions", str(write_csv(tmp_path / "b.csv", [row])), by="qa")
        action = Action.objects.get()
        assert action.state == ActionState.EMBEDDED
        assert action.description == row[3]
    assert set(action.events.values_list("kind", "from_state", "to_state")) == {
        ("created", "", "in_progress"),
        ("edited", "", ""),
    }
