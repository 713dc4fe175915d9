"""Actions uploaded in the admin run as import jobs too: the same pipeline, result, job page and
owner-only access as the reviews' uploads."""

import pytest
from django.urls import reverse

from hub.models import ImportJob
from learning.models import Action
from tests.learning import test_importing
from tests.learning.test_importing import GOOD, HEADER
from tests.reviews import conftest as reviews_fixtures
from tests.reviews.conftest import csv_bytes

# The actions import's review, and the reviews' way of posting an upload and running its job.
review = test_importing.review
run_upload = reviews_fixtures.run_upload

# The upload is an import job run by a Celery task: run it here (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("tasks_in_this_process")

UPLOAD_URL = "learning_import_actions"


def test_quality_assurance_uploads_actions_and_the_job_page_shows_the_result(
    client,
    people,
    review,
    run_upload,
):
    client.force_login(people["qa"])
    page = client.get(reverse(UPLOAD_URL)).content.decode()
    assert ", ".join(HEADER) in page

    response = run_upload(reverse(UPLOAD_URL), csv_bytes(HEADER, GOOD), name="actions.csv")
    job = ImportJob.objects.get()
    assert response.redirect_chain[0][0] == reverse("hub_imports:job", args=[job.pk])
    assert (job.kind, job.state) == ("actions", ImportJob.State.DONE)
    assert "2 actions imported (2 new, 0 updated); 1 recommendation added" in (
        response.content.decode()
    )
    assert Action.objects.count() == 2
    event = Action.objects.get(reference="WIR-ACT-1").events.get()
    assert (event.user, event.note) == (people["qa"], "Imported from actions.csv")


def test_a_bad_row_is_named_on_the_job_page_and_nothing_lands(
    client,
    people,
    review,
    run_upload,
):
    bad = list(GOOD[1])
    bad[6] = "31/02/2026"
    client.force_login(people["qa"])
    response = run_upload(reverse(UPLOAD_URL), csv_bytes(HEADER, [GOOD[0], bad]))
    page = response.content.decode()
    assert "row 3, due_date: 31/02/2026 is not a date" in page
    assert "Nothing was imported" in page
    assert not Action.objects.exists()


@pytest.mark.parametrize("username", ["reviewer", "trainer", "agencylead"])
def test_only_quality_assurance_and_managers_reach_the_upload(client, people, username):
    client.force_login(people[username])
    assert client.get(reverse(UPLOAD_URL)).status_code in (302, 403)


def test_an_actions_job_is_its_owners_alone(client, people):
    job = ImportJob.objects.create(user=people["qa"], kind="actions", file_name="a.csv")
    url = reverse("hub_imports:job", args=[job.pk])
    client.force_login(people["manager"])
    assert client.get(url).status_code == 404
    client.force_login(people["qa"])
    assert client.get(url).status_code == 200
