"""Who sees what of a review through the admin."""

import pytest
from django.urls import reverse

from reviews.models import Review, ReviewLogEntry

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
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    data.update(_formset_management(form))
    data["confidential_details"] = "overwritten"
    data["title"] = "A changed title"
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    latest = Review.objects.get(pk=partnership_review.pk).get_latest_revision_as_object()
    assert latest.title == "A changed title"
    assert latest.confidential_details == SECRET


def _formset_management(form):
    data = {}
    for formset in form.formsets.values():
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for child in formset.forms:
            for field in child.fields:
                value = child[field].value()
                if value is not None:
                    data[child.add_prefix(field)] = value
    return data


@pytest.mark.django_db
def test_roles_hold_the_review_permissions_from_the_migration(people):
    reviewer, qa, manager = people["reviewer"], people["qa"], people["manager"]
    for user in (reviewer, qa, manager):
        for perm in ("add", "change", "view"):
            assert user.has_perm(f"reviews.{perm}_review"), (user, perm)
        # Sign-off is the only way to publish a review (reviews/migrations/0005).
        assert not user.has_perm("reviews.publish_review"), user
    scrutineer = people["scrutineer"]
    assert scrutineer.has_perm("reviews.view_review")
    assert not scrutineer.has_perm("reviews.change_review")
    assert not people["practitioner"].has_perm("reviews.view_review")


@pytest.mark.django_db
def test_document_of_a_review_downloads_only_for_people_who_see_the_review(
    signed_in, people, review_document, client
):
    address = review_document.url
    assert signed_in(people["reviewer"]).get(address).status_code == 200
    for username in ("qa", "liverpool.practitioner", "practitioner"):
        assert signed_in(people[username]).get(address).status_code == 403, username
    client.logout()
    assert client.get(address).status_code == 403


@pytest.mark.django_db
def test_opening_a_restricted_review_leaves_an_audit_entry_without_its_details(
    signed_in, people, restricted_review, partnership_review
):
    signed_in(people["reviewer"]).get(url("edit", restricted_review.pk))
    signed_in(people["reviewer"]).get(url("edit", partnership_review.pk))
    entries = ReviewLogEntry.objects.filter(action="hub.review.viewed")
    assert [(e.review_id, e.user) for e in entries] == [(restricted_review.pk, people["reviewer"])]
    assert entries[0].data == {"how": "edit"}
    assert SECRET not in str(entries[0].data) + entries[0].label


@pytest.mark.django_db
def test_audit_trail_is_shown_only_to_the_owning_partnerships_managers(
    signed_in, people, restricted_review
):
    signed_in(people["reviewer"]).get(url("edit", restricted_review.pk))
    report = reverse("reviews_audit_trail")
    response = signed_in(people["manager"]).get(report)
    assert response.status_code == 200
    assert "Viewed a restricted review" in response.content.decode()
    assert restricted_review.reference in response.content.decode()
    other = signed_in(people["liverpool.manager"]).get(report)
    assert other.status_code == 200
    assert restricted_review.reference not in other.content.decode()
    # Wagtail's admin answers a refused permission by sending the person back to the dashboard.
    refused = signed_in(people["reviewer"]).get(report)
    assert refused.status_code in (302, 403)
    assert restricted_review.reference not in refused.content.decode()
    # Nor does the review's history, open to all who may open the review, list the reads.
    history = signed_in(people["reviewer"]).get(url("history", restricted_review.pk))
    assert "Viewed a restricted review" not in history.content.decode()


@pytest.mark.django_db
def test_site_history_never_lists_a_restricted_review_to_those_outside_it(
    signed_in, people, restricted_review
):
    response = signed_in(people["qa"]).get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    assert restricted_review.reference not in response.content.decode()
    response = signed_in(people["reviewer"]).get(reverse("wagtailadmin_reports:site_history"))
    assert restricted_review.reference in response.content.decode()


@pytest.mark.django_db
def test_listing_filters_by_type_and_searches(signed_in, people, partnership_review):
    client = signed_in(people["reviewer"])
    assert (
        partnership_review.reference
        in client.get(url("list"), {"review_type": "rapid_review"}).content.decode()
    )
    assert (
        partnership_review.reference
        not in client.get(url("list"), {"review_type": "sar"}).content.decode()
    )
    assert (
        partnership_review.reference in client.get(url("list"), {"q": "2026-02"}).content.decode()
    )
