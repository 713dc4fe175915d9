"""Learning briefings: who may read each one, what of its sources each reader sees, read and
understood once, reach, the PDF, and a page whose cost does not grow with its sources."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from hub.models import HomePage
from learning import briefings, demo_briefings
from learning.models import Acknowledgement, LearningBriefing, LibraryPage
from partnership.access import SharingLevel
from partnership.models import Membership, Partnership, Region, Role
from reviews import demo as reviews_demo
from reviews.models import Finding, Review

_slugs = itertools.count(1)
LEVELS = list(SharingLevel)


@pytest.fixture
def reviews(world):
    reviews_demo.build(world, 1)
    return {r.reference: r for r in Review.objects.all()}


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def outsider(world):
    """A member of a partnership in another region: regional learning is not theirs."""
    region = Region.objects.create(name="North East", slug="north-east")
    partnership = Partnership.objects.create(
        region=region, name="Far Safeguarding Partnership", short_name="Far", slug="far"
    )
    user = get_user_model().objects.create_user("far.practitioner", password="x")
    user.groups.add(Group.objects.get(name=Role.PRACTITIONER.label))
    Membership.objects.create(user=user, partnership=partnership)
    return user


@pytest.fixture
def make_briefing(world, home):
    def make(level=SharingLevel.REGIONAL, owner="Wirral", findings=(), reviews=(), **fields):
        partnership = world.partnerships[owner]
        library = demo_briefings.library_for(home, partnership)
        n = next(_slugs)
        briefing = LearningBriefing(
            title=f"Fictional briefing {n}",
            slug=f"briefing-{n}",
            partnership=partnership,
            sharing_level=level,
            summary="A fictional summary.",
            background="<p>Background.</p>",
            why_it_matters="<p>Why it matters.</p>",
            what_we_found="<p>What we found.</p>",
            what_it_means="<p>What it means.</p>",
            questions="<p>Questions.</p>",
            what_to_do="<p>What to do.</p>",
            **fields,
        )
        library.add_child(instance=briefing)
        briefing.source_findings.set(findings)
        briefing.source_reviews.set(reviews)
        briefing.save()  # parental relations are written when the page is saved
        return briefing

    return make


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# Who sees a briefing at each level: restricted is for the owning partnership's managers and
# quality assurance (and the people named on it: tests/learning/test_briefing_access.py).
EXPECTED = {
    None: {SharingLevel.PUBLIC},
    "practitioner": {SharingLevel.PUBLIC, SharingLevel.REGIONAL, SharingLevel.PARTNERSHIP},
    "qa": set(LEVELS),
    "manager": set(LEVELS),
    "liverpool.practitioner": {SharingLevel.PUBLIC, SharingLevel.REGIONAL},
    "liverpool.manager": {SharingLevel.PUBLIC, SharingLevel.REGIONAL},
    "outsider": {SharingLevel.PUBLIC},
    "admin": set(LEVELS),
}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("reader", list(EXPECTED))
def test_each_reader_sees_the_briefings_of_their_level(
    reader, level, make_briefing, people, outsider
):
    briefing = make_briefing(level)
    user = outsider if reader == "outsider" else people.get(reader)
    response = _client(user).get(briefing.url)
    if level in EXPECTED[reader]:
        assert response.status_code == 200
        assert b"Shared by Wirral Safeguarding Children Partnership" in response.content
        assert briefing.title.encode() in response.content
    elif user is None:
        assert response.status_code == 302
        assert response["Location"] == f"/sign-in/?next={briefing.url}"
    else:
        assert response.status_code == 404
    pdf = _client(user).get(f"/briefings/{briefing.pk}/pdf/")
    assert pdf.status_code == (200 if level in EXPECTED[reader] else 302 if user is None else 404)


def test_sources_are_shown_only_as_far_as_the_reader_may_see_them(make_briefing, reviews, people):
    review = reviews["WIR-RR-2026-07"]  # restricted; panel: reviewer, agencylead, healthlead
    regional = review.findings.get(sharing_level=SharingLevel.REGIONAL)
    partnership_only = review.findings.get(sharing_level=SharingLevel.PARTNERSHIP)
    briefing = make_briefing(
        SharingLevel.PUBLIC, findings=[regional, partnership_only], reviews=[review]
    )

    def page(user):
        text = _client(user).get(briefing.url).content.decode()
        assert "Baby R" not in text, "the review's subject pseudonym never travels"
        assert "confidential" not in text.lower() or "placeholder" not in text
        assert review.confidential_details not in text
        return text

    anonymous = page(None)
    assert "Where this learning comes from" not in anonymous
    assert regional.title not in anonymous

    elsewhere = page(people["liverpool.practitioner"])
    assert regional.title in elsewhere and escape(regional.text) in elsewhere
    assert partnership_only.title not in elsewhere
    assert review.reference in elsewhere  # as the finding's review, by reference only
    assert "Bruising noticed at a routine health visit" not in elsewhere

    panel = page(people["reviewer"])
    assert regional.title in panel and partnership_only.title in panel
    assert f"{review.reference}: Bruising noticed at a routine health visit" in panel


def test_a_reader_marks_a_briefing_read_and_understood_once(make_briefing, people):
    briefing = make_briefing(SharingLevel.REGIONAL)
    reader = people["liverpool.practitioner"]
    client = _client(reader)
    assert b"Mark as read and understood" in client.get(briefing.url).content

    for _ in range(2):
        response = client.post(f"/briefings/{briefing.pk}/read/")
        assert response.status_code == 302 and response["Location"] == briefing.url

    acknowledgement = Acknowledgement.objects.get()
    assert (acknowledgement.user, acknowledgement.briefing) == (reader, briefing)
    assert acknowledgement.agency == reader.membership.agency
    page = client.get(briefing.url).content.decode()
    assert f"You marked this read and understood on {acknowledgement.at:%-d %B %Y}" in page
    assert "Mark as read and understood" not in page
    listing = client.get("/briefings/read/").content.decode()
    assert briefing.title in listing


def test_no_one_acknowledges_a_briefing_they_may_not_see(make_briefing, people, outsider):
    briefing = make_briefing(SharingLevel.PARTNERSHIP)
    assert (
        _client(people["liverpool.practitioner"])
        .post(f"/briefings/{briefing.pk}/read/")
        .status_code
        == 404
    )
    anonymous = _client().post(f"/briefings/{briefing.pk}/read/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/sign-in/")
    with pytest.raises(briefings.BriefingError):
        briefings.acknowledge(outsider, briefing)
    assert not Acknowledgement.objects.exists()


def test_reach_counts_only_briefings_the_reader_may_see(make_briefing, people, world):
    shared = make_briefing(SharingLevel.REGIONAL)
    liverpool_own = make_briefing(SharingLevel.PARTNERSHIP, owner="Liverpool")
    for name in ("practitioner", "healthlead", "liverpool.practitioner"):
        briefings.acknowledge(people[name], shared)
    briefings.acknowledge(people["liverpool.practitioner"], liverpool_own)

    by_briefing = {b.pk: b for b in briefings.reach_by_briefing(people["qa"])}
    assert liverpool_own.pk not in by_briefing
    assert (by_briefing[shared.pk].readers, by_briefing[shared.pk].reader_agencies) == (3, 3)

    by_agency = {
        a.name: (a.readings, a.briefings_read) for a in briefings.reach_by_agency(people["qa"])
    }
    health = world.agencies[("Liverpool", "NHS trust")].name
    assert by_agency[health] == (1, 1), "Liverpool's own briefing is not Wirral's to count"
    assert len(by_agency) == 3

    liverpool_view = {
        a.name: a.readings for a in briefings.reach_by_agency(people["liverpool.manager"])
    }
    assert liverpool_view[health] == 2


def test_reach_counts_towards_the_actions_of_the_briefings_sources(
    make_briefing, reviews, people, world
):
    from learning.models import Action

    review = reviews["WIR-CDR-2025-04"]
    finding = review.findings.get(sharing_level=SharingLevel.PUBLIC)
    recommendation = finding.recommendations.get()
    other_finding = Finding.objects.exclude(review=review).first()
    briefing = make_briefing(SharingLevel.PUBLIC, findings=[finding])
    unrelated = make_briefing(SharingLevel.PUBLIC, findings=[other_finding])
    for name in ("practitioner", "healthlead"):
        briefings.acknowledge(people[name], briefing)
    briefings.acknowledge(people["agencylead"], unrelated)
    action = Action.objects.create(
        reference="SAFER-1",
        review=review,
        recommendation=recommendation,
        partnership=review.lead_partnership,
        owner_agency=world.agencies[("Wirral", "NHS trust")],
        description="Repeat safer sleep advice.",
        due_date="2027-06-01",
    )
    assert briefings.reach_for_action(action).count() == 2
    page = _client(people["healthlead"]).get(f"/my-actions/{action.reference}/")
    assert "2 read and understood a learning briefing" in page.content.decode()


def test_quality_assurance_reads_reach_in_the_admin_and_exports_it(make_briefing, people):
    briefing = make_briefing(SharingLevel.REGIONAL)
    briefings.acknowledge(people["liverpool.practitioner"], briefing)
    qa = _client(people["qa"])
    page = qa.get("/admin/reports/briefing-reach/")
    assert page.status_code == 200 and briefing.title.encode() in page.content
    csv = qa.get("/admin/reports/briefing-reach/?export=csv")
    assert csv.status_code == 200
    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert f"{briefing.title},Wirral,regional,1,1" in body.decode()
    agencies = qa.get("/admin/reports/briefing-reach/agencies/?export=xlsx")
    assert agencies.status_code == 200
    practitioner = _client(people["practitioner"]).get("/admin/reports/briefing-reach/")
    assert practitioner.status_code in (302, 403)


def test_the_pdf_is_a_pdf_with_the_briefing(make_briefing):
    briefing = make_briefing(SharingLevel.PUBLIC)
    for url in (f"{briefing.url}?format=pdf", f"/briefings/{briefing.pk}/pdf/"):
        response = _client().get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_briefing_page_costs_the_same_however_many_sources(
    make_briefing, reviews, people, world
):
    findings = list(Finding.objects.filter(sharing_level=SharingLevel.REGIONAL))
    small = make_briefing(SharingLevel.REGIONAL, findings=findings[:1], reviews=[])
    large = make_briefing(SharingLevel.REGIONAL, findings=findings, reviews=list(reviews.values()))
    large.audiences.set(world.agencies.values())
    large.save()
    client = _client(people["manager"])
    client.get(small.url)  # warm the site's root paths
    assert len(findings) > 5
    assert _queries(client, small.url) == _queries(client, large.url)


def test_public_briefings_are_cached_for_visitors_and_others_are_not(make_briefing):
    public = make_briefing(SharingLevel.PUBLIC)
    regional = make_briefing(SharingLevel.REGIONAL)
    client = _client()
    client.get(public.url)
    client.get(public.url)
    assert client.get(public.url)["X-Hub-Cache"] == "hit"
    for _ in range(3):
        response = client.get(regional.url)
        assert response.status_code == 302 and "X-Hub-Cache" not in response


@pytest.mark.parametrize("role", ["manager", "reviewer", "qa"])
def test_briefing_writers_may_add_and_publish_briefings_in_a_library(role, home, people, world):
    library = demo_briefings.library_for(home, world.partnerships["Wirral"])
    permissions = library.permissions_for_user(people[role])
    assert permissions.can_add_subpage() and permissions.can_publish_subpage()
    assert not library.permissions_for_user(people["practitioner"]).can_add_subpage()


def test_the_demo_makes_a_dozen_briefings_under_the_libraries_once(world, reviews, home):
    demo_briefings.build(world, 1)
    demo_briefings.build(world, 1)
    made = LearningBriefing.objects.all()
    assert made.count() == 12
    assert {b.sharing_level for b in made} >= {SharingLevel.REGIONAL, SharingLevel.PUBLIC}
    assert len({b.partnership_id for b in made}) >= 3
    assert LibraryPage.objects.filter(slug="library", partnership=None).count() == 1
    assert LibraryPage.objects.filter(slug="library-wirral").count() == 1
    for briefing in made:
        assert briefing.get_parent().specific.partnership_id == briefing.partnership_id
        assert all(
            f.sharing_level in (SharingLevel.REGIONAL, SharingLevel.PUBLIC)
            for f in briefing.source_findings.all()
        )
    assert Acknowledgement.objects.count() > 5


def test_an_unsaved_briefing_previews_with_its_chosen_sources(home, world, reviews, people):
    library = demo_briefings.library_for(home, world.partnerships["Wirral"])
    finding = reviews["WIR-CDR-2025-04"].findings.get(sharing_level=SharingLevel.PUBLIC)
    briefing = LearningBriefing(
        title="Not yet saved",
        slug="not-yet-saved",
        partnership=world.partnerships["Wirral"],
        sharing_level=SharingLevel.RESTRICTED,
        summary="A draft.",
        background="<p>B</p>",
        why_it_matters="<p>W</p>",
        what_we_found="<p>F</p>",
        what_it_means="<p>M</p>",
        questions="<p>Q</p>",
        what_to_do="<p>D</p>",
    )
    briefing.source_findings = [finding]
    briefing.path, briefing.depth = library.path + "9999", library.depth + 1
    response = briefing.make_preview_request(extra_request_attrs={"user": people["reviewer"]})
    assert response.status_code == 200
    assert finding.title in response.content.decode()


@pytest.mark.django_db
def test_a_briefing_people_have_read_is_not_deleted_but_refused_with_a_message(client, people):
    from django.urls import reverse

    from learning.models import Acknowledgement, LearningBriefing
    from tests.learning.library_world import briefing, library

    page = briefing(library(), people["manager"].membership.partnership, "partnership")
    Acknowledgement.objects.create(briefing=page, user=people["practitioner"])
    client.force_login(people["admin"])
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 302
    assert LearningBriefing.objects.filter(pk=page.pk).exists()
