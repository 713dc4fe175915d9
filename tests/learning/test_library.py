"""The learning library: who sees what in the region's and a partnership's library, the filters,
pagination, theme pages, the accessibility statement and the quick exit, and a constant number
of queries however many briefings there are."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hub.models import HomePage, StandardPage
from learning import demo_briefings, demo_library
from learning.models import Acknowledgement, LibraryPage
from partnership.access import SharingLevel
from partnership.demo import World
from reviews.models import ReviewStatus, ReviewType

from .library_world import briefing, finding, library, review

PUBLIC, REGIONAL = SharingLevel.PUBLIC, SharingLevel.REGIONAL
PARTNERSHIP, RESTRICTED = SharingLevel.PARTNERSHIP, SharingLevel.RESTRICTED
LEVELS = [PUBLIC, REGIONAL, PARTNERSHIP, RESTRICTED]


@pytest.fixture
def shelves(world, wirral, liverpool):
    """A briefing, a published report and a key finding at every level from Wirral and
    Liverpool, titled by owner, kind and level ("Wirral briefing regional")."""
    region = library()
    libraries = {"Wirral": library(wirral), "Liverpool": library(liverpool)}
    for short, partnership in [("Wirral", wirral), ("Liverpool", liverpool)]:
        for level in LEVELS:
            briefing(libraries[short], partnership, level, f"{short} briefing {level}")
            report = review(partnership, level, f"{short} report {level}")
            # The finding's own level decides, whatever its review's.
            finding(report, level, f"{short} finding {level}")
    return {"region": region, **libraries}


def _titles(response) -> set[str]:
    assert response.status_code == 200
    return {entry.record.title for entry in response.context["listing"].entries}


def _expected(*pairs) -> set[str]:
    return {f"{short} {kind} {level}" for short, level in pairs for kind in _KINDS}


_KINDS = ["briefing", "report", "finding"]


def test_anonymous_visitors_see_only_public_learning_in_the_region_library(client, shelves):
    response = client.get(shelves["region"].url)
    assert _titles(response) == _expected(("Wirral", PUBLIC), ("Liverpool", PUBLIC))
    assert "You are seeing public learning only" in response.text
    # Whose it is, in the region's library.
    assert "Learning briefing from Wirral Safeguarding Children Partnership" in response.text


def test_a_member_sees_regional_learning_and_their_own_partnerships(client, people, shelves):
    client.force_login(people["practitioner"])  # Wirral
    response = client.get(shelves["region"].url)
    assert _titles(response) == _expected(
        ("Wirral", PUBLIC),
        ("Wirral", REGIONAL),
        ("Wirral", PARTNERSHIP),
        ("Liverpool", PUBLIC),
        ("Liverpool", REGIONAL),
    )
    assert response.context["listing"].counts == {"briefing": 5, "report": 5, "finding": 5}
    assert "15 results" in response.text


def test_a_manager_also_sees_their_partnerships_restricted_learning(client, people, shelves):
    client.force_login(people["manager"])  # Wirral
    titles = _titles(client.get(shelves["Wirral"].url))
    assert titles == _expected(*[("Wirral", level) for level in LEVELS])


def test_a_partnerships_library_lists_only_its_own_learning(client, people, shelves):
    client.force_login(people["practitioner"])
    assert _titles(client.get(shelves["Wirral"].url)) == _expected(
        ("Wirral", PUBLIC), ("Wirral", REGIONAL), ("Wirral", PARTNERSHIP)
    )
    # Another partnership's library: only what it shares with the region.
    assert _titles(client.get(shelves["Liverpool"].url)) == _expected(
        ("Liverpool", PUBLIC), ("Liverpool", REGIONAL)
    )
    client.logout()
    assert _titles(client.get(shelves["Liverpool"].url)) == _expected(("Liverpool", PUBLIC))


def test_only_published_reports_are_listed_and_improvements_only_is_marked(client, wirral, world):
    region = library()
    review(wirral, PUBLIC, "Published in full")
    review(wirral, PUBLIC, "Improvements only", status=ReviewStatus.PUBLISHED_IMPROVEMENTS_ONLY)
    for status in [ReviewStatus.DRAFT, ReviewStatus.SIGNED_OFF, ReviewStatus.EMBARGOED]:
        review(wirral, PUBLIC, f"Report {status}", status=status)
    embargoed = review(wirral, PUBLIC, "Embargoed", status=ReviewStatus.EMBARGOED)
    finding(embargoed, PUBLIC, "Finding of an embargoed review")
    drafting = review(wirral, PUBLIC, "Drafting", status=ReviewStatus.IN_PROGRESS)
    finding(drafting, PUBLIC, "Finding of a review in progress")
    signed_off = review(wirral, RESTRICTED, "Signed off", status=ReviewStatus.SIGNED_OFF)
    finding(signed_off, PUBLIC, "Shared finding of a restricted review")

    response = client.get(region.url + "?kind=report")
    assert _titles(response) == {"Published in full", "Improvements only"}
    assert response.text.count("Improvements only</strong>") == 1

    response = client.get(region.url + "?kind=finding")
    assert _titles(response) == {"Shared finding of a restricted review"}
    # The finding is shared; its restricted review's title is not.
    assert "Signed off" not in response.text


def test_filters_by_theme_review_type_agency_partnership_and_year(client, world, wirral, liverpool):
    region = library()
    wirral_library = library(wirral)
    police = world.agencies[("Wirral", "Police")]
    briefing(wirral_library, wirral, PUBLIC, "Neglect briefing", themes=["neglect"])
    briefing(
        wirral_library, wirral, PUBLIC, "Old briefing", when=date(2024, 5, 1), audiences=[police]
    )
    review(wirral, PUBLIC, "SAR report", review_type=ReviewType.SAR, themes=["domestic-abuse"])
    lcspr = review(wirral, PUBLIC, "LCSPR report", agencies=[police])
    finding(lcspr, PUBLIC, "Neglect finding", themes=["neglect"])
    review(liverpool, PUBLIC, "Liverpool report")

    def titles(query):
        return _titles(client.get(region.url + query))

    assert titles("?theme=neglect") == {"Neglect briefing", "Neglect finding"}
    assert titles("?review_type=sar") == {"SAR report"}
    assert titles("?review_type=lcspr&kind=finding") == {"Neglect finding"}
    assert titles(f"?agency={police.pk}") == {"Old briefing", "LCSPR report"}
    assert titles("?partnership=liverpool") == {"Liverpool report"}
    assert titles("?year=2024") == {"Old briefing"}
    assert titles("?theme=neglect&kind=briefing") == {"Neglect briefing"}
    # A choice that does not exist (an old link) is ignored, not an error.
    assert len(titles("?theme=no-such-theme&year=1900")) == 6

    response = client.get(region.url + "?theme=neglect")
    assert '<option value="neglect" selected>' in response.text
    # The partnership filter belongs to the region's library only.
    assert 'name="partnership"' not in client.get(wirral_library.url).text


def test_newest_first_across_kinds_and_paginated_keeping_filters(client, wirral, world):
    region = library()
    wirral_library = library(wirral)
    for day in range(1, 26):
        briefing(wirral_library, wirral, PUBLIC, f"Day {day}", when=date(2026, 1, day))
    review(wirral, PUBLIC, "Newest report", published=date(2026, 3, 1))

    first = client.get(region.url + "?theme=&kind=")
    listing = first.context["listing"]
    assert [e.record.title for e in listing.entries][:3] == ["Newest report", "Day 25", "Day 24"]
    assert len(listing.entries) == 20
    assert listing.total == 26
    assert 'class="govuk-pagination"' in first.text
    assert 'href="?theme=&amp;kind=&amp;page=2" rel="next"' in first.text
    assert "Showing 1 to 20 of 26, newest first." in first.text

    second = client.get(region.url + "?page=2")
    assert [e.record.title for e in second.context["listing"].entries] == [
        f"Day {day}" for day in range(6, 0, -1)
    ]
    assert 'aria-current="page">2</a>' in second.text
    # Past the end: the last page, not an error.
    assert client.get(region.url + "?page=99").context["listing"].page.number == 2


def test_theme_page_gathers_what_the_reader_may_see(client, people, wirral, liverpool, world):
    wirral_library = library(wirral)
    briefing(wirral_library, wirral, PUBLIC, "Public neglect briefing", themes=["neglect"])
    briefing(wirral_library, wirral, PARTNERSHIP, "Wirral-only neglect", themes=["neglect"])
    briefing(wirral_library, wirral, PUBLIC, "Domestic abuse briefing", themes=["domestic-abuse"])
    report = review(liverpool, REGIONAL, "Liverpool neglect report", themes=["neglect"])
    finding(report, PARTNERSHIP, "Liverpool-only finding", themes=["neglect"])

    url = reverse("theme", args=["neglect"])
    response = client.get(url)
    assert _titles(response) == {"Public neglect briefing"}
    assert "Persistent failure to meet a child&#x27;s basic" in response.text
    assert "graded care profile" in response.text  # its synonyms
    # The same for every visitor, so shared (the page cache); a member's is private.
    assert "private" not in response.get("Cache-Control", "")

    client.force_login(people["practitioner"])
    response = client.get(url)
    assert "private" in response["Cache-Control"]
    assert _titles(response) == {
        "Public neglect briefing",
        "Wirral-only neglect",
        "Liverpool neglect report",
    }
    assert client.get(reverse("theme", args=["no-such-theme"])).status_code == 404


# The most a signed-in page may cost (bench/targets.py's QUERY_LIMIT).
QUERY_CEILING = 15


def test_library_theme_and_briefing_pages_cost_the_same_small_or_large(
    client, people, wirral, world, django_assert_max_num_queries, settings
):
    """A practitioner's region library, partnership library, theme page and briefing page cost
    at most 15 queries, and the same with 3 of each kind of record as with 40, every page of the
    listing holding all three kinds. Measured as built, with no audience's copy to serve: the
    cost of the first reader after a change."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.HUB_PAGE_CACHE_SECONDS = 0

    region = library()
    wirral_library = library(wirral)
    police = world.agencies[("Wirral", "Police")]
    made = []

    def add(days):
        for day in days:
            when = date(2026, 1, 1) + timedelta(days=day)
            made.append(
                briefing(
                    wirral_library,
                    wirral,
                    REGIONAL,
                    themes=["neglect", "domestic-abuse"],
                    audiences=[police],
                    when=when,
                )
            )
            report = review(wirral, PUBLIC, themes=["neglect", "cse"], published=when)
            finding(report, REGIONAL, themes=["neglect"], agencies=[police])

    client.force_login(people["practitioner"])

    def costs():
        urls = [region.url, wirral_library.url, reverse("theme", args=["neglect"]), made[0].url]
        found = {}
        for url in urls:
            client.get(url)  # fills per-process caches (site root paths, content types)
            with django_assert_max_num_queries(QUERY_CEILING):
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
            assert response.status_code == 200
            if "listing" in response.context:
                kinds = {entry.kind for entry in response.context["listing"].entries}
                assert kinds == {"briefing", "report", "finding"}, url
            found[url] = len(captured)
        return found

    add(range(3))
    small = costs()
    add(range(3, 40))
    assert costs() == small


