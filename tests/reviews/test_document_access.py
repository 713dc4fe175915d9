"""A review's documents in the admin's document library, choosers and admin API: listed only to
people who may see the review, as they are downloaded."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from reviews.models import REVIEW_DOCUMENTS_COLLECTION

pytestmark = pytest.mark.django_db

TITLE = "Police chronology"
FILE_NAME = "police-chronology"

LISTS = [
    ("wagtaildocs:index", {}),
    ("wagtaildocs:index_results", {}),
    ("wagtaildocs:index", {"q": "{q}"}),
    ("wagtaildocs_chooser:choose", {}),
    ("wagtaildocs_chooser:choose_results", {}),
    ("wagtaildocs_chooser:choose_results", {"q": "{q}"}),
]
API = "/admin/api/main/documents/"

# The tester's demo people: another partnership's reviewer, and Wirral's people off the
# restricted review's panel, all holding document permissions on the review documents collection.
OUTSIDERS = ["halton.reviewer", "qa"]
OWNERS = ["reviewer", "manager", "admin"]


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home")
    return response.status_code in (403, 404)


def pages(client, q="chronology"):
    """Every list of documents in the admin, with and without a search for `q`."""
    for name, template in LISTS:
        params = {key: value.format(q=q) for key, value in template.items()}
        response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        yield f"{name} {params}", response.content.decode()
    for params in ({}, {"search": q}):
        response = client.get(API, params)
        assert response.status_code == 200, (API, params)
        yield f"{API} {params}", response.content.decode()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_lists_omit_the_document_of_a_review_the_reader_may_not_see(
    signed_in, people, review_document, username
):
    client = signed_in(people[username])
    for where, body in pages(client):
        assert TITLE not in body, where
        assert FILE_NAME not in body, where


@pytest.mark.parametrize("username", OWNERS)
def test_the_reviews_panel_and_managers_see_its_document(
    signed_in, people, review_document, username
):
    client = signed_in(people[username])
    for where, body in pages(client):
        assert TITLE in body, where
    api = client.get(API).json()
    assert review_document.pk in [item["id"] for item in api["items"]]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_object_views_of_a_hidden_document_are_refused(
    signed_in, people, review_document, username
):
    client = signed_in(people[username])
    for name in ("wagtaildocs:edit", "wagtaildocs:delete", "wagtaildocs:document_usage"):
        response = client.get(reverse(name, args=[review_document.pk]))
        assert refused(response), name
        assert TITLE not in response.content.decode(), name
    chosen = client.get(reverse("wagtaildocs_chooser:chosen", args=[review_document.pk]))
    assert refused(chosen)
    detail = client.get(f"{API}{review_document.pk}/")
    assert detail.status_code == 404
    edit_multiple = client.post(
        reverse("wagtaildocs:edit_multiple", args=[review_document.pk]),
        {f"doc-{review_document.pk}-title": "Renamed"},
    )
    assert refused(edit_multiple)
    review_document.refresh_from_db()
    assert review_document.title == TITLE


def test_the_panel_may_still_edit_the_document(signed_in, people, review_document):
    client = signed_in(people["reviewer"])
    response = client.get(reverse("wagtaildocs:edit", args=[review_document.pk]))
    assert response.status_code == 200
    assert TITLE in response.content.decode()


def test_a_document_in_the_review_collection_held_by_no_review_is_listed_to_no_one(
    signed_in, people, restricted_review
):
    Document.objects.create(
        title="Orphaned minutes",
        collection=Collection.objects.get(name=REVIEW_DOCUMENTS_COLLECTION),
        file=ContentFile(b"minutes", name="orphaned-minutes.txt"),
    )
    for username in ("reviewer", "manager", "halton.reviewer"):
        client = signed_in(people[username])
        for where, body in pages(client, q="minutes"):
            assert "Orphaned minutes" not in body, (username, where)
    for where, body in pages(signed_in(people["admin"]), q="minutes"):
        assert "Orphaned minutes" in body, where


def test_the_registered_document_policy_asks_the_access_policy(signed_in, people, review_document):
    policy = policy_registry.get_by_type(Document)
    assert not policy.instances_user_has_any_permission_for(
        people["halton.reviewer"], ["choose", "change"]
    ).filter(pk=review_document.pk)
    assert policy.instances_user_has_any_permission_for(
        people["reviewer"], ["choose", "change"]
    ).filter(pk=review_document.pk)
