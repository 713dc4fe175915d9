"""Build once per audience what depends only on the audience, and serve it to all who share it.

A library or course list shows a signed-in reader what their partnership, agency and roles let
them see: every practitioner of one agency sees the same list. The caller names the place (a page),
the audience (`partnership.access.audience_of`: the same tokens the search filters by) and the GET
parameters; what it builds is stored under the page cache's *generation*, so whatever empties the
anonymous page cache (a publish, an edit of a review, a booking, a sign-off) makes these stale at
the same moment. Only the audience's part is stored: what is one person's own (read markers,
their bookings) is rendered per request around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import generations, page_cache

KEY_PREFIX = "hub:audience:"
T = TypeVar("T")


def key_for(place: str, audience: Iterable[str], params) -> str:
    """One key per place, audience and exact GET parameters (a QueryDict or a mapping): a page
    of results, its filters and its pagination links all follow from those three."""
    lists = params.lists() if hasattr(params, "lists") else ((k, [v]) for k, v in params.items())
    return generations.key(
        KEY_PREFIX, place, sorted(audience), sorted((k, list(v)) for k, v in lists)
    )


def remember(place: str, audience: Iterable[str], params, build: Callable[[], T]) -> T:
    """`build()`'s answer for this place, audience and parameters, kept under the page cache's
    generation (`hub.generations.remember`)."""
    key = key_for(place, audience, params)
    return generations.remember(page_cache.GENERATION_KEY, key, page_cache.timeout(), build)


@dataclass
class RenderedListing:
    """A paginated listing as HTML, and the page number the page's title shows. `built` is the
    listing itself when this request built it; None when the audience's copy was served."""

    html: SafeString
    page_number: int
    built: Any = None

    def __getattr__(self, name):
        # What a built listing knows (entries, counts, total), for code and tests that read it.
        if self.built is None:
            raise AttributeError(name)
        return getattr(self.built, name)


def rendered_listing(
    request, *, place: str, audience: Iterable[str], template: str, build, context=None
) -> RenderedListing:
    """`build()` (a listing with a paginator `page`) rendered with `template` as `listing`,
    once per place, audience and GET parameters, and served to everyone who shares them."""
    built = []

    def render() -> tuple[str, int]:
        listing = build()
        built.append(listing)
        html = render_to_string(template, {**(context or {}), "listing": listing}, request)
        return html, listing.page.number

    html, number = remember(place, audience, request.GET, render)
    return RenderedListing(mark_safe(html), number, built[0] if built else None)
