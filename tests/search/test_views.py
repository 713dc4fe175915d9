"""The search page and the JSON search API, through the test client: what a reader sees, that it
works without JavaScript (a GET form), that restricted records never reach the page or the JSON,
and that a page costs the same few queries however many results there are."""

import pytest
from django.urls import reverse

from partnership import readers

from .conftest import rebuild
from .corpus import build


@pytest.fixture
def corpus(world, engine):
    made = build(world)
    rebuild(engine)
    return made


def test_every_page_has_the_search_box(client, corpus):
    html = client.get("/sign-in/").content.decode()
    assert 'role="search"' in html and 'name="q"' in html and 'action="/search/"' in html


def test_the_empty_page_suggests_themes(client, corpus):
    html = client.get(reverse("search")).content.decode()
    assert "Start from a theme" in html
    assert "?theme=neglect" in html


def test_results_show_type_partnership_date_snippet_and_facets(client, people, corpus):
    client.force_login(people["practitioner"])
    response = client.get(reverse("search"), {"q": "neglected"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Seeing neglect early" in html
    assert "Learning briefing · Wirral" in html
    assert "<mark>neglected</mark>" in html
    assert "<script>alert" not in html  # the record's text is escaped, whatever the engine shows
    assert 'type="checkbox" value="finding"' in html
    assert 'name="theme"' in html and "Neglect (" in html


def test_checkbox_filters_and_sort_arrive_as_get_parameters(client, people, corpus):
    client.force_login(people["manager"])
    html = client.get(
        reverse("search"), {"q": "neglect", "type": "briefing", "sort": "date"}
    ).content.decode()
    assert 'value="briefing" checked' in html
    assert '<option value="date" selected>' in html
    assert "1 result for" in html


def test_a_restricted_finding_never_reaches_the_page(client, people, corpus):
    client.force_login(people["practitioner"])
    for q in ("grooming", "CSE", "household"):
        html = client.get(reverse("search"), {"q": q}).content.decode()
        assert "Zebedee" not in html
    assert "0 results" in client.get(reverse("search"), {"q": "Zebedee"}).content.decode()


def test_hints_did_you_mean_and_also_searched_for(client, people, corpus):
    client.force_login(people["practitioner"])
    html = client.get(reverse("search"), {"q": "neglekt"}).content.decode()
    assert "Did you mean" in html and "?q=neglect" in html
    html = client.get(reverse("search"), {"q": "CSE"}).content.decode()
    assert "Also searched for:" in html and "grooming" in html


def test_unknown_filters_are_named_not_fatal(client, people, corpus):
    client.force_login(people["practitioner"])
    response = client.get(reverse("search"), {"q": "neglect", "year": "last", "page": "x"})
    assert response.status_code == 200
    assert "year=last" in response.content.decode()


def test_a_search_costs_the_same_queries_for_few_or_many_results(
    client, people, corpus, django_assert_max_num_queries
):
    client.force_login(people["manager"])
    client.get(reverse("search"), {"q": "neglect"})  # session, caches
    with django_assert_max_num_queries(16):
        client.get(reverse("search"), {"q": "neglect", "type": "finding", "theme": "neglect"})
    with django_assert_max_num_queries(16):
        client.get(reverse("search"), {"q": "a b c d e f"})


def test_api_answers_the_signed_in_reader(client, people, corpus):
    client.force_login(people["practitioner"])
    data = client.get(reverse("api-search"), {"q": "CSE", "type": "finding"}).json()
    assert data["count"] == 2
    assert {r["type"] for r in data["results"]} == {"finding"}
    first = data["results"][0]
    assert set(first) >= {"type", "title", "url", "snippet", "partnership", "themes", "date"}
    assert {"slug": "cse", "name": "Child sexual exploitation"} in first["themes"]
    assert "grooming" in data["also_searched_for"]
    kinds = {v["value"]: v["count"] for v in data["facets"]["type"]}
    assert kinds["finding"] == 2 and kinds["recommendation"] == 1
    assert "zebedee" not in str(data).casefold()


def test_api_answers_a_partner_token_as_its_partnership(client, people, world, corpus):
    _, key = readers.create_api_token(
        world.partnerships["Liverpool"], "Intranet", people["liverpool.manager"]
    )
    data = client.get(
        reverse("api-search"), {"q": "trilogy of risk"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    assert data["count"] == 0  # Wirral's partnership-level finding
    data = client.get(
        reverse("api-search"),
        {"q": "exploitation", "partnership": "liverpool"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()
    assert data["count"] >= 2


def test_api_refuses_strangers(client, corpus):
    assert client.get(reverse("api-search"), {"q": "neglect"}).status_code == 401
    response = client.get(reverse("api-search"), HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401


def test_the_admin_search_offers_learning_search_and_still_finds_reviews(client, people, corpus):
    client.force_login(people["admin"])
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "neglect"})
    assert response.status_code == 200
    assert "Learning search" in response.content.decode()
    listing = client.get("/admin/snippets/reviews/review/", {"q": "busy household"})
    assert listing.status_code == 200
    assert "Child A: neglect in a busy household" in listing.content.decode()
