"""A signed-in reader's library is built once per audience (`partnership.access.audience_of`)
and served to everyone who shares it: never to anyone who does not, and never after a change
to what it lists. Driven through the library and theme pages, as readers use them."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from learning.library import Listing
from partnership.access import SharingLevel
from partnership.models import Membership
from reviews.models import ReviewStatus

from .library_world import briefing, finding, library, review

PUBLIC, REGIONAL = SharingLevel.PUBLIC, SharingLevel.REGIONAL
PARTNERSHIP, RESTRICTED = SharingLevel.PARTNERSHIP, SharingLevel.RESTRICTED


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.HUB_PAGE_CACHE_SECONDS = 60


def colleague_of(user, username):
    """Someone in the same partnership and agency with the same roles: the same audience."""
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user(username, email=f"{username}@example.org")
    Membership.objects.create(
        user=other, partnership=user.membership.partnership, agency=user.membership.agency
    )
    other.groups.set(Group.objects.filter(user=user))
    return other


def read(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def stored_for(user, url):
    """Read until the audience's copy is stored (with no generation yet, the first read only
    starts one); return the read that built it."""
    built = read(user, url)
    again = read(user, url)
    if not served(again):
        built = again
        assert served(read(user, url))
    return built


def served(response) -> bool:
    """Whether the list came from the audience's copy: then no listing was built to render."""
    listing = response.context["listing"]
    return not isinstance(listing, Listing) and listing.built is None


def test_colleagues_share_one_copy(people, wirral, world):
    region = library()
    finding(review(wirral, REGIONAL), REGIONAL, "Fictional regional finding")
    first = stored_for(people["practitioner"], region.url)
    colleague = colleague_of(people["practitioner"], "fictional.colleague")
    shared = read(colleague, region.url)
    assert served(shared)
    assert "Fictional regional finding" in shared.text
    assert shared.context["listing"].html in first.text  # the very list the first reader saw
    # Around the shared list, the page is the reader's own.
    assert 'Signed in as <span class="hub-account__name">fictional.colleague</span>' in shared.text


@pytest.mark.parametrize("where", ["region", "theme"])
def test_what_one_partnership_sees_never_reaches_another_or_a_visitor(
    people, wirral, liverpool, world, where
):
    region = library()
    wirral_only = briefing(library(wirral), wirral, PARTNERSHIP, "Wirral-only fictional briefing",
                           themes=["neglect"])  # fmt: skip
    finding(review(wirral, PARTNERSHIP, themes=["neglect"]), PARTNERSHIP,
            "Wirral-only fictional finding", themes=["neglect"])  # fmt: skip
    url = region.url if where == "region" else reverse("theme", args=["neglect"])
    wirral_copy = stored_for(people["practitioner"], url)
    assert wirral_only.title in wirral_copy.text
    assert "Wirral-only fictional finding" in wirral_copy.text
    for reader in [people["liverpool.practitioner"], people["liverpool.manager"], None]:
        for _ in range(2):
            text = read(reader, url).text
            assert wirral_only.title not in text, reader
            assert "Wirral-only fictional finding" not in text, reader


def test_a_panel_members_view_is_their_own(people, wirral, world):
    """A restricted report is seen by its panel: a reviewer on it and one who is not share
    partnership, agency and roles, yet never each other's list."""
    region = library()
    report = review(wirral, RESTRICTED, "Restricted fictional report")
    report.panel.add(people["reviewer"])
    report.save()  # a cluster keeps its parental relations until saved
    on_panel = stored_for(people["reviewer"], region.url)
    assert "Restricted fictional report" in on_panel.text
    not_on_panel = colleague_of(people["reviewer"], "fictional.reviewer")
    for _ in range(2):
        response = read(not_on_panel, region.url)
        assert "Restricted fictional report" not in response.text
    # And the other way round: the panel member's list is not the colleague's.
    assert "Restricted fictional report" in read(people["reviewer"], region.url).text


def test_every_kind_of_change_empties_the_audiences_copy(people, wirral, world):
    region = library()
    practitioner = people["practitioner"]
    stored_for(practitioner, region.url)
    assert served(read(practitioner, region.url))

    new = briefing(library(wirral), wirral, REGIONAL, "Newly published fictional briefing")
    fresh = read(practitioner, region.url)
    assert not served(fresh) and new.title in fresh.text

    stored_for(practitioner, region.url)
    new.unpublish()
    assert new.title not in read(practitioner, region.url).text

    report = review(wirral, REGIONAL, "Fictional report under sign-off",
                    status=ReviewStatus.IN_PROGRESS)  # fmt: skip
    item = finding(report, REGIONAL, "Fictional finding awaiting sign-off")
    assert item.title not in stored_for(practitioner, region.url).text
    report.status = ReviewStatus.SIGNED_OFF
    report.save()
    assert item.title in read(practitioner, region.url).text

    stored_for(practitioner, region.url)
    item.title = "Fictional finding, retitled"
    item.save()
    assert "Fictional finding, retitled" in read(practitioner, region.url).text

    stored_for(practitioner, region.url)
    item.sharing_level = PARTNERSHIP
    item.save()
    liverpool_reader = read(people["liverpool.practitioner"], region.url)
    assert "Fictional finding, retitled" not in liverpool_reader.text


def test_filters_and_pages_have_copies_of_their_own(people, wirral, world):
    region = library()
    finding(review(wirral, REGIONAL, themes=["neglect"]), REGIONAL, "Fictional neglect finding",
            themes=["neglect"])  # fmt: skip
    finding(review(wirral, REGIONAL), REGIONAL, "Fictional other finding")
    practitioner = people["practitioner"]
    assert "Fictional other finding" in stored_for(practitioner, region.url).text
    filtered = read(practitioner, region.url + "?theme=neglect")
    assert "Fictional neglect finding" in filtered.text
    assert "Fictional other finding" not in filtered.text
