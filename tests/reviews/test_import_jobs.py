"""Admin uploads run as import jobs: queued, run by the Celery task, kept with their result.

Untimed: how fast an import is belongs to `make bench`; here, that it goes through the task,
that it lands whole or not at all, who may see a job, and that its cost in queries does not
grow with its rows."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Revision

from hub.importing.jobs import start_import
from hub.models import ImportJob
from reviews.imports import import_findings, recommendations
from reviews.models import Finding, Recommendation, Review, ReviewLogEntry
from tests.reviews.conftest import csv_bytes, make_admin_review

FINDINGS_URL = "reviews_transfer:import_findings"
HEADER = ["review_reference", "finding", "recommendation", "themes", "agencies", "sharing_level"]


def finding_rows(reference, count, start=0):
    return [
        [
            reference,
            f"Finding {n} of {reference}: information was not shared.",
            f"Recommendation {n % 7} of {reference}.",
            "neglect",
            "Health",
            "Regional" if n % 5 == 0 else "",
        ]
        for n in range(start, start + count)
    ]


@pytest.fixture
def review(wirral, people):
    return make_admin_review(wirral, "WIR-RR-2026-01", "restricted", panel=[people["reviewer"]])


def post_upload(client, content, name="findings.csv"):
    return client.post(
        reverse(FINDINGS_URL),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_an_upload_goes_queued_then_done_through_the_task_and_its_page_keeps_the_result(
    client, people, review, django_capture_on_commit_callbacks
):
    client.force_login(people["manager"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_upload(client, csv_bytes(HEADER, finding_rows(review.reference, 300)))
        job = ImportJob.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("hub_imports:job", args=[job.pk])
        assert job.state == ImportJob.State.QUEUED
        assert job.user == people["manager"] and job.file_name == "findings.csv"
        stored = Path(job.upload.path)
        assert stored.is_file() and "findings.csv" not in stored.name
        waiting = client.get(response.url).content.decode()
        assert 'http-equiv="refresh"' in waiting
        assert 'role="status"' in waiting and "Waiting to start" in waiting
        assert not Finding.objects.filter(review=review, text__startswith="Finding ").exists()
    # The task, enqueued once the job was committed (then the search index's, after the import).
    assert "run_import_job" in repr(callbacks[0])

    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert (job.created, job.updated, job.rows_done, job.rows_total) == (300, 0, 300, 300)
    assert job.summary == "300 findings imported (300 new, 0 updated)"
    assert not job.upload and not stored.exists()  # the file is not kept once read
    assert Finding.objects.filter(review=review).count() == 301
    page = client.get(response.url).content.decode()
    assert "300 findings imported (300 new, 0 updated)" in page
    assert 'http-equiv="refresh"' not in page
    # The review's latest revision holds what was imported, as the admin's edit form reads it.
    review.refresh_from_db()
    assert len(review.latest_revision.content["findings"]) == 301
    assert review.live_revision_id == review.latest_revision_id
    assert ReviewLogEntry.objects.filter(
        review_id=review.pk, action="wagtail.publish", user=people["manager"]
    ).exists()


def test_a_failing_file_keeps_its_errors_on_the_job_and_writes_nothing(
    client, people, review, django_capture_on_commit_callbacks
):
    client.force_login(people["manager"])
    rows = finding_rows(review.reference, 200)
    rows[150][3] = "knitting"
    rows[199][0] = "WIR-RR-9999"
    findings_before = Finding.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(client, csv_bytes(HEADER, rows))

    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert job.summary == "Nothing was imported: the file has 2 problems."
    assert [str(e) for e in job.row_errors()] == [
        "row 152, themes: there is no theme called knitting",
        "row 201, review_reference: there is no review WIR-RR-9999 that you may import into",
    ]
    assert not job.upload
    assert Finding.objects.count() == findings_before
    page = client.get(response.url).content.decode()
    assert 'role="alert"' in page
    assert "row 152, themes: there is no theme called knitting" in page
    assert 'http-equiv="refresh"' not in page


def test_a_row_failing_late_in_the_write_phase_leaves_everything_as_it_was(
    people, review, wirral, monkeypatch
):
    """Every row passed its checks; the second review then fails Wagtail's clean as it is
    published, after the first review's findings were written: none of it may stay."""
    other = make_admin_review(wirral, "WIR-RR-2026-02", "partnership")
    before = (
        Finding.objects.count(),
        Recommendation.objects.count(),
        Revision.objects.count(),
        ReviewLogEntry.objects.count(),
    )
    full_clean = Review.full_clean

    def failing_clean(self, *args, **kwargs):
        if self.pk == other.pk:
            raise ValidationError({"title": ["is no longer allowed"]})
        return full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Review, "full_clean", failing_clean)
    rows = finding_rows(review.reference, 120) + finding_rows(other.reference, 30)
    result = import_findings(csv_bytes(HEADER, rows), user=people["manager"])

    assert [str(e) for e in result.errors] == ["row 122, title: is no longer allowed"]
    assert (result.created, result.updated) == (0, 0)
    after = (
        Finding.objects.count(),
        Recommendation.objects.count(),
        Revision.objects.count(),
        ReviewLogEntry.objects.count(),
    )
    assert after == before


