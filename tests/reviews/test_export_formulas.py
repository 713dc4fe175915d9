"""Reviews whose title starts like a formula, exported through the admin: the review listing and
the transfer export write the cell as text, in CSV and in XLSX."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reviews.models import Review

FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"]


def body(response) -> bytes:
    assert response.status_code == 200
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def csv_column(response, heading) -> list[str]:
    rows = csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"), newline=""))
    return sorted(row[heading] for row in rows)


def xlsx_column(response, heading) -> list[tuple]:
    rows = list(load_workbook(io.BytesIO(body(response))).active.iter_rows())
    column = [cell.value for cell in rows[0]].index(heading)
    return sorted((row[column].value, row[column].data_type) for row in rows[1:])


@pytest.fixture
def formula_reviews(wirral):
    return [
        Review.objects.create(
            reference=f"WIR-F{n}",
            title=text,
            review_type="sar",
            lead_partnership=wirral,
            sharing_level="partnership",
        )
        for n, text in enumerate(FORMULAS)
    ]


@pytest.mark.parametrize(
    "url,format_key,heading",
    [
        ("/admin/snippets/reviews/review/", "export", "Title"),
        (reverse("reviews_transfer:export_reviews"), "format", "title"),
    ],
)
def test_review_exports_write_formula_titles_as_text(
    client, people, formula_reviews, url, format_key, heading
):
    client.force_login(people["manager"])

    titles = csv_column(client.get(url, {format_key: "csv"}), heading)
    assert titles == sorted("'" + text for text in FORMULAS)

    cells = xlsx_column(client.get(url, {format_key: "xlsx"}), heading)
    assert cells == sorted((text, "s") for text in FORMULAS)
