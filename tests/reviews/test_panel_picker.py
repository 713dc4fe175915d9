"""The review editor offers the people and agencies of the partnerships that lead and take part
in the review, never the whole region's; a posted id outside them is refused."""

import pytest
from django.urls import reverse

from reviews.models import Review
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

OUTSIDERS = ["halton.reviewer", "liverpool.manager"]


def edit_url(review):
    return reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])


def form_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"]


def posted(form):
    """What the browser would post back for `form` unchanged."""
    return form_data(form)


def test_the_panel_is_chosen_from_the_lead_partnerships_people(
    signed_in, people, restricted_review
):
    client = signed_in(people["reviewer"])
    form = form_of(client, edit_url(restricted_review))
    panel = set(form.fields["panel"].queryset)
    assert {people["reviewer"], people["manager"], people["qa"], people["agencylead"]} <= panel
    for outsider in OUTSIDERS:
        assert people[outsider] not in panel, outsider
    # Practitioners sit on no panel.
    assert people["practitioner"] not in panel
    rendered = str(form["panel"])
    for outsider in OUTSIDERS:
        assert outsider not in rendered
    agencies = {a.partnership.short_name for a in form.fields["agencies"].queryset}
    assert agencies == {"Wirral"}
    finding_agencies = form.formsets["findings"].empty_form.fields["agencies"].queryset
    assert {a.partnership.short_name for a in finding_agencies} == {"Wirral"}
    assert "Halton" not in str(form["agencies"])


def test_a_partnership_taking_part_brings_its_people_and_agencies(
    signed_in, people, world, restricted_review
):
    review = Review.objects.get(pk=restricted_review.pk)
    review.participating_partnerships.add(world.partnerships["Liverpool"])
    review.save()
    review.save_revision().publish()
    client = signed_in(people["reviewer"])
    form = form_of(client, edit_url(review))
    panel = set(form.fields["panel"].queryset)
    assert people["liverpool.manager"] in panel and people["reviewer"] in panel
    assert people["halton.reviewer"] not in panel
    agencies = {a.partnership.short_name for a in form.fields["agencies"].queryset}
    assert agencies == {"Wirral", "Liverpool"}


def test_posting_someone_of_another_partnership_onto_the_panel_is_refused(
    signed_in, people, world, restricted_review
):
    client = signed_in(people["reviewer"])
    url = edit_url(restricted_review)
    data = posted(form_of(client, url))
    data["panel"] = [people["reviewer"].pk, people["halton.reviewer"].pk]
    data["agencies"] = [world.agencies[("Halton", "Police")].pk]
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "panel" in errors and "agencies" in errors, errors
    latest = Review.objects.get(pk=restricted_review.pk).get_latest_revision_as_object()
    assert people["halton.reviewer"] not in latest.panel.all()


def test_the_panel_may_be_changed_within_the_partnership(signed_in, people, restricted_review):
    client = signed_in(people["reviewer"])
    url = edit_url(restricted_review)
    data = posted(form_of(client, url))
    data["panel"] = [people["reviewer"].pk, people["qa"].pk]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    latest = Review.objects.get(pk=restricted_review.pk).get_latest_revision_as_object()
    assert set(latest.panel.all()) == {people["reviewer"], people["qa"]}


def test_a_new_review_offers_the_authors_own_partnership(signed_in, people, world):
    client = signed_in(people["halton.reviewer"])
    form = form_of(client, reverse("wagtailsnippets_reviews_review:add"))
    assert list(form.fields["lead_partnership"].queryset) == [world.partnerships["Halton"]]
    panel = set(form.fields["panel"].queryset)
    assert people["halton.reviewer"] in panel
    assert people["reviewer"] not in panel and people["liverpool.manager"] not in panel
    agencies = {a.partnership.short_name for a in form.fields["agencies"].queryset}
    assert agencies == {"Halton"}
    # Any partnership may take part in a cross-boundary review.
    assert form.fields["participating_partnerships"].queryset.count() == len(world.partnerships)


def test_a_superuser_starting_a_review_is_offered_every_partnership(signed_in, people, world):
    client = signed_in(people["admin"])
    form = form_of(client, reverse("wagtailsnippets_reviews_review:add"))
    assert form.fields["lead_partnership"].queryset.count() == len(world.partnerships)
    panel = set(form.fields["panel"].queryset)
    assert people["reviewer"] in panel and people["halton.reviewer"] in panel
