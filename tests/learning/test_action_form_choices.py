"""The action form's selects offer what the editor may see of the action's own partnership: its
reviews' recommendations, its agencies and its people; a posted id outside them is refused."""

import pytest
from django.urls import reverse

from learning.models import Action
from partnership.access import SharingLevel
from partnership.models import Membership
from reviews.models import Recommendation, Review, ReviewType

pytestmark = pytest.mark.usefixtures("reports_world")

ADD = reverse("wagtailsnippets_learning_action:add")

RESTRICTED_TEXT = "Restricted: the cross-boundary panel keeps this recommendation."
SHARED_TEXT = "Shared with the partnerships taking part in the cross-boundary review."
REGIONAL_TEXT = "Regional: every partnership should audit its front door."


@pytest.fixture
def cross_boundary(world, reports_world):
    """A Wirral review Liverpool takes part in, with a restricted and a partnership-level
    recommendation, and a regional recommendation of a Wirral review Liverpool has no part in."""
    wirral, liverpool = world.partnerships["Wirral"], world.partnerships["Liverpool"]
    review = Review.objects.create(
        reference="WIR-CB-1",
        title="Cross-boundary review: Child Y",
        review_type=ReviewType.LEARNING_REVIEW,
        lead_partnership=wirral,
        sharing_level=SharingLevel.PARTNERSHIP,
    )
    review.participating_partnerships.add(liverpool)
    review.save()  # a parental many-to-many is written on save
    restricted = Recommendation.objects.create(
        review=review, text=RESTRICTED_TEXT, sharing_level=SharingLevel.RESTRICTED
    )
    shared = Recommendation.objects.create(review=review, text=SHARED_TEXT)
    regional = Recommendation.objects.create(
        review=reports_world.review, text=REGIONAL_TEXT, sharing_level=SharingLevel.REGIONAL
    )
    return {"review": review, "restricted": restricted, "shared": shared, "regional": regional}


def options(response, name):
    field = response.context["form"].fields[name]
    return {str(choice) for choice in field.queryset}


def add_data(world, partnership="Liverpool", **overrides):
    data = {
        "reference": "LIV-NEW-1",
        "source": "recommendation",
        "source_detail": "",
        "description": "A fictional new action.",
        "partnership": world.partnerships[partnership].pk,
        "owner_agency": world.agencies[(partnership, "Police")].pk,
        "lead": "",
        "due_date": "2027-09-01",
        "original_due_date": "",
        "progress": "",
        "themes": "",
        "sharing_level": SharingLevel.PARTNERSHIP,
    }
    data.update(overrides)
    return data


def test_another_partnerships_manager_is_offered_only_what_they_see_of_their_own(
    client, people, cross_boundary, reports_world
):
    client.force_login(people["liverpool.manager"])
    response = client.get(ADD)
    assert response.status_code == 200
    page = response.content.decode()
    assert SHARED_TEXT in page
    assert "Liverpool recommendation on transitions." in page
    assert RESTRICTED_TEXT not in page
    # Visible to Liverpool (regional), but of a review Liverpool has no part in.
    assert REGIONAL_TEXT not in page
    for wirral_only in ("Agencies should share information", "Police should ask about fathers"):
        assert wirral_only not in page


def test_the_owning_partnerships_overseers_are_offered_their_restricted_recommendations(
    client, people, cross_boundary
):
    client.force_login(people["manager"])
    page = client.get(ADD).content.decode()
    assert RESTRICTED_TEXT in page and REGIONAL_TEXT in page and SHARED_TEXT in page
    assert "Liverpool recommendation on transitions." not in page


def test_posting_a_restricted_recommendation_is_refused(client, people, world, cross_boundary):
    client.force_login(people["liverpool.manager"])
    response = client.post(
        ADD,
        add_data(
            world,
            review=cross_boundary["review"].pk,
            recommendation=cross_boundary["restricted"].pk,
        ),
    )
    assert response.status_code == 200
    assert "recommendation" in response.context["form"].errors
    assert RESTRICTED_TEXT not in response.content.decode()
    assert not Action.objects.filter(reference="LIV-NEW-1").exists()


def test_posting_another_partnerships_recommendation_agency_or_lead_is_refused(
    client, people, world, cross_boundary, reports_world
):
    client.force_login(people["liverpool.manager"])
    response = client.post(
        ADD,
        add_data(
            world,
            recommendation=reports_world.recs["A"].pk,
            owner_agency=world.agencies[("Wirral", "Police")].pk,
            lead=people["agencylead"].pk,
        ),
    )
    errors = response.context["form"].errors
    assert {"recommendation", "owner_agency", "lead"} <= set(errors), errors
    assert not Action.objects.filter(reference="LIV-NEW-1").exists()


def test_a_shared_recommendation_of_the_partnership_is_accepted(
    client, people, world, cross_boundary
):
    client.force_login(people["liverpool.manager"])
    response = client.post(
        ADD,
        add_data(
            world,
            review=cross_boundary["review"].pk,
            recommendation=cross_boundary["shared"].pk,
            lead=people["liverpool.practitioner"].pk,
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    action = Action.objects.get(reference="LIV-NEW-1")
    assert action.recommendation == cross_boundary["shared"]
    assert action.lead == people["liverpool.practitioner"]


def test_a_new_action_is_filed_under_the_editors_own_partnership(client, people, world):
    client.force_login(people["liverpool.manager"])
    response = client.get(ADD)
    assert options(response, "partnership") == {str(world.partnerships["Liverpool"])}
    agencies = response.context["form"].fields["owner_agency"].queryset
    assert {a.partnership.short_name for a in agencies} == {"Liverpool"}
    leads = response.context["form"].fields["lead"].queryset
    assert {m.partnership.short_name for m in Membership.objects.filter(user__in=leads)} == {
        "Liverpool"
    }
    assert people["agencylead"] not in leads


def test_the_edit_form_offers_the_actions_partnerships_people_and_agencies(
    client, people, reports_world
):
    action = reports_world.actions["F1"]
    client.force_login(people["qa"])
    response = client.get(reverse("wagtailsnippets_learning_action:edit", args=[action.pk]))
    form = response.context["form"]
    partnerships = {a.partnership.short_name for a in form.fields["owner_agency"].queryset}
    assert partnerships == {"Wirral"}
    assert people["agencylead"] in form.fields["lead"].queryset
    for outsider in ("liverpool.manager", "halton.reviewer", "liverpool.practitioner"):
        assert people[outsider] not in form.fields["lead"].queryset, outsider
    page = response.content.decode()
    assert "Liverpool recommendation on transitions." not in page
    assert "Halton" not in str(form["owner_agency"])