def test_anonymous_library_pages_are_shared_and_emptied_when_what_they_list_changes(
    client, world, wirral, settings
):
    """Every anonymous visitor sees the same public listing, so it is served from the page
    cache; a finding published, edited or withdrawn empties it, as a published page does."""
    settings.HUB_PAGE_CACHE_SECONDS = 60
    region = library()
    public = finding(review(wirral, PUBLIC), PUBLIC, "Fictional public finding")
    client.get(region.url)  # rendered and stored
    cached = client.get(region.url)
    assert cached["X-Hub-Cache"] == "hit"
    assert "Fictional public finding" in cached.text

    public.title = "Fictional finding, retitled"
    public.save()
    fresh = client.get(region.url)
    assert fresh["X-Hub-Cache"] == "miss" and "Fictional finding, retitled" in fresh.text

    public.sharing_level = REGIONAL
    public.save()
    withdrawn = client.get(region.url)
    assert withdrawn["X-Hub-Cache"] == "miss"
    assert "Fictional finding, retitled" not in withdrawn.text


def test_a_signed_in_readers_library_is_never_shared(client, world, people, wirral, settings):
    """What a member sees (their partnership's and the region's learning) is theirs alone:
    never stored, never served from the anonymous cache, and marked private for every other
    cache on the way."""
    settings.HUB_PAGE_CACHE_SECONDS = 60
    region = library()
    finding(review(wirral, REGIONAL), REGIONAL, "Fictional regional finding")
    anonymous = Client()
    for _ in range(3):
        anonymous.get(region.url)
    assert anonymous.get(region.url)["X-Hub-Cache"] == "hit"
    client.force_login(people["liverpool.practitioner"])
    for _ in range(2):
        response = client.get(region.url)
        assert "private" in response["Cache-Control"]
        assert "X-Hub-Cache" not in response
        assert "Fictional regional finding" in response.text
    assert "Fictional regional finding" not in anonymous.get(region.url).text


