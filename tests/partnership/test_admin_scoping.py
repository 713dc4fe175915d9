"""Partnership managers manage their own partnership's agencies and people, not another's."""

import pytest
from django.urls import reverse

from partnership.models import Agency, Membership


@pytest.fixture
def manager_client(client, people):
    client.force_login(people["manager"])  # Wirral
    return client


def test_agency_listing_shows_only_the_managers_partnership(manager_client, world):
    response = manager_client.get(reverse("wagtailsnippets_partnership_agency:list"))
    assert response.status_code == 200
    listed = set(response.context["object_list"].values_list("partnership__short_name", flat=True))
    assert listed == {"Wirral"}


def test_another_partnerships_agency_cannot_be_opened_or_edited(manager_client, world):
    theirs = world.agencies[("Liverpool", "Police")]
    url = reverse("wagtailsnippets_partnership_agency:edit", args=[theirs.pk])
    assert manager_client.get(url).status_code == 404
    response = manager_client.post(
        url,
        {
            "name": "Renamed",
            "short_name": "x",
            "sector": "police",
            "partnership": theirs.partnership_id,
        },
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "Renamed"


def test_own_agency_can_be_edited_but_not_moved_to_another_partnership(manager_client, world):
    ours = world.agencies[("Wirral", "Housing")]
    url = reverse("wagtailsnippets_partnership_agency:edit", args=[ours.pk])
    assert manager_client.get(url).status_code == 200
    liverpool = world.partnerships["Liverpool"]
    manager_client.post(
        url,
        {
            "name": ours.name,
            "short_name": "Housing",
            "sector": "housing",
            "partnership": liverpool.pk,
        },
    )
    ours.refresh_from_db()
    assert ours.partnership.short_name == "Wirral"


def test_people_of_another_partnership_are_out_of_reach(manager_client, people):
    theirs = Membership.objects.get(user=people["liverpool.practitioner"])
    url = reverse("wagtailsnippets_partnership_membership:edit", args=[theirs.pk])
    assert manager_client.get(url).status_code == 404
    listing = manager_client.get(reverse("wagtailsnippets_partnership_membership:list"))
    assert theirs not in listing.context["object_list"]


def test_the_hub_administrator_sees_every_partnership(client, people, world):
    client.force_login(people["admin"])
    response = client.get(reverse("wagtailsnippets_partnership_agency:list"))
    assert response.context["paginator"].count == Agency.objects.count()


@pytest.mark.django_db
def test_the_people_picker_lists_no_one_of_another_partnership(client, people):
    client.force_login(people["liverpool.manager"])
    form = client.get(reverse("wagtailsnippets_partnership_membership:add")).context["form"]
    offered = set(form.fields["user"].queryset)
    assert people["reviewer"] not in offered
    assert people["liverpool.practitioner"] in offered
