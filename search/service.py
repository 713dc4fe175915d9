"""The one query API: the search page, the admin and the JSON API all call `search()`.

It turns a reader (a person, or a partnership reading through its API token) into the access
tokens the engine filters by, keeps only the filters that make sense, asks the engine, and puts
names on the facet values the engine counted. It decides nothing about access itself: the tokens
come from the access policy (`partnership.access`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from partnership.access import audience_tokens, audience_tokens_for_partnership
from partnership.models import Partnership, Sector, Theme
from partnership.process_copy import ProcessCopy
from reviews.models import LevelOfNeed, ReviewType

from . import engines
from .types import FACETS, FacetValue, Kind, SearchQuery, SearchResults

PER_PAGE = 20
MAX_PAGE = 500
MAX_TEXT = 200
SORTS = ("relevance", "date")
LABELS_VERSION_KEY = "search:labels-version"

# The query-string names of the facets, shared by the page and the JSON API.
PARAMS = {
    "type": "kind",
    "theme": "theme",
    "agency": "agency",
    "review_type": "review_type",
    "partnership": "partnership",
    "year": "year",
    "level": "level_of_need",
}
FACET_PARAM = {facet: param for param, facet in PARAMS.items()}
FACET_TITLES = {
    "kind": "Type",
    "theme": "Theme",
    "agency": "Agency",
    "review_type": "Type of review",
    "partnership": "Partnership",
    "year": "Year",
    "level_of_need": "Level of need",
}
SLUG = re.compile(r"^[-a-z0-9_]{1,100}$")


def _build_labels() -> dict:
    return {
        "theme": dict(Theme.objects.values_list("slug", "name")),
        "partnership": {
            str(pk): name for pk, name in Partnership.objects.values_list("pk", "name")
        },
        "partnership_slugs": {
            slug: str(pk) for pk, slug in Partnership.objects.values_list("pk", "slug")
        },
    }


# Theme and partnership names change rarely; their saves forget this (search.signals).
_current_labels = ProcessCopy(LABELS_VERSION_KEY, _build_labels)


def _labels() -> dict:
    return _current_labels.get()


def forget_labels() -> None:
    _current_labels.forget()


# The fixed vocabularies' names, read once.
CHOICE_LABELS = {
    "agency": dict(Sector.choices),
    "review_type": dict(ReviewType.choices),
    "level_of_need": {str(v): n for v, n in LevelOfNeed.choices},
}


def label(facet: str, value: str, labels: dict | None = None) -> str:
    """A facet value's name for people. `labels`: `_labels()` read once by a caller naming many
    values (each read is a round trip to the cache server)."""
    if facet == "kind":
        return Kind.LABELS.get(value, value)
    if facet in CHOICE_LABELS:
        return CHOICE_LABELS[facet].get(value, value)
    if facet in ("theme", "partnership"):
        return (labels or _labels())[facet].get(value, value)
    return value


def theme_namer():
    """A function from theme slugs to (slug, name) pairs, the names read once: for a page of
    hits."""
    names = _labels()["theme"]
    return lambda slugs: [(slug, names.get(slug, slug)) for slug in slugs]


def _valid(facet: str, value: str) -> str | None:
    """The value in the engine's terms, or None when it cannot name anything."""
    value = (value or "").strip()
    if not value:
        return None
    if facet == "kind":
        return value if value in Kind.LABELS else None
    if facet == "theme":
        return value if SLUG.match(value) else None
    if facet == "agency":
        return value if value in Sector.values else None
    if facet == "review_type":
        return value if value in ReviewType.values else None
    if facet == "partnership":
        if value.isdigit():
            return value if value in _labels()["partnership"] else None
        return _labels()["partnership_slugs"].get(value)
    if facet == "year":
        return value if value.isdigit() and 1900 <= int(value) <= 2200 else None
    if facet == "level_of_need":
        return value if value in {str(v) for v in LevelOfNeed.values} else None
    return None


def clean_filters(filters: dict) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The filters the engine can use, and the ones dropped (named "facet=value") so that the
    page or the API can say so rather than fail."""
    clean: dict[str, tuple[str, ...]] = {}
    ignored: list[str] = []
    for facet, values in (filters or {}).items():
        if isinstance(values, str):
            values = [values]
        if facet not in FACETS:
            ignored += [f"{facet}={v}" for v in values]
            continue
        kept = []
        for value in values:
            valid = _valid(facet, value)
            if valid is None:
                ignored.append(f"{FACET_PARAM.get(facet, facet)}={value}")
            elif valid not in kept:
                kept.append(valid)
        if kept:
            clean[facet] = tuple(kept)
    return clean, ignored


def filters_from_params(params) -> dict[str, list[str]]:
    """The facet filters in a query string (a QueryDict: a parameter may repeat)."""
    filters = {}
    for param, facet in PARAMS.items():
        values = [v for v in params.getlist(param) if v.strip()]
        if values:
            filters[facet] = values
    return filters


def audience_of(reader) -> frozenset[str]:
    """A partnership reads as its plainest member; anyone else (a user, anonymous) as themself."""
    if isinstance(reader, Partnership):
        return audience_tokens_for_partnership(reader)
    return audience_tokens(reader)


def _page_number(page) -> int:
    try:
        number = int(page)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def search(
    reader, text: str = "", filters=None, sort: str = "relevance", page=1, per_page=PER_PAGE
) -> SearchResults:
    """Search as `reader` (a user, AnonymousUser, or a Partnership for its API token)."""
    clean, _ignored = clean_filters(filters or {})
    query = SearchQuery(
        text=" ".join((text or "").split())[:MAX_TEXT],
        audience=audience_of(reader),
        filters=clean,
        sort=sort if sort in SORTS else "relevance",
        page=_page_number(page),
        per_page=per_page,
    )
    results = engines.get_engine().search(query)
    return replace(results, facets=_labelled(results.facets))


def _labelled(facets: dict[str, list[FacetValue]]) -> dict[str, list[FacetValue]]:
    out = {}
    labels = _labels()
    for facet in FACETS:
        values = [replace(v, label=label(facet, v.value, labels)) for v in facets.get(facet, [])]
        if facet == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        elif facet == "level_of_need":
            values.sort(key=lambda v: v.value)
        elif facet == "kind":
            order = list(Kind.LABELS)
            values.sort(key=lambda v: order.index(v.value) if v.value in order else 99)
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        out[facet] = values
    return out