def test_every_page_has_the_quick_exit_and_the_accessibility_statement(client, world):
    statement = StandardPage.objects.get(slug="accessibility")
    assert statement.url == "/accessibility/"
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "WCAG" in response.text and "Enforcement procedure" in response.text
    for path in ["/", "/accessibility/", reverse("theme", args=["neglect"])]:
        text = client.get(path).text
        assert (
            'href="https://www.bbc.co.uk/weather" id="exit-this-page" rel="nofollow noreferrer"'
            in text
        )
        assert 'href="/accessibility/">Accessibility statement' in text
        assert 'href="/library/"' in text


def test_demo_libraries_are_made_once_with_the_shared_slugs(db, world):
    demo_library.build(world, 1)
    demo_library.build(World(partnerships=world.partnerships), 1)
    slugs = set(LibraryPage.objects.values_list("slug", flat=True))
    assert slugs == {"library"} | {f"library-{p.slug}" for p in world.partnerships.values()}
    region = LibraryPage.objects.get(slug="library")
    assert region.title == "Learning library" and region.partnership is None and region.live
    assert region.url == "/library/"


@pytest.mark.parametrize("path", [reverse("theme", args=["neglect"]), reverse("public-feed")])
def test_anonymous_theme_pages_and_the_public_feed_are_shared_and_emptied(
    client, world, wirral, settings, path
):
    """Not Wagtail pages, but the same for every visitor: from the page cache, until what they
    list changes; a signed-in reader is never answered from it."""
    settings.HUB_PAGE_CACHE_SECONDS = 60
    library()
    public = finding(review(wirral, PUBLIC, themes=["neglect"]), PUBLIC,
                     "Fictional public neglect finding", themes=["neglect"])  # fmt: skip
    client.get(path)
    cached = client.get(path)
    assert cached["X-Hub-Cache"] == "hit"
    public.sharing_level = REGIONAL
    public.save()
    fresh = client.get(path)
    assert fresh["X-Hub-Cache"] == "miss"
    assert "Fictional public neglect finding" not in fresh.text


