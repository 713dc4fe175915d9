import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reviews.exporting import build_export, due_dates, export_reviews
from reviews.imports import import_reviews
from reviews.models import Review, ReviewLogEntry
from tests.reviews.conftest import review_row

SECRET = "[fictional] Real name and address of the child"


def make_review(partnership, reference, sharing_level, **fields):
    fields.setdefault("review_type", "rapid_review")
    return Review.objects.create(
        reference=reference,
        title=f"Review {reference}",
        lead_partnership=partnership,
        sharing_level=sharing_level,
        confidential_details=SECRET,
        **fields,
    )


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def wirral_reviews(wirral):
    return {
        level: make_review(wirral, f"WIR-{level}", level)
        for level in ("restricted", "partnership", "regional", "public")
    }


def test_a_liverpool_practitioner_sees_only_what_wirral_shares_with_the_region(
    people, wirral_reviews, liverpool
):
    make_review(liverpool, "LIV-partnership", "partnership")
    content, _ = export_reviews(people["liverpool.practitioner"], "csv")

    references = {row["reference"] for row in read_csv(content)}
    assert references == {"WIR-regional", "WIR-public", "LIV-partnership"}


def test_no_confidential_text_in_either_format(people, wirral_reviews):
    csv_content, _ = export_reviews(people["admin"], "csv")
    xlsx_content, _ = export_reviews(people["admin"], "xlsx")

    assert len(read_csv(csv_content)) == 4
    assert SECRET.encode() not in csv_content
    sheet = load_workbook(io.BytesIO(xlsx_content)).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "confidential_details" not in cells[:30]
    assert not any(SECRET in c for c in cells)


def test_due_dates_count_working_days_around_christmas_and_easter(people, wirral):
    # Tue 22 Dec 2026 + 5 working days skips Christmas Day and the substitute Boxing Day (28th).
    # Fri 27 Mar 2026 + 15 working days skips Good Friday (3 Apr) and Easter Monday (6 Apr).
    review = make_review(
        wirral,
        "WIR-RR-DUE",
        "partnership",
        aware_date=date(2026, 12, 22),
        notification_date=date(2026, 3, 27),
    )
    assert due_dates(review)["notification"] == date(2026, 12, 31)
    assert due_dates(review)["rapid_review"] == date(2026, 4, 21)

    row = read_csv(export_reviews(people["manager"], "csv")[0])[0]
    assert row["due_notification"] == "2026-12-31"
    assert row["due_rapid_review"] == "2026-04-21"


def test_an_audit_without_dates_has_empty_due_columns(people, wirral):
    make_review(wirral, "WIR-MAA-1", "partnership", review_type="multi_agency_audit")
    row = read_csv(export_reviews(people["manager"], "csv")[0])[0]
    assert row["due_notification"] == "" and row["due_rapid_review"] == ""
    assert row["status"] == "Draft"


def test_exporting_restricted_reviews_is_audited(people, wirral_reviews):
    export_reviews(people["manager"], "csv")

    def logged(review):
        return ReviewLogEntry.objects.filter(review=review, user=people["manager"]).exists()

    assert logged(wirral_reviews["restricted"])
    assert not logged(wirral_reviews["public"])


def test_round_trip_export_then_import_into_an_empty_database(people, review_file, liverpool):
    rows = [
        review_row(),
        review_row(
            reference="WIR-MAA-2026-01",
            type="Multi-agency audit",
            title="=SUM(A1) is not a formula",
            aware_date="",
            incident_date="",
            notification_date="",
            decision="",
            sharing_level="Regional",
            summary="-a summary that starts with a dash",
        ),
    ]
    assert import_reviews(review_file(*rows), user=people["manager"]).ok
    original = Review.objects.get(reference="WIR-RR-2026-01")
    original.participating_partnerships.add(liverpool)
    original.status = "in_progress"
    original.save()

    def snapshot():
        return [
            (
                r.reference,
                r.review_type,
                r.title,
                r.subject_pseudonym,
                r.lead_partnership_id,
                r.sharing_level,
                sorted(t.slug for t in r.themes.all()),
                sorted(a.pk for a in r.agencies.all()),
                sorted(p.pk for p in r.participating_partnerships.all()),
                r.incident_date,
                r.aware_date,
                r.notification_date,
                r.decision,
                r.summary,
                r.status,
            )
            for r in Review.objects.order_by("reference")
        ]

    before = snapshot()
    for file_format in ("csv", "xlsx"):
        content, _ = export_reviews(people["admin"], file_format)
        Review.objects.all().delete()
        result = import_reviews(content, name=f"export.{file_format}", user=people["admin"])
        assert result.ok, [str(e) for e in result.errors]
        assert snapshot() == before


def test_xlsx_never_writes_a_formula(people, wirral):
    make_review(wirral, "WIR-F", "partnership", summary='=HYPERLINK("http://example.org")')
    content, _ = export_reviews(people["manager"], "xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    summaries = [row[12].value for row in sheet.iter_rows(min_row=2)]
    cell_types = [row[12].data_type for row in sheet.iter_rows(min_row=2)]
    assert summaries == ['=HYPERLINK("http://example.org")'] and cell_types == ["s"]


def test_the_export_command_writes_csv_and_xlsx(people, wirral_reviews, tmp_path, capsys):
    call_command("export_reviews", "--format", "csv", "--user", "liverpool.practitioner")
    out = capsys.readouterr().out
    assert "WIR-public" in out and "WIR-restricted" not in out

    path = tmp_path / "reviews.xlsx"
    call_command("export_reviews", format="xlsx", user="manager", output=str(path))
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("reference", "type", "title")
    assert "due_notification" in rows[0] and "due_rapid_review" in rows[0]
    assert len(rows) == 5


def test_the_export_command_needs_a_real_user(people):
    with pytest.raises(CommandError, match="no user called nobody"):
        call_command("export_reviews", user="nobody")


def test_columns_are_the_import_columns_then_status_and_due_dates(people):
    columns = build_export(people["admin"]).columns
    assert columns[:13] == [
        "reference",
        "type",
        "title",
        "subject_pseudonym",
        "lead_partnership",
        "sharing_level",
        "themes",
        "agencies",
        "incident_date",
        "aware_date",
        "notification_date",
        "decision",
        "summary",
    ]
    assert columns[13:17] == [
        "participating_partnerships",
        "status",
        "due_notification",
        "due_rapid_review",
    ]
