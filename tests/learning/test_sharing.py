"""Regional sharing: feeds and the read-only API show a token exactly what its holder may see.

The matrix: a briefing and a finding at every sharing level owned by Wirral and by Liverpool
(one region) and by Bolton (another region), a draft briefing, and a Bolton review Liverpool
takes part in. Every record names a marker in its title so a response's contents can be read
off it; confidential markers sit on the reviews and must never appear anywhere."""

import itertools
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.models import HomePage
from hub.tokens import digest
from learning.models import LearningBriefing, LibraryPage
from partnership import readers
from partnership.access import SharingLevel, visible_to, visible_to_partnership
from partnership.models import (
    FeedToken,
    Membership,
    Partnership,
    PartnershipApiToken,
    Region,
    Role,
    Theme,
)
from reviews.models import Finding, Review, ReviewStatus, ReviewType

LEVELS = list(SharingLevel)
OWNERS = ["Wirral", "Liverpool", "Bolton"]
CONFIDENTIAL = ["CONFIDENTIAL-DETAIL", "Child Zed", "REVIEW-TITLE-SECRET"]
ATOM = "{http://www.w3.org/2005/Atom}"
_numbers = itertools.count(1)


@pytest.fixture
def bolton(world):
    region = Region.objects.create(name="Greater Manchester", slug="greater-manchester")
    return Partnership.objects.create(
        region=region,
        name="Bolton Safeguarding Children Partnership",
        short_name="Bolton",
        slug="bolton",
    )


def practitioner_of(partnership, username):
    """A plain member: practitioner role, named on nothing."""
    user = get_user_model().objects.create_user(username, password="correct-horse-battery")
    user.groups.add(Group.objects.get(name=Role.PRACTITIONER.label))
    Membership.objects.create(user=user, partnership=partnership)
    return user


@pytest.fixture
def matrix(world, bolton):
    owners = {**{s: world.partnerships[s] for s in OWNERS[:2]}, "Bolton": bolton}
    theme, _ = Theme.objects.get_or_create(slug="neglect", defaults={"name": "Neglect"})
    library = HomePage.objects.get().add_child(instance=LibraryPage(title="Library", slug="lib"))
    add_learning(library, owners, theme)
    cross = make_review(bolton, participating=[world.partnerships["Liverpool"]])
    Finding.objects.create(
        review=cross,
        title="F-cross-regional",
        text="Shared across the boundary.",
        sharing_level=SharingLevel.REGIONAL,
    )
    Finding.objects.create(
        review=cross,
        title="F-cross-partnership",
        text="Shared with those taking part.",
        sharing_level=SharingLevel.PARTNERSHIP,
    )
    draft = LearningBriefing(
        title="B-Wirral-draft",
        slug="b-draft",
        partnership=owners["Wirral"],
        sharing_level=SharingLevel.REGIONAL,
        summary="Not yet published.",
        live=False,
        **parts(),
    )
    library.add_child(instance=draft)
    return {"owners": owners, "library": library, "theme": theme}


def parts():
    return {
        name: "<p>Shareable practice learning.</p>"
        for name in (
            "background",
            "why_it_matters",
            "what_we_found",
            "what_it_means",
            "questions",
            "what_to_do",
        )
    }


def make_review(partnership, participating=(), status=ReviewStatus.SIGNED_OFF):
    """A review whose findings are learning (signed off) unless `status` says otherwise."""
    n = next(_numbers)
    review = Review.objects.create(
        status=status,
        reference=f"SHR-{n:04d}",
        review_type=ReviewType.RAPID_REVIEW,
        title=f"REVIEW-TITLE-SECRET {n}",
        subject_pseudonym="Child Zed",
        confidential_details="CONFIDENTIAL-DETAIL lives at 1 Fictional Row",
        lead_partnership=partnership,
        sharing_level=SharingLevel.RESTRICTED,
    )
    if participating:
        review.participating_partnerships.set(participating)
        review.save()  # a parental many-to-many is written when its review is saved
    return review


def add_learning(library, owners, theme, suffix=""):
    published = datetime(2027, 1, 1, tzinfo=UTC)
    for short, partnership in owners.items():
        review = make_review(partnership)
        for level in LEVELS:
            n = next(_numbers)
            briefing = library.add_child(
                instance=LearningBriefing(
                    title=f"B-{short}-{level.value}{suffix}",
                    slug=f"b-{n}",
                    partnership=partnership,
                    sharing_level=level,
                    summary=f"Summary of B-{short}-{level.value}",
                    first_published_at=published + timedelta(days=n),
                    last_published_at=published + timedelta(days=n),
                    **parts(),
                )
            )
            briefing.themes.add(theme)
            briefing.save()
            finding = Finding.objects.create(
                review=review,
                title=f"F-{short}-{level.value}{suffix}",
                text="What agencies missed, anonymised.",
                sharing_level=level,
            )
            finding.themes.add(theme)
            finding.save()


