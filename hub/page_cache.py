"""Serve anonymous visitors' Wagtail pages from Django's cache.

Most of the Hub's readers are practitioners and the public reading published learning, so a page
rendered once for an anonymous visitor is rendered for all of them. The middleware answers such a
request before sessions, authentication or the page tree are touched: a hit costs no database
query. Every stored page is tagged with the cache's *generation*; publishing, unpublishing, moving
or deleting any page (or changing a site) starts a new generation, so every cached page goes stale
at once and no page can outlive the content it shows by more than one request.

Only what is the same for every anonymous visitor is stored: a page's 200 response that sets no
cookie (so no CSRF token or message was rendered into it), is not marked private, and was served
to a request with no session or messages cookie.
"""

import hashlib
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from . import generations

GENERATION_KEY = "hub:page-cache:generation"
KEY_PREFIX = "hub:page-cache:page:"
# Cookies whose presence means the page might differ for this visitor: a signed-in session, or
# messages waiting to be shown.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
UNCACHEABLE_CACHE_CONTROL = ("private", "no-cache", "no-store")
WAGTAIL_SERVE = "wagtail_serve"


def timeout() -> int:
    return settings.HUB_PAGE_CACHE_SECONDS


def invalidate(**kwargs) -> None:
    """Start a new generation: every page cached so far is stale. Also a signal receiver."""
    generations.renew(GENERATION_KEY)


def start_generation() -> None:
    """Start the first generation, unless another request has just done so."""
    generations.start(GENERATION_KEY)


def invalidate_on_page_save(sender, instance, update_fields=None, **kwargs) -> None:
    """A live page saved in full (created, or changed in code) may change what visitors see.

    Saves of named fields only are Wagtail's own bookkeeping (latest revision, draft flags) and
    leave the published page as it was; publishing a draft is caught by `page_published`.
    """
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.live and update_fields is None:
        invalidate()


def invalidate_when_changed(*models) -> None:
    """What the anonymous pages list is not only pages: a listing shows reviews' findings, a
    course list its sessions and places left. A domain names the models its anonymous listings
    show, and any save or delete of one starts a new generation, as publishing a page does."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        label = model._meta.label_lower
        post_save.connect(
            invalidate_now_and_on_commit, sender=model, dispatch_uid=f"hub-page-cache-s-{label}"
        )
        post_delete.connect(
            invalidate_now_and_on_commit, sender=model, dispatch_uid=f"hub-page-cache-d-{label}"
        )


def invalidate_now_and_on_commit(**kwargs) -> None:
    """A change inside a transaction (a booking, a sign-off) empties the cache at once and again
    at its commit (`generations.renew_now_and_at_commit`)."""
    generations.renew_now_and_at_commit(GENERATION_KEY)


def mark_cacheable(page, request) -> None:
    """Called as Wagtail serves a page: say the response may be stored for anonymous visitors.

    Pages behind a view restriction (sign-in, groups, password) are never stored, and a page type
    can opt out with `cache_for_anonymous = False` (for one that shows time-sensitive data).
    """
    if not getattr(request, "hub_page_cache_candidate", False):
        return  # signed in, or otherwise not a request the cache answers: spare the query
    if not getattr(page, "cache_for_anonymous", True):
        return
    if page.get_view_restrictions().exists():
        return
    request.hub_page_cacheable = True


def shared_with_visitors(view):
    """For a Django view (not a Wagtail page) whose anonymous answer is the same for every
    visitor, a theme page or the public feed: the cache may answer and store it like a page."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "hub_page_cache_candidate", False):
            request.hub_page_cacheable = True
        return view(request, *args, **kwargs)

    wrapper.hub_shared_with_visitors = True
    return wrapper


def _is_anonymous_get(request) -> bool:
    return (
        request.method == "GET"
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def serves_pages(request) -> bool:
    """Whether the path is Wagtail's page route or a view `shared_with_visitors`, the only ones
    whose responses are ever stored (`mark_cacheable` runs as Wagtail serves a page): every
    other path (the admin, the API, search, static files, the minimal view) goes straight on,
    with no cache round trip. Resolving a path reads the URL patterns only, never the database."""
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return _path_serves_pages(urlconf, request.path_info)


@lru_cache(maxsize=4096)
def _path_serves_pages(urlconf: str, path: str) -> bool:
    """Remembered per URL configuration and path: the patterns are fixed while the process runs,
    and walking them all to reach Wagtail's catch-all was a sixth of the cost of every request.
    Bounded, so that a crawler's endless paths cannot grow it."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return match.url_name == WAGTAIL_SERVE or getattr(match.func, "hub_shared_with_visitors", False)


def _key(request) -> str:
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(where.encode()).hexdigest()


def _storable(request, response) -> bool:
    if not getattr(request, "hub_page_cacheable", False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in UNCACHEABLE_CACHE_CONTROL)


class AnonymousPageCacheMiddleware:
    """Answer anonymous GETs for Wagtail pages from the cache; store what is safe to share.

    Sits above the session, CSRF, authentication and messages middleware, so that a hit skips
    them and a miss sees every cookie they set before deciding whether to store.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not timeout() or not _is_anonymous_get(request) or not serves_pages(request):
            return self.get_response(request)

        request.hub_page_cache_candidate = True
        key = _key(request)
        # One round trip: the current generation and the stored page together.
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        stored = found.get(key)
        if generation is not None and stored is not None and stored["generation"] == generation:
            return self._rebuild(stored)

        response = self.get_response(request)
        if not _storable(request, response):
            return response
        if generation is None:
            # No generation yet, or it was evicted: start one, and store pages from the next
            # request on. A page is only ever stored under the generation read before it was
            # rendered, so a publish while it rendered leaves it stale rather than served.
            start_generation()
            return response
        cache.set(
            key,
            {
                "generation": generation,
                "status": response.status_code,
                "headers": list(response.items()),
                "content": response.content,
            },
            timeout(),
        )
        response["X-Hub-Cache"] = "miss"
        return response

    @staticmethod
    def _rebuild(stored) -> HttpResponse:
        response = HttpResponse(stored["content"], status=stored["status"])
        for name, value in stored["headers"]:
            response[name] = value
        response["X-Hub-Cache"] = "hit"
        return response
