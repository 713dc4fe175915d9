"""The site a page request is for is remembered (no query per page) and follows every change
to the sites at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from hub.models import HomePage, StandardPage


@pytest.fixture
def signed_in(client, people):
    client.force_login(people["practitioner"])
    return client


def _site_queries(client, path="/", host="testserver"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code in (200, 404)
    return response, [q for q in captured if 'FROM "wagtailcore_site"' in q["sql"]]


def test_a_signed_in_page_request_asks_for_its_site_once(db, signed_in):
    first, asked = _site_queries(signed_in)
    second, again = _site_queries(signed_in)
    assert len(asked) == 1 and again == []
    assert second.content.count(b"<h1") == first.content.count(b"<h1")


def test_a_new_site_for_a_host_takes_its_requests_at_once(db, signed_in, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    home = HomePage.objects.get()
    other_root = home.add_child(
        instance=StandardPage(
            title="Another partnership's front page",
            slug="other-front",
            body="<p>Fictional front page.</p>",
        )
    )
    response, _ = _site_queries(signed_in, host="other.example.org")  # the default site's, kept
    assert b"Fictional front page." not in response.content
    Site.objects.create(hostname="other.example.org", port=80, root_page=other_root)
    response, asked = _site_queries(signed_in, host="other.example.org")
    assert len(asked) == 1  # the site's save started a new generation
    assert b"Fictional front page." in response.content
    # The default host still gets the Hub's home page.
    response, _ = _site_queries(signed_in)
    assert b"Fictional front page." not in response.content


def test_the_admin_and_other_paths_make_no_site_round_trip(db, signed_in, monkeypatch):
    from hub import sites

    asked = []
    monkeypatch.setattr(sites, "site_for", lambda request: asked.append(request.path))
    signed_in.get("/bench-minimal-does-not-exist/")  # a page route: asked
    signed_in.get("/search/?q=neglect")
    assert asked == ["/bench-minimal-does-not-exist/"]


def test_pages_are_not_cached_sites_when_caching_is_off(db, signed_in, settings):
    settings.HUB_PAGE_CACHE_SECONDS = 0
    _site_queries(signed_in)
    _, asked = _site_queries(signed_in)
    assert len(asked) == 1
    assert Page.objects.filter(depth=2).exists()
