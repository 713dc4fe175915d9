import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from hub.models import HomePage


@pytest.fixture
def home(db):
    return HomePage.objects.get()


def _visit(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return response


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    home, client, django_assert_num_queries
):
    _visit(client)  # starts the cache's generation
    first = _visit(client)
    assert first["X-Hub-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = _visit(client)
    assert second["X-Hub-Cache"] == "hit"
    assert second.content == first.content
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_anonymous_home_page_holds_nothing_personal(home, client):
    _visit(client)
    response = _visit(client)
    assert not response.cookies, "a cached page must not set a cookie (CSRF token, session)"
    assert b"csrfmiddlewaretoken" not in response.content
    assert b"Sign in" in response.content


def test_signed_in_people_never_get_the_cached_copy(home, client, people):
    _visit(client)
    _visit(client)
    assert _visit(client)["X-Hub-Cache"] == "hit"

    signed_in = Client()
    signed_in.force_login(people["practitioner"])
    response = _visit(signed_in)
    assert "X-Hub-Cache" not in response
    assert b"You are signed in as Pat Okafor" in response.content
    assert b"Sign out" in response.content
    # What they saw was not stored for the next anonymous visitor either.
    anonymous = _visit(client)
    assert anonymous["X-Hub-Cache"] == "hit"
    assert b"Pat Okafor" not in anonymous.content


def test_a_visitor_with_messages_waiting_is_not_served_from_the_cache(home, client):
    _visit(client)
    _visit(client)
    client.cookies["messages"] = "anything"
    assert "X-Hub-Cache" not in _visit(client)


def test_publishing_a_change_invalidates_the_cached_page(home, client):
    _visit(client)
    _visit(client)
    assert b"A new introduction" not in _visit(client).content

    home.introduction = "A new introduction for the region."
    home.save_revision().publish()

    response = _visit(client)
    assert response["X-Hub-Cache"] == "miss"
    assert b"A new introduction for the region." in response.content
    assert _visit(client)["X-Hub-Cache"] == "hit"


def test_saving_a_draft_keeps_the_published_page_cached(home, client):
    _visit(client)
    _visit(client)
    home.introduction = "Not yet published."
    home.save_revision()
    response = _visit(client)
    assert response["X-Hub-Cache"] == "hit"
    assert b"Not yet published." not in response.content


def test_unpublishing_invalidates_the_cached_page(home, client):
    child = home.add_child(instance=HomePage(title="Old briefing", slug="old"))
    _visit(client, "/old/")
    assert _visit(client, "/old/")["X-Hub-Cache"] == "hit"
    child.unpublish()
    assert client.get("/old/").status_code == 404


def test_pages_behind_a_view_restriction_are_never_cached(home, client):
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    for _ in range(3):
        response = client.get("/")
        assert response.status_code == 302
        assert "X-Hub-Cache" not in response


def test_pages_outside_wagtail_are_not_cached(db, client):
    for _ in range(3):
        response = client.get("/sign-in/")
        assert response.status_code == 200
        assert "X-Hub-Cache" not in response


def test_deleting_a_page_invalidates_the_cache(home, client):
    child = home.add_child(instance=HomePage(title="Old briefing", slug="old"))
    _visit(client, "/old/")
    assert _visit(client, "/old/")["X-Hub-Cache"] == "hit"
    child.delete()
    assert client.get("/old/").status_code == 404


def test_moving_a_page_invalidates_the_cache(home, client):
    shelf = home.add_child(instance=HomePage(title="Shelf", slug="shelf"))
    child = home.add_child(instance=HomePage(title="Briefing", slug="briefing"))
    _visit(client, "/briefing/")
    assert _visit(client, "/briefing/")["X-Hub-Cache"] == "hit"
    child.move(shelf, pos="last-child")
    # Wagtail leaves a redirect from the old address; the cached copy is gone.
    assert client.get("/briefing/").status_code == 301
    assert _visit(client, "/shelf/briefing/")["X-Hub-Cache"] == "miss"


@pytest.mark.parametrize("path", ["/health/", "/search/?q=neglect", "/api/briefings/", "/feeds/"])
def test_anonymous_requests_off_the_page_route_never_ask_the_cache(home, client, path, monkeypatch):
    """Only Wagtail's page route is ever stored, so nothing else pays a cache round trip."""
    from hub import page_cache

    asked = []
    monkeypatch.setattr(page_cache.cache, "get_many", lambda keys: asked.append(keys) or {})
    client.get(path)
    assert asked == []
    client.get("/")
    assert asked, "the page route still asks the cache"


def test_a_change_starts_a_generation_at_once_and_another_when_it_commits(
    home, django_capture_on_commit_callbacks
):
    """A page rendered between the change and its commit shows the old data: the second
    generation, at the commit, throws it away."""
    from django.core.cache import cache

    from hub.page_cache import GENERATION_KEY
    from partnership.models import Theme

    before = cache.get(GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        Theme.objects.order_by("pk").first().save()
        during = cache.get(GENERATION_KEY)
    assert during != before
    assert cache.get(GENERATION_KEY) not in (before, during)
