import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Finding, Review
from tests.reviews.conftest import csv_bytes, make_admin_review, review_row

IMPORT_URL = "reviews_transfer:import_reviews"
FINDINGS_URL = "reviews_transfer:import_findings"
EXPORT_URL = "reviews_transfer:export_reviews"


def upload(content, name="tracker.csv"):
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def test_a_manager_uploads_a_tracker_and_sees_the_count(client, people, review_file, run_upload):
    client.force_login(people["manager"])
    assert client.get(reverse(IMPORT_URL)).status_code == 200

    response = run_upload(reverse(IMPORT_URL), review_file(review_row()))
    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 302
    assert "1 review imported (1 new, 0 updated)" in response.content.decode()
    assert Review.objects.filter(reference="WIR-RR-2026-01").exists()


def test_an_upload_with_a_bad_row_lists_it_and_changes_nothing(
    client, people, review_file, run_upload
):
    client.force_login(people["reviewer"])
    rows = [review_row(reference="G-1"), review_row(reference="B-2", aware_date="2026-13-45")]
    response = run_upload(reverse(IMPORT_URL), review_file(*rows))

    page = response.content.decode()
    assert "row 3, aware_date: 2026-13-45 is not a date" in page
    assert "Nothing was imported" in page
    assert not Review.objects.exists()


def test_an_upload_must_be_csv_or_xlsx(client, people, run_upload):
    client.force_login(people["manager"])
    response = run_upload(reverse(IMPORT_URL), b"hello", name="tracker.pdf")
    assert "Choose a .csv or .xlsx file." in response.content.decode()


def test_findings_upload_page(client, people):
    client.force_login(people["reviewer"])
    page = client.get(reverse(FINDINGS_URL)).content.decode()
    assert "review_reference, finding, recommendation, themes, agencies, sharing_level" in page


@pytest.mark.parametrize("url", [IMPORT_URL, FINDINGS_URL, EXPORT_URL])
def test_an_admin_user_without_the_role_gets_403(client, people, url):
    client.force_login(people["trainer"])  # may use the admin, not reviews
    assert client.get(reverse(url)).status_code == 403
    assert client.get(reverse(url), {"format": "csv"}).status_code == 403


@pytest.mark.parametrize("url", [IMPORT_URL, FINDINGS_URL, EXPORT_URL])
def test_a_practitioner_never_reaches_the_pages(client, people, url, review_file, run_upload):
    """Practitioners cannot use the Wagtail admin at all: Wagtail turns them away (to sign-in)
    before the view runs; nothing is imported or exported."""
    client.force_login(people["practitioner"])
    response = client.get(reverse(url), {"format": "csv"})
    assert response.status_code in (302, 403)
    assert b"reference" not in response.content
    run_upload(reverse(IMPORT_URL), review_file(review_row()))
    assert not Review.objects.exists()


def test_export_view_downloads_what_the_user_may_see(client, people, wirral, liverpool):
    Review.objects.create(
        reference="WIR-R", title="r", review_type="sar", lead_partnership=wirral,
        sharing_level="restricted", confidential_details="[fictional] secret",
    )  # fmt: skip
    Review.objects.create(
        reference="LIV-P", title="p", review_type="sar", lead_partnership=liverpool,
        sharing_level="partnership",
    )  # fmt: skip
    client.force_login(people["liverpool.manager"])
    page = client.get(reverse(EXPORT_URL))
    assert "Download CSV" in page.content.decode()

    response = client.get(reverse(EXPORT_URL), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="reviews-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["reference"] for r in rows] == ["LIV-P"]

    xlsx = client.get(reverse(EXPORT_URL), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_menu_offers_import_and_export_to_a_manager(client, people):
    client.force_login(people["manager"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Import reviews" in page and "Export reviews (CSV / XLSX)" in page


FINDING_HEADER = ["review_reference", "finding", "recommendation", "themes", "agencies",
                  "sharing_level"]  # fmt: skip


@pytest.mark.parametrize("level", [None, "restricted", "partnership"])
def test_an_upload_into_another_partnerships_review_is_refused_in_the_same_words(
    client, people, liverpool, level, run_upload
):
    if level:
        make_admin_review(liverpool, "LIV-RR-2026-02", level)
    findings_before = Finding.objects.count()
    client.force_login(people["manager"])
    rows = [["LIV-RR-2026-02", "Something about Liverpool.", "", "", "", ""]]
    response = run_upload(reverse(FINDINGS_URL), csv_bytes(FINDING_HEADER, rows))

    page = html.unescape(response.content.decode())
    assert (
        "<li>row 2, review_reference: there is no review LIV-RR-2026-02 that you may import "
        "into</li>" in page
    )
    assert page.count("<li>row ") == 1
    assert "Nothing was imported" in page
    assert Finding.objects.count() == findings_before


def test_an_upload_of_a_review_led_elsewhere_is_refused_and_nothing_lands(
    client, people, liverpool, review_file, run_upload
):
    make_admin_review(liverpool, "LIV-RR-2026-02", "restricted")
    client.force_login(people["reviewer"])
    rows = [
        review_row(reference="WIR-RR-2026-09"),
        review_row(reference="LIV-RR-2026-02", lead_partnership="Liverpool", title="Taken"),
    ]
    response = run_upload(reverse(IMPORT_URL), review_file(*rows))

    page = html.unescape(response.content.decode())
    assert (
        "<li>row 3, lead_partnership: you can import only your own partnership's reviews "
        "(Wirral), not Liverpool's</li>" in page
    )
    assert page.count("<li>row ") == 1
    assert not Review.objects.filter(reference="WIR-RR-2026-09").exists()
    assert not Review.objects.filter(title="Taken").exists()


def test_the_owning_partnership_uploads_findings_to_its_restricted_review(
    client, people, liverpool, run_upload
):
    review = make_admin_review(liverpool, "LIV-RR-2026-02", "restricted")
    client.force_login(people["liverpool.manager"])
    rows = [["LIV-RR-2026-02", "Liverpool's finding.", "", "", "", ""]]
    response = run_upload(reverse(FINDINGS_URL), csv_bytes(FINDING_HEADER, rows))

    assert "1 finding imported (1 new, 0 updated)" in response.content.decode()
    assert review.findings.filter(text="Liverpool's finding.").exists()
