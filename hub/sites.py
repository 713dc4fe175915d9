"""The Wagtail site a page request is for, remembered rather than asked of the database.

Wagtail finds the site on every page request with a query (`Site.find_for_request`), and for a
signed-in reader it was a third of what the home page cost the server. The answer changes only
when a site or its root page changes, and either starts a new generation of the page cache, so
it is kept under that generation (one cache round trip, no query) and set where Wagtail looks
first (`request._wagtail_site`). Only for the paths Wagtail serves pages on: the admin, the API
and the minimal view go on without the round trip."""

from django.http.request import split_domain_port
from wagtail.models import Site

from . import generations, page_cache

KEY_PREFIX = "hub:site-for:"
# A site changes rarely; a day bounds what an eviction-free cache holds for an unused host.
SECONDS = 24 * 60 * 60


def site_for(request):
    """Wagtail's own answer for this request's host and port, kept under the page cache's
    generation."""
    # The raw host, as Wagtail reads it: ALLOWED_HOSTS is Django's to enforce, later.
    host = split_domain_port(request._get_raw_host())[0]
    key = f"{KEY_PREFIX}{host}:{request.get_port()}"
    return generations.remember(page_cache.GENERATION_KEY, key, SECONDS, lambda: _find(request))


def _find(request):
    site = Site._find_for_request(request)
    if site is not None:
        # Wagtail routes from the root page's specific instance: kept too, it is one query less.
        site.root_page = site.root_page.specific
    return site


class SiteOfRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "_wagtail_site") and page_cache.serves_pages(request):
            request._wagtail_site = site_for(request)
        return self.get_response(request)
