"""Reviews for the admin tests: a restricted rapid review with its panel, and a review shared
with the partnership, both led by Wirral."""

import csv
import io
import itertools
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.models import Collection

from partnership.access import SharingLevel
from reviews.models import (
    REVIEW_DOCUMENTS_COLLECTION,
    Finding,
    Review,
    ReviewDocument,
    ReviewType,
)

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _tasks_in_this_process(tasks_in_this_process):
    """An admin upload's import job is a Celery task: the tests of the views run it here, as
    the embedded default does (see tests/conftest.py); the real worker's test keeps the broker."""


@pytest.fixture
def make_review(world):
    """A fictional review of the Wirral partnership unless told otherwise."""

    def make(partnership=None, review_type=ReviewType.RAPID_REVIEW, **fields):
        n = next(_numbers)
        fields.setdefault("reference", f"TST-{n:04d}")
        fields.setdefault("title", f"Test review {n}")
        fields.setdefault("subject_pseudonym", "Child T")
        return Review.objects.create(
            lead_partnership=partnership or world.partnerships["Wirral"],
            review_type=review_type,
            **fields,
        )

    return make


@pytest.fixture
def rapid_review(make_review):
    return make_review(aware_date=date(2026, 12, 18), notification_date=date(2026, 12, 18))


SECRET = "Lives at 12 Fictional Row; case number FAKE-000"


def make_admin_review(wirral, reference, sharing_level, panel=(), **fields):
    review = Review(
        reference=reference,
        lead_partnership=wirral,
        sharing_level=sharing_level,
        confidential_details=SECRET,
        **{
            "review_type": ReviewType.RAPID_REVIEW,
            "title": f"Rapid review {reference}",
            "subject_pseudonym": "Child Q",
            "summary": "A baby was injured; agencies missed chances to share information.",
            **fields,
        },
    )
    review.save()
    review.panel.set(panel)
    review.findings.add(Finding(title="Information was not shared", text="Anonymised text."))
    review.save()
    review.save_revision().publish()
    return Review.objects.get(pk=review.pk)


@pytest.fixture
def restricted_review(wirral, people):
    return make_admin_review(
        wirral, "WIR-RR-2026-01", SharingLevel.RESTRICTED, panel=[people["reviewer"]]
    )


@pytest.fixture
def partnership_review(wirral, people):
    return make_admin_review(
        wirral, "WIR-RR-2026-02", SharingLevel.PARTNERSHIP, panel=[people["reviewer"]]
    )


@pytest.fixture
def review_document(restricted_review):
    collection = Collection.objects.get(name=REVIEW_DOCUMENTS_COLLECTION)
    document = Document.objects.create(
        title="Police chronology",
        collection=collection,
        file=ContentFile(b"chronology", name="police-chronology.txt"),
    )
    ReviewDocument.objects.create(
        review=restricted_review, document=document, kind="chronology", title="Police chronology"
    )
    return document


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# Builders for tracker files, as a partnership would keep them in Excel or save them as CSV.
REVIEW_HEADER = [
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


def csv_bytes(header, rows, bom=False) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def review_row(**overrides):
    values = {
        "reference": "WIR-RR-2026-01",
        "type": "Rapid review",
        "title": "Baby R: bruising in a non-mobile baby",
        "subject_pseudonym": "Baby R",
        "lead_partnership": "Wirral",
        "sharing_level": "Restricted",
        "themes": "Bruising in non-mobile babies; toxic trio",
        "agencies": "Police; Health",
        "incident_date": "2026-01-05",
        "aware_date": "2026-01-06",
        "notification_date": "2026-01-09",
        "decision": "LCSPR",
        "summary": "[fictional] A bruise seen at a health visit was not referred.",
    }
    values.update(overrides)
    return [values[c] for c in REVIEW_HEADER]


@pytest.fixture
def review_file():
    def make(*rows, header=REVIEW_HEADER, bom=False):
        return csv_bytes(header, rows or [review_row()], bom=bom)

    return make


@pytest.fixture
def run_upload(client, django_capture_on_commit_callbacks):
    """Post a tracker to an upload view, run the import job that its commit enqueues (the
    test's transaction never commits), and follow the redirect to the job's page."""

    def run(url, content, name="tracker.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
            )
        if response.status_code != 302:
            return response
        page = client.get(response.url)
        page.redirect_chain = [(response.url, response.status_code)]
        return page

    return run