def test_a_signed_in_theme_page_is_never_answered_from_the_visitors_copy(
    client, world, people, wirral, settings
):
    settings.HUB_PAGE_CACHE_SECONDS = 60
    finding(review(wirral, REGIONAL, themes=["neglect"]), REGIONAL,
            "Fictional regional neglect finding", themes=["neglect"])  # fmt: skip
    path = reverse("theme", args=["neglect"])
    anonymous = Client()
    for _ in range(3):
        anonymous.get(path)
    assert anonymous.get(path)["X-Hub-Cache"] == "hit"
    client.force_login(people["practitioner"])
    response = client.get(path)
    assert "X-Hub-Cache" not in response and "private" in response["Cache-Control"]
    assert "Fictional regional neglect finding" in response.text


def _row(html: str, page) -> str:
    return html.split(f'id="briefing-{page.pk}-title"', 1)[1].split("</h3>", 1)[0]


def test_a_reader_sees_read_and_new_marks_that_are_theirs_alone(client, people, wirral, settings):
    """The list is shared by an audience; the marks are each reader's own."""
    settings.HUB_PAGE_CACHE_SECONDS = 0  # the test's writes are never committed to renew it
    wirral_library = demo_briefings.library_for(HomePage.objects.get(), wirral)
    old = briefing(wirral_library, wirral, SharingLevel.PARTNERSHIP, "Old", when=date(2026, 1, 5))
    read = briefing(wirral_library, wirral, SharingLevel.PARTNERSHIP, "Read", when=date(2026, 1, 6))
    Acknowledgement.objects.create(user=people["practitioner"], briefing=read)
    with time_machine.travel(datetime(2026, 2, 1, 9, tzinfo=UTC), tick=False) as clock:
        client.force_login(people["practitioner"])
        first = client.get(wirral_library.url).content.decode()
        assert 'Read<span class="govuk-visually-hidden"> by you' in _row(first, read)
        assert "New<span" not in first  # a first visit has nothing to compare with
        clock.move_to(datetime(2026, 3, 1, 9, tzinfo=UTC))
        fresh = briefing(
            wirral_library, wirral, SharingLevel.PARTNERSHIP, "Fresh", when=date(2026, 3, 1)
        )
        client.force_login(people["practitioner"])  # a month on: signed in afresh
        later = client.get(wirral_library.url).content.decode()
        assert "New<span" in _row(later, fresh) and "New<span" not in _row(later, old)
        # Another reader gets the list with their own marks, never Pat's.
        client.force_login(people["exec"])
        theirs = client.get(wirral_library.url).content.decode()
        assert "Read<span" not in _row(theirs, read) and "<!--hub-read" not in theirs


def test_the_year_filter_offers_only_years_with_records(client, wirral, settings):
    settings.HUB_PAGE_CACHE_SECONDS = 0
    wirral_library = demo_briefings.library_for(HomePage.objects.get(), wirral)
    briefing(wirral_library, wirral, SharingLevel.PUBLIC, "Of 2024", when=date(2024, 5, 1))
    briefing(wirral_library, wirral, SharingLevel.PUBLIC, "Of 2026", when=date(2026, 5, 1))
    page = client.get(wirral_library.url).content.decode()
    year_select = page.split('name="year"', 1)[1].split("</select>", 1)[0]
    assert '"2024"' in year_select and '"2026"' in year_select
    assert '"2025"' not in year_select and '"2015"' not in year_select
    assert 'href="/feeds/public/"' in page
