"""Who sees what of a review through the admin."""

import pytest
from django.urls import reverse

from reviews.models import Review
from tests.admin_forms import form_data

from .conftest import SECRET


def url(name, *args):
    return reverse(f"wagtailsnippets_reviews_review:{name}", args=args)


def object_urls(review):
    revision = review.latest_revision_id
    return [
        url("edit", review.pk),
        url("history", review.pk),
        url("preview_on_edit", review.pk),
        url("revisions_view", review.pk, revision),
        url("revisions_compare", review.pk, revision, "latest"),
        url("delete", review.pk),
        url("usage", review.pk),
        url("unlock", review.pk),
        url("workflow_history", review.pk),
    ]


@pytest.mark.django_db
def test_another_partnerships_manager_gets_404_on_every_view_of_a_review(
    signed_in, people, partnership_review
):
    client = signed_in(people["liverpool.manager"])
    for address in object_urls(partnership_review):
        assert client.get(address).status_code == 404, address
    assert client.post(url("delete", partnership_review.pk)).status_code == 404
    assert Review.objects.filter(pk=partnership_review.pk).exists()


@pytest.mark.django_db
def test_practitioner_of_another_partnership_cannot_open_a_review(
    signed_in, people, partnership_review
):
    client = signed_in(people["liverpool.practitioner"])
    for address in object_urls(partnership_review)[:3]:
        response = client.get(address)
        assert response.status_code in (302, 403, 404), address
        assert partnership_review.title.encode() not in response.content


@pytest.mark.django_db
def test_restricted_review_is_listed_only_for_its_panel_and_managers(
    signed_in, people, restricted_review, partnership_review
):
    for username, sees_restricted in [
        ("reviewer", True),
        ("manager", True),
        ("qa", False),
        ("scrutineer", False),
        ("liverpool.manager", False),
    ]:
        response = signed_in(people[username]).get(url("list"))
        assert response.status_code == 200, username
        body = response.content.decode()
        assert (restricted_review.reference in body) is sees_restricted, username
        assert (partnership_review.reference in body) is (username != "liverpool.manager")


@pytest.mark.django_db
def test_restricted_review_answers_404_to_partnership_staff_off_the_panel(
    signed_in, people, restricted_review
):
    client = signed_in(people["qa"])
    assert client.get(url("edit", restricted_review.pk)).status_code == 404
    assert client.get(url("history", restricted_review.pk)).status_code == 404


@pytest.mark.django_db
def test_the_review_chooser_lists_only_visible_reviews(signed_in, people, restricted_review):
    client = signed_in(people["qa"])
    response = client.get(reverse("wagtailsnippetchoosers_reviews_review:choose"))
    assert response.status_code == 200
    assert restricted_review.reference not in response.content.decode()


@pytest.mark.django_db
def test_confidential_details_are_shown_to_the_panel_and_owning_managers_only(
    signed_in, people, partnership_review
):
    edit = url("edit", partnership_review.pk)
    for username, may_read in [("reviewer", True), ("manager", True), ("qa", False)]:
        response = signed_in(people[username]).get(edit)
        assert response.status_code == 200, username
        assert (SECRET in response.content.decode()) is may_read, username
        assert ('name="confidential_details"' in response.content.decode()) is may_read


@pytest.mark.django_db
def test_confidential_details_never_appear_in_preview_history_or_compare(
    signed_in, people, partnership_review
):
    # A panel member changes the details, so that a comparison would show them.
    review = partnership_review.get_latest_revision_as_object()
    review.confidential_details = SECRET + " and a second address"
    first = partnership_review.latest_revision_id
    second = review.save_revision(user=people["reviewer"])
    client = signed_in(people["qa"])
    for address in [
        url("revisions_compare", review.pk, first, second.pk),
        url("revisions_view", review.pk, second.pk),
        url("history", review.pk),
    ]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert SECRET not in response.content.decode(), address
    # The panel does see the change in the comparison.
    panel_view = signed_in(people["reviewer"]).get(
        url("revisions_compare", review.pk, first, second.pk)
    )
    assert "second address" in panel_view.content.decode()


@pytest.mark.django_db
def test_the_preview_never_shows_confidential_details(signed_in, people, partnership_review):
    client = signed_in(people["reviewer"])
    response = client.get(
        url("revisions_view", partnership_review.pk, partnership_review.latest_revision_id)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert partnership_review.title in body
    assert SECRET not in body


@pytest.mark.django_db
def test_staff_off_the_panel_cannot_overwrite_confidential_details(
    signed_in, people, partnership_review
):
    client = signed_in(people["qa"])
    edit = url("edit", partnership_review.pk)
    response = client.get(edit)
    data = form_data(response.context["form"])
    data["confidential_details"] = "overwritten"
    data["title"] = "A changed title"
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    latest = Review.objects.get(pk=partnership_review.pk).get_latest_revision_as_object()
    assert latest.title == "A changed title"
    assert latest.confidential_details == SECRET
