"""Sign-off is the only way to publish a review: the editor offers no way around it, whatever
is posted, and the listing says where each review is."""

import pytest
from django.urls import reverse

from partnership.access import SharingLevel
from reviews.models import Review, ReviewStatus
from tests.admin_forms import edit_form_data

from .test_signoff import current_task_state

AROUND = ("action-publish", "action-unpublish", "action-cancel-workflow", "action-restart-workflow")


def edit_url(review):
    return reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])


@pytest.fixture
def in_sign_off(restricted_review, people):
    restricted_review.get_workflow().start(restricted_review, people["reviewer"])
    return restricted_review


@pytest.mark.django_db
def test_the_editor_offers_no_button_around_sign_off(signed_in, people, in_sign_off):
    for username in ("reviewer", "manager"):
        html = signed_in(people[username]).get(edit_url(in_sign_off)).content.decode()
        for name in AROUND:
            assert f'name="{name}"' not in html, (username, name)
    # A system administrator keeps every button, for the day something goes wrong.
    html = signed_in(people["admin"]).get(edit_url(in_sign_off)).content.decode()
    assert 'name="action-cancel-workflow"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("action", AROUND)
def test_posting_around_sign_off_neither_publishes_nor_cancels(
    client, signed_in, people, in_sign_off, action
):
    data = edit_form_data(client, people["reviewer"], edit_url(in_sign_off), title="Rushed")
    data[action] = "1"
    signed_in(people["reviewer"]).post(edit_url(in_sign_off), data)
    review = Review.objects.get(pk=in_sign_off.pk)
    assert review.workflow_in_progress, action
    assert current_task_state(review).task.name == "Panel approval"
    assert review.status != ReviewStatus.SIGNED_OFF
    assert review.title != "Rushed"  # the live review changes only when sign-off publishes it


@pytest.mark.django_db
def test_nobody_but_an_administrator_unpublishes_a_review(signed_in, people, partnership_review):
    unpublish = reverse("wagtailsnippets_reviews_review:unpublish", args=[partnership_review.pk])
    for username in ("reviewer", "manager", "qa"):
        signed_in(people[username]).post(unpublish)
        assert Review.objects.get(pk=partnership_review.pk).live, username
    signed_in(people["admin"]).post(unpublish)
    assert not Review.objects.get(pk=partnership_review.pk).live


@pytest.mark.django_db
def test_the_listing_says_which_step_of_sign_off_a_review_is_at(signed_in, people, in_sign_off):
    listing = reverse("wagtailsnippets_reviews_review:list")
    html = signed_in(people["reviewer"]).get(listing).content.decode()
    assert "In sign-off: Panel approval" in html


@pytest.mark.django_db
def test_whoever_opens_a_review_sits_on_its_panel_and_keeps_it(
    client, signed_in, people, partnership_review
):
    add = reverse("wagtailsnippets_reviews_review:add")
    data = edit_form_data(
        client,
        people["reviewer"],
        edit_url(partnership_review),
        reference="WIR-RR-2026-77",
        title="A new rapid review",
        sharing_level=SharingLevel.RESTRICTED,
        panel=[],
    )
    reviewer = signed_in(people["reviewer"])
    response = reviewer.post(add, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    review = Review.objects.get(reference="WIR-RR-2026-77")
    assert list(review.panel.all()) == [people["reviewer"]]
    assert reviewer.get(edit_url(review)).status_code == 200
    listing = reverse("wagtailsnippets_reviews_review:list")
    assert "WIR-RR-2026-77" in reviewer.get(listing).content.decode()