def expected(prefix, *names):
    return {f"{prefix}-{name}" for name in names}


# What any member of Liverpool may see: public from everyone, regional in Pan-Mersey and from
# the cross-boundary review Liverpool takes part in, Liverpool's own partnership level.
LIVERPOOL_BRIEFINGS = expected(
    "B",
    "Wirral-public",
    "Liverpool-public",
    "Bolton-public",
    "Wirral-regional",
    "Liverpool-regional",
    "Liverpool-partnership",
)
LIVERPOOL_FINDINGS = expected(
    "F",
    "Wirral-public",
    "Liverpool-public",
    "Bolton-public",
    "Wirral-regional",
    "Liverpool-regional",
    "Liverpool-partnership",
    "cross-regional",
    "cross-partnership",
)


@pytest.fixture
def api_key(matrix, world, people):
    _, key = readers.create_api_token(
        world.partnerships["Liverpool"], "Liverpool intranet", people["liverpool.manager"]
    )
    return key


def get_json(client, url, key=None, scheme="Bearer"):
    headers = {"HTTP_AUTHORIZATION": f"{scheme} {key}"} if key else {}
    return client.get(url, **headers)


def all_titles(client, url, key):
    titles, page = [], 1
    while True:
        response = get_json(client, f"{url}?page={page}", key)
        assert response.status_code == 200
        data = response.json()
        titles += [item["title"] for item in data["results"]]
        if not data["next"]:
            return titles
        page += 1


def test_partnership_view_equals_a_plain_members_view_for_every_record(matrix, world):
    for short, partnership in matrix["owners"].items():
        member = practitioner_of(partnership, f"plain.{short.lower()}")
        for model in (LearningBriefing, Finding, Review):
            qs = model.objects.all()
            assert set(visible_to_partnership(partnership, qs)) == set(visible_to(member, qs))
    assert set(visible_to_partnership(None, Finding.objects.all())) == set(
        Finding.objects.filter(sharing_level=SharingLevel.PUBLIC)
    )


@pytest.mark.parametrize("scheme", ["Bearer", "Token"])
def test_api_token_sees_exactly_what_liverpool_may_see(client, api_key, scheme):
    titles = [
        item["title"]
        for item in get_json(client, reverse("api-briefings"), api_key, scheme).json()["results"]
    ]
    assert sorted(titles) == sorted(LIVERPOOL_BRIEFINGS)
    findings = get_json(client, reverse("api-findings"), api_key, scheme).json()
    assert {item["title"] for item in findings["results"]} == LIVERPOOL_FINDINGS
    assert findings["count"] == len(LIVERPOOL_FINDINGS)


@pytest.mark.parametrize(
    "status", [ReviewStatus.IN_PROGRESS, ReviewStatus.AWAITING_SIGN_OFF, ReviewStatus.EMBARGOED]
)
def test_findings_of_unsettled_reviews_are_never_shared(client, api_key, feed_secret, status):
    # Marked public, but its review is still being written or under embargo (a trial may depend
    # on it): neither the API, its detail, nor any feed may carry it.
    review = make_review(Partnership.objects.get(short_name="Wirral"), status=status)
    finding = Finding.objects.create(
        review=review, title="F-UNSETTLED", text="Not yet learning.", sharing_level="public"
    )
    listed = get_json(client, reverse("api-findings"), api_key).json()
    assert "F-UNSETTLED" not in {item["title"] for item in listed["results"]}
    assert get_json(client, reverse("api-finding", args=[finding.pk]), api_key).status_code == 404
    feeds = [client.get(reverse("public-feed")).content.decode()]
    feeds += [
        client.get(reverse("partnership-feed", args=[slug, feed_secret])).content.decode()
        for slug in ("wirral", "liverpool")
    ]
    assert all("F-UNSETTLED" not in feed for feed in feeds)
    finding.review.status = ReviewStatus.SIGNED_OFF
    finding.review.save()
    assert get_json(client, reverse("api-finding", args=[finding.pk]), api_key).status_code == 200


def test_api_detail_answers_only_for_visible_records(client, api_key):
    for briefing in LearningBriefing.objects.all():
        response = get_json(client, reverse("api-briefing", args=[briefing.pk]), api_key)
        assert response.status_code == (200 if briefing.title in LIVERPOOL_BRIEFINGS else 404)
    for finding in Finding.objects.all():
        response = get_json(client, reverse("api-finding", args=[finding.pk]), api_key)
        assert response.status_code == (200 if finding.title in LIVERPOOL_FINDINGS else 404)


