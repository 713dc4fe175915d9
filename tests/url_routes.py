"""Every URL the Hub answers, walked once from Django's resolver: the generated matrices (admin
pages, record pages, exports, two factors, bad bytes, the API) read it, so that a view added later
is in each of them without anyone adding it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_REGEX_SYNTAX = re.compile(r"[\\()\[\]?*+|{}]")


@dataclass(frozen=True)
class Route:
    name: str | None  # with its namespaces: "wagtailadmin_pages:edit"
    path: str  # from the root, with converters as written: "admin/pages/<int:page_id>/edit/"
    exact: bool  # False when a regular expression on the way is more than a literal
    pattern: URLPattern

    @property
    def callback(self):
        return self.pattern.callback

    @property
    def converters(self) -> set[str]:
        return set(getattr(self.pattern.pattern, "converters", {}))


def _step(pattern) -> tuple[str, bool]:
    """The text a pattern adds to the path, and whether it is exact."""
    route = getattr(pattern, "_route", None)
    if route is not None:
        return route, True
    regex = str(pattern).removeprefix("^").removesuffix("$").removesuffix("\\Z")
    regex = regex.replace("\\/", "/")
    return regex, not _REGEX_SYNTAX.search(regex)


def routes(resolver: URLResolver | None = None) -> Iterator[Route]:
    """Every URL pattern under `resolver` (the project's by default), depth first."""
    yield from _walk(resolver or get_resolver(), (), "", True)


def _walk(resolver, namespaces, prefix, exact) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        text, literal = _step(entry.pattern)
        if isinstance(entry, URLResolver):
            spaces = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, spaces, prefix + text, exact and literal)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Route(name, prefix + text, exact and literal, entry)
