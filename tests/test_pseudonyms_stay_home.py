"""Pseudonyms stay home: a review of "Child Q" shared regionally and publicly, read through every
channel (report, finding and recommendation pages, the library and theme pages, the briefing,
the search page and its JSON, the feeds and every endpoint under /api/) by the owning
partnership's reviewer, another partnership's manager, an anonymous visitor and another
partnership's API token. Nobody reads "Child Q" in any case; "the child" stands in for it. Only
the admin editor, for the people who may change the review, keeps it, and warns its author when
shared text names the subject.

The API endpoints are found by walking the URL resolver, so that a new endpoint is covered
without being listed here."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from hub.models import HomePage
from learning.models import LearningBriefing, LibraryPage
from partnership import readers
from partnership.access import SharingLevel
from partnership.models import Theme
from reviews.models import Finding, Recommendation, Review, ReviewStatus, ReviewType
from search import engines, sources
from search.engines.database import DatabaseEngine
from tests.admin_forms import form_data
from tests.url_routes import routes

PSEUDONYM = re.compile(r"child\W+q\b", re.IGNORECASE)
NEUTRAL = re.compile(r"\bthe child\b", re.IGNORECASE)
PUBLIC, REGIONAL = SharingLevel.PUBLIC, SharingLevel.REGIONAL


@pytest.fixture
def child_q(world, wirral, monkeypatch):
    theme, _ = Theme.objects.get_or_create(slug="neglect", defaults={"name": "Neglect"})
    review = Review(
        reference="WIR-LCSPR-2026-77",
        review_type=ReviewType.LCSPR,
        title="Child Q: neglect in a busy household",
        subject_pseudonym="Child Q",
        summary="Child Q lived with her mother and three siblings.",
        confidential_details="Real name Jane Exampleton, 4 Privet Drive.",
        lead_partnership=wirral,
        sharing_level=PUBLIC,
        status=ReviewStatus.PUBLISHED,
        publication_date=date(2026, 11, 2),
    )
    review.save()
    review.themes.add(theme)
    review.save()
    findings = [
        Finding.objects.create(
            review=review,
            title="Child Q was not seen alone",
            text="Child Q's mother was never asked about the father.",
            practice_area="Assessment of child q's home",
            sharing_level=PUBLIC,
        ),
        Finding.objects.create(
            review=review,
            title="Nobody shared what CHILD Q's school knew",
            text="The school knew of child q's bruising.",
            sharing_level=REGIONAL,
        ),
    ]
    for finding in findings:
        finding.themes.add(theme)
    recommendations = []
    for level in (PUBLIC, REGIONAL):
        recommendation = Recommendation.objects.create(
            review=review,
            text=f"Ask about every adult in Child Q's household ({level}).",
            sharing_level=level,
        )
        recommendation.findings.set(findings)
        recommendations.append(recommendation)
    library = HomePage.objects.get().add_child(instance=LibraryPage(title="Library", slug="lib"))
    briefing = LearningBriefing(
        title="Seeing the whole household",
        slug="seeing-the-whole-household",
        partnership=wirral,
        sharing_level=PUBLIC,
        summary="What a busy household hid.",
        **{
            part: "<p>Shareable practice learning.</p>"
            for part in (
                "background",
                "why_it_matters",
                "what_we_found",
                "what_it_means",
                "questions",
                "what_to_do",
            )
        },
    )
    library.add_child(instance=briefing)
    briefing.source_reviews.set([review])
    briefing.source_findings.set(findings)
    briefing.save_revision().publish()
    engine = DatabaseEngine()
    engine.rebuild(sources.all_documents())
    monkeypatch.setattr(engines, "get_engine", lambda: engine)
    return {
        "review": review,
        "findings": findings,
        "recommendations": recommendations,
        "briefing": LearningBriefing.objects.get(pk=briefing.pk),
        "library": library,
    }


def api_routes():
    """Every route of the site under /api/, as (route, pattern) pairs, from the resolver."""
    for route in routes():
        if route.path.startswith("api/"):
            yield route.path, route.pattern


def api_urls(child_q):
    """Each API route with every record id filled in where it takes one."""
    ids = [
        *(f.pk for f in child_q["findings"]),
        child_q["briefing"].pk,
        child_q["review"].pk,
    ]
    urls = {}
    for route, _pattern in api_routes():
        if "<" not in route:
            urls[route] = ["/" + route + "?q=mother", "/" + route]
        else:
            urls[route] = ["/" + re.sub(r"<[^>]+>", str(pk), route) for pk in ids]
    assert {"api/findings/", "api/briefings/", "api/search/"} <= set(urls), urls
    return urls


def site_urls(child_q, feed_secret=None):
    review, findings = child_q["review"], child_q["findings"]
    briefing = child_q["briefing"]
    urls = [
        "/",
        reverse("library-report", args=[review.pk]),
        *(reverse("library-finding", args=[f.pk]) for f in findings),
        *(reverse("library-recommendation", args=[r.pk]) for r in child_q["recommendations"]),
        child_q["library"].url,
        reverse("theme", args=["neglect"]),
        briefing.url,
        reverse("search") + "?q=mother",
        reverse("search") + "?q=bruising",
        reverse("search") + "?q=household",
        reverse("public-feed"),
    ]
    if feed_secret:
        urls.append(reverse("partnership-feed", args=[review.lead_partnership.slug, feed_secret]))
    return urls


def read(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.status_code, response.content.decode()


def assert_no_pseudonym(url, text):
    found = PSEUDONYM.search(text)
    assert found is None, f"{url} shows {text[max(found.start() - 80, 0) : found.end() + 80]!r}"
    assert "Exampleton" not in text and "Privet" not in text, url


@pytest.mark.parametrize("reader", ["reviewer", "liverpool.manager", None])
def test_no_site_page_shows_the_pseudonym_to_anyone(child_q, people, reader):
    """The site shares one text with everyone, the owning partnership's reviewer included: what
    they copy, print or forward from it carries no pseudonym either."""
    client = Client()
    secret = None
    if reader is not None:
        client.force_login(people[reader])
        secret = readers.regenerate_feed_token(people[reader])
    shown = {}
    for url in site_urls(child_q, secret):
        status, text = read(client, url)
        assert_no_pseudonym(url, text)
        shown[url] = (status, text)
    review, public_finding = child_q["review"], child_q["findings"][0]
    report = shown[reverse("library-report", args=[review.pk])]
    assert report[0] == 200
    assert "Neglect in a busy household" in report[1]
    assert "The child lived with her mother" in report[1]
    assert "The child&#x27;s mother was never asked" in report[1]
    finding = shown[reverse("library-finding", args=[public_finding.pk])][1]
    assert "The child was not seen alone" in finding
    for url in (child_q["library"].url, child_q["briefing"].url, reverse("public-feed")):
        assert shown[url][0] == 200 and NEUTRAL.search(shown[url][1]), url
    assert NEUTRAL.search(shown[reverse("search") + "?q=mother"][1])


@pytest.mark.parametrize("reader", ["reviewer", "liverpool.manager", "token"])
def test_no_api_endpoint_shows_the_pseudonym(child_q, people, world, reader):
    client, headers = Client(), {}
    if reader == "token":
        _, key = readers.create_api_token(
            world.partnerships["Liverpool"], "Intranet", people["liverpool.manager"]
        )
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    else:
        client.force_login(people[reader])
    for route, urls in api_urls(child_q).items():
        answered = []
        for url in urls:
            status, text = read(client, url, **headers)
            assert_no_pseudonym(url, text)
            answered.append(status == 200)
        assert any(answered), f"no URL of {route} answered {reader}"
    findings = client.get(reverse("api-findings"), **headers).json()["results"]
    texts = {item["title"]: item["text"] for item in findings}
    assert texts["The child was not seen alone"] == (
        "The child's mother was never asked about the father."
    )
    assert texts["Nobody shared what the child's school knew"] == (
        "The school knew of the child's bruising."
    )


def test_the_anonymous_api_caller_is_refused_and_learns_nothing(child_q):
    for urls in api_urls(child_q).values():
        for url in urls:
            response = Client().get(url)
            assert response.status_code in (401, 404), (url, response.status_code)
            assert_no_pseudonym(url, response.content.decode())


def test_the_search_index_never_holds_the_pseudonym(child_q):
    documents = list(sources.all_documents())
    assert documents
    for document in documents:
        assert_no_pseudonym(document.key, f"{document.title}\n{document.body}")
    held = {document.key: document for document in documents}
    finding = held[sources.key_of("finding", child_q["findings"][0].pk)]
    assert finding.body.startswith("The child's mother")


def admin_url(name, review):
    return reverse(f"wagtailsnippets_reviews_review:{name}", args=[review.pk])


def test_the_admin_keeps_the_pseudonym_for_those_who_change_the_review(child_q, people):
    review = child_q["review"]
    review.save_revision().publish()
    home = Client()
    home.force_login(people["reviewer"])
    editor = home.get(admin_url("edit", review))
    assert editor.status_code == 200
    assert "Child Q: neglect in a busy household" in editor.content.decode()
    listing = home.get(reverse("wagtailsnippets_reviews_review:list")).content.decode()
    assert "Child Q: neglect in a busy household" in listing

    other = Client()
    other.force_login(people["liverpool.manager"])
    urls = [
        reverse("wagtailsnippets_reviews_review:list"),
        reverse("wagtailsnippets_reviews_review:list") + "?export=csv",
        admin_url("inspect", review),
    ]
    for url in urls:
        response = other.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert_no_pseudonym(url, body)
    assert "Neglect in a busy household" in other.get(admin_url("inspect", review)).content.decode()


def test_the_editor_warns_when_shared_text_names_the_subject(child_q, people):
    review = child_q["review"]
    review.save_revision().publish()
    client = Client()
    client.force_login(people["reviewer"])
    url = admin_url("edit", review)
    data = form_data(client.get(url).context["form"])
    data["title"] = "Learning from a busy household"
    data["summary"] = "A girl lived with her mother."
    for n in range(2):
        data[f"findings-{n}-title"] = "Information was not shared"
        data[f"findings-{n}-text"] = "Agencies did not share what they knew."
    data["findings-1-text"] = "Child Q's mother was not asked."
    for n in range(2):
        data[f"recommendations-{n}-text"] = "Ask about every adult in the household."
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "Finding 2 text names “Child Q” and is shared beyond your partnership. Others will "
        "read “the child” instead: check that it reads well, or write it that way yourself."
    ]
    saved = Review.objects.get(pk=review.pk).get_latest_revision_as_object()
    assert saved.findings.all()[1].text == "Child Q's mother was not asked."

    data["findings-1-text"] = "The child's mother was not asked."
    response = client.post(url, data, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_the_briefing_editor_warns_when_its_text_names_a_sources_subject(child_q, people):
    briefing = child_q["briefing"]
    client = Client()
    client.force_login(people["manager"])
    url = reverse("wagtailadmin_pages:edit", args=[briefing.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for part in ("background", "why_it_matters", "what_we_found", "what_it_means", "questions"):
        data[part] = rich_text("<p>Shareable practice learning.</p>")
    data["what_to_do"] = rich_text("<p>Shareable practice learning.</p>")
    data["summary"] = "What Child Q's busy household hid."
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "Summary names “Child Q”, a source's subject, and this briefing is shared beyond your "
        "partnership: write “the child” (or “the adult”, “the family”) instead."
    ]


def test_the_evidence_pack_keeps_the_pseudonym_only_for_those_who_change_the_review(
    child_q, people
):
    url = reverse("learning_reports:evidence_pack", args=[child_q["review"].pk])
    home = Client()
    home.force_login(people["qa"])
    assert "Child Q: neglect in a busy household" in home.get(url).content.decode()
    other = Client()
    other.force_login(people["liverpool.manager"])
    response = other.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert_no_pseudonym(url, text)
    assert "Ask about every adult in the child&#x27;s household" in text