def test_api_names_the_owner_and_filters_by_theme_and_partnership(client, api_key, matrix):
    data = get_json(client, reverse("api-briefings") + "?partnership=wirral", api_key).json()
    assert {item["title"] for item in data["results"]} == expected(
        "B", "Wirral-public", "Wirral-regional"
    )
    item = data["results"][0]
    assert item["partnership"] == "Wirral Safeguarding Children Partnership"
    assert item["themes"] == [{"slug": "neglect", "name": "Neglect"}]
    assert item["url"].startswith("http") and "/lib/" in item["url"]
    assert item["sharing_level"] in {"public", "regional"}
    assert get_json(client, reverse("api-briefings") + "?theme=other", api_key).json()["count"] == 0
    themed = get_json(client, reverse("api-findings") + "?theme=neglect", api_key).json()
    assert themed["count"] == len(LIVERPOOL_FINDINGS) - 2  # the cross-boundary two are untagged


def test_api_token_use_is_recorded(client, api_key):
    get_json(client, reverse("api-briefings"), api_key)
    assert PartnershipApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer not-a-key", "Basic abc", "Bearer ", "Token nope", None])
def test_unknown_keys_and_strangers_get_401(client, matrix, header):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(reverse("api-briefings"), **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_gets_401(client, api_key, people):
    token = PartnershipApiToken.objects.get()
    readers.revoke_api_token(token, people["liverpool.manager"])
    assert get_json(client, reverse("api-briefings"), api_key).status_code == 401


def test_only_the_partnerships_managers_make_and_revoke_its_tokens(world, people):
    liverpool = world.partnerships["Liverpool"]
    for person in ("manager", "liverpool.practitioner"):  # Wirral's manager; a practitioner
        with pytest.raises(readers.TokenError):
            readers.create_api_token(liverpool, "Intranet", people[person])
    token, key = readers.create_api_token(liverpool, "Intranet", people["liverpool.manager"])
    assert token.key_hash == digest(key) != key and len(key) >= 43
    with pytest.raises(readers.TokenError):
        readers.revoke_api_token(token, people["manager"])


def test_signed_in_person_calls_the_api_with_their_own_view(client, matrix, people):
    client.force_login(people["liverpool.practitioner"])
    titles = {item["title"] for item in client.get(reverse("api-briefings")).json()["results"]}
    assert titles == LIVERPOOL_BRIEFINGS
    client.force_login(people["liverpool.manager"])  # a manager also sees Liverpool's restricted
    titles = {item["title"] for item in client.get(reverse("api-briefings")).json()["results"]}
    assert titles == LIVERPOOL_BRIEFINGS | {"B-Liverpool-restricted"}


def feed_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def feed_secret(matrix, people):
    return readers.regenerate_feed_token(people["liverpool.practitioner"])


@pytest.mark.parametrize(
    "slug, titles",
    [
        ("wirral", {"B-Wirral-regional", "F-Wirral-regional"}),
        ("liverpool", {"B-Liverpool-regional", "F-Liverpool-regional"}),
        ("bolton", {"F-cross-regional"}),
    ],
)
def test_feed_token_shows_regional_learning_the_person_may_see(client, feed_secret, slug, titles):
    response = client.get(reverse("partnership-feed", args=[slug, feed_secret]))
    assert set(feed_titles(response)) == titles
    assert "no-store" in response["Cache-Control"]


def test_feed_entries_name_the_owner_newest_first(client, feed_secret):
    response = client.get(reverse("partnership-feed", args=["wirral", feed_secret]))
    root = ET.fromstring(response.content)
    entries = list(root.iter(f"{ATOM}entry"))
    authors = {e.find(f"{ATOM}author/{ATOM}name").text for e in entries}
    assert authors == {"Wirral Safeguarding Children Partnership"}
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    summaries = [e.find(f"{ATOM}summary").text for e in entries]
    assert "Summary of B-Wirral-regional" in summaries


def test_feed_of_another_regions_partnership_shows_its_stranger_nothing(client, matrix, world):
    secret = readers.regenerate_feed_token(practitioner_of(matrix["owners"]["Bolton"], "b.p"))
    assert feed_titles(client.get(reverse("partnership-feed", args=["wirral", secret]))) == []


def test_unknown_regenerated_and_deactivated_feed_tokens_get_404(client, feed_secret, people):
    assert client.get(reverse("partnership-feed", args=["wirral", "nope"])).status_code == 404
    assert client.get(reverse("partnership-feed", args=["nowhere", feed_secret])).status_code == 404
    new_secret = readers.regenerate_feed_token(people["liverpool.practitioner"])
    assert client.get(reverse("partnership-feed", args=["wirral", feed_secret])).status_code == 404
    assert client.get(reverse("partnership-feed", args=["wirral", new_secret])).status_code == 200
    assert FeedToken.objects.get().token_hash == digest(new_secret)
    user = people["liverpool.practitioner"]
    user.is_active = False
    user.save()
    assert client.get(reverse("partnership-feed", args=["wirral", new_secret])).status_code == 404


def test_public_feed_shows_only_public_learning(client, matrix):
    titles = feed_titles(client.get(reverse("public-feed")))
    assert set(titles) == {f"{kind}-{short}-public" for kind in "BF" for short in OWNERS}


def test_feeds_page_shows_the_address_once_after_making_it(client, matrix, people):
    client.force_login(people["liverpool.practitioner"])
    page = client.get(reverse("my-feeds"))
    assert b"You have no feed address yet" in page.content
    response = client.post(reverse("my-feeds-regenerate"), follow=True)
    html = response.content.decode()
    assert "/feeds/wirral/" in html and "/feeds/bolton/" not in html  # the region's partnerships
    secret = html.split("/feeds/wirral/")[1].split("/")[0]
    assert FeedToken.objects.get().token_hash == digest(secret)
    assert secret not in client.get(reverse("my-feeds")).content.decode()


def test_no_confidential_text_in_any_response(client, api_key, feed_secret, people):
    urls = [reverse("api-briefings"), reverse("api-findings")]
    urls += [reverse("api-briefing", args=[b.pk]) for b in LearningBriefing.objects.all()]
    urls += [reverse("api-finding", args=[f.pk]) for f in Finding.objects.all()]
    bodies = [get_json(client, url, api_key).content.decode() for url in urls]
    bodies += [
        client.get(reverse("partnership-feed", args=[slug, feed_secret])).content.decode()
        for slug in ("wirral", "liverpool", "bolton")
    ]
    bodies.append(client.get(reverse("public-feed")).content.decode())
    for body in bodies:
        for secret in CONFIDENTIAL:
            assert secret not in body


def count_queries(client, url, key=None):
    with CaptureQueriesContext(connection) as queries:
        response = get_json(client, url, key) if key else client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(client, api_key, feed_secret, matrix, settings):
    # As built, with no cached copy to serve (the public feed is shared with visitors): the
    # cost of the first request after a change.
    settings.HUB_PAGE_CACHE_SECONDS = 0
    urls = [
        (reverse("api-briefings"), api_key),
        (reverse("api-findings"), api_key),
        (reverse("partnership-feed", args=["wirral", feed_secret]), None),
        (reverse("public-feed"), None),
    ]
    for url, key in urls:  # the first request fills Wagtail's cache of site root paths
        count_queries(client, url, key)
    before = [count_queries(client, url, key) for url, key in urls]
    for n in range(3):
        add_learning(matrix["library"], matrix["owners"], matrix["theme"], suffix=f"-more{n}")
    after = [count_queries(client, url, key) for url, key in urls]
    assert after == before


def test_managers_make_a_token_in_the_admin_and_see_its_key_once(client, world, people):
    client.force_login(people["liverpool.manager"])
    response = client.post(reverse("partnership_api_tokens"), {"name": "Liverpool intranet"})
    assert response.status_code == 200
    token = PartnershipApiToken.objects.get()
    assert token.partnership == world.partnerships["Liverpool"]
    assert token.created_by == people["liverpool.manager"]
    key = response.context["new_key"]
    assert key in response.content.decode() and token.key_hash == digest(key)
    listing = client.get(reverse("partnership_api_tokens")).content.decode()
    assert "Liverpool intranet" in listing and key not in listing
    client.post(reverse("partnership_api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked


def test_other_partnerships_and_practitioners_cannot_touch_a_token(client, world, people):
    token, _ = readers.create_api_token(
        world.partnerships["Liverpool"], "Intranet", people["liverpool.manager"]
    )
    client.force_login(people["manager"])  # Wirral's manager
    assert "Intranet" not in client.get(reverse("partnership_api_tokens")).content.decode()
    response = client.post(reverse("partnership_api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    client.force_login(people["liverpool.practitioner"])
    response = client.get(reverse("partnership_api_tokens"))
    assert response.status_code in (302, 403)
    token.refresh_from_db()
    assert not token.revoked