def test_an_unexpected_error_fails_the_job_and_writes_nothing(
    people, review, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(recommendations, "link_recommendations", broken)
    upload = SimpleUploadedFile(
        "findings.csv", csv_bytes(HEADER, finding_rows("WIR-RR-2026-01", 50))
    )
    findings_before = Finding.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(people["manager"], "findings", upload)

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.summary.startswith("The import stopped on an unexpected error")
    assert not job.upload
    assert Finding.objects.count() == findings_before


def test_only_the_person_who_started_a_job_and_system_administrators_see_it(client, people, review):
    job = ImportJob.objects.create(
        user=people["manager"], kind="findings", file_name="findings.csv"
    )
    url = reverse("hub_imports:job", args=[job.pk])
    for username in ("reviewer", "liverpool.manager", "qa", "trainer"):
        if username not in people:
            continue
        client.force_login(people[username])
        assert client.get(url).status_code == 404, username
    admin = get_user_model().objects.create_superuser("sysadmin", "sysadmin@example.org", "x")
    client.force_login(admin)
    assert client.get(url).status_code == 200
    client.force_login(people["manager"])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to sign in; nothing about the job


def test_queries_do_not_grow_with_the_rows(people, wirral):
    """O(1) statements in the number of rows: 50 rows and 200 rows cost the same, within the
    few extra batches a bigger insert takes."""
    small = make_admin_review(wirral, "WIR-Q-50", "partnership")
    large = make_admin_review(wirral, "WIR-Q-200", "partnership")
    counts = []
    for review, count in ((small, 50), (large, 200)):
        with CaptureQueriesContext(connection) as queries:
            result = import_findings(
                csv_bytes(HEADER, finding_rows(review.reference, count)), user=people["manager"]
            )
        assert result.ok, result.errors
        counts.append(len(queries))
    assert counts[1] - counts[0] <= 6, counts


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_an_import_job(request, tmp_path, people, review, settings):
    from tests.celery_worker import start_worker

    worker = start_worker(request, tmp_path, "imports", MEDIA_ROOT=str(settings.MEDIA_ROOT))
    job = ImportJob(user=people["manager"], kind="findings", file_name="f.csv")
    job.upload.save("f.csv", ContentFile(csv_bytes(HEADER, finding_rows(review.reference, 40))))
    result = worker.send("hub.tasks.run_import_job", job.pk)

    assert worker.result(result) == ImportJob.State.DONE
    job.refresh_from_db()
    assert job.summary == "40 findings imported (40 new, 0 updated)"
    assert Finding.objects.filter(review=review).count() == 41
