"""The shapes every part of search agrees on: what is indexed, what is asked, what comes back.

One search service (`search.service`) answers the site, the admin and the JSON API with one of two
engines behind it: the database engine (PostgreSQL full-text search, or SQLite's FTS5 in the
embedded default) and the Elasticsearch engine (`elasticsearch.dsl`, when ELASTICSEARCH_URL is set).
Both take the same `SearchDocument`s in and give the same `SearchResults` out, so the behaviour
tests run against either.

Access is decided inside the engine's query, never after it: each document carries the access
tokens of the record it came from (`partnership.access.access_tokens`), each query carries the
reader's audience tokens (`partnership.access.audience_tokens`), and a document matches only when
the two share a token. Counts and facets are computed over that filtered set, so they never reveal
what the reader may not see. Confidential fields never reach a `SearchDocument`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol


class Kind:
    """What a hit is, as the `type` filter and facet name it."""

    FINDING = "finding"
    RECOMMENDATION = "recommendation"
    BRIEFING = "briefing"
    REVIEW = "review"
    ACTION = "action"
    COURSE = "course"

    LABELS = {
        FINDING: "Finding",
        RECOMMENDATION: "Recommendation",
        BRIEFING: "Learning briefing",
        REVIEW: "Published review",
        ACTION: "Action",
        COURSE: "Training course",
    }


# Curated learning before the records it comes from: a briefing that matches as well as a
# finding is what a practitioner should read first. Both engines multiply relevance by these.
KIND_BOOST = {
    Kind.BRIEFING: 2.0,
    Kind.COURSE: 1.5,
    Kind.REVIEW: 1.5,
    Kind.FINDING: 1.0,
    Kind.RECOMMENDATION: 0.8,
    Kind.ACTION: 0.6,
}

# When the words typed match fewer records than this (before any facet filter), the engines offer
# a better spelling ("did you mean").
FEW_RESULTS = 3

# The facets both engines count, in the order the search page shows them.
FACETS = ("kind", "theme", "agency", "review_type", "partnership", "year", "level_of_need")


@dataclass(frozen=True)
class SearchDocument:
    """One searchable record, flattened: only shareable text, never confidential fields.

    key: "<kind>:<pk>", unique across the index.
    title/body: the text searched; title weighs more than body.
    themes: theme slugs; agencies: agency sectors (police, health, ...), the vocabulary
        practitioners filter by across partnerships; review_type: the ReviewType value of the
        review it comes from, if any; level_of_need: 1-4 or None.
    access: the record's access tokens (see the module docstring).
    tags: the names and synonyms of the record's themes, as text: searched with a weight between
        title and body, so a record tagged with a theme is found by any of the theme's words.
    """

    key: str
    kind: str
    title: str
    body: str
    url: str
    partnership_id: int | None
    partnership_name: str
    date: datetime.date | None
    themes: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    review_type: str = ""
    level_of_need: int | None = None
    access: tuple[str, ...] = ()
    tags: str = ""

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


@dataclass(frozen=True)
class SearchQuery:
    """What a reader asked. `audience` is the reader's access tokens, filled by the service from
    the signed-in user or a partner token; engines must filter by it inside their query.

    filters: facet name (as in FACETS) -> accepted values (OR within a facet, AND across facets).
    sort: "relevance" or "date" (newest first).
    """

    text: str
    audience: frozenset[str]
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    title: str
    url: str
    # HTML-safe: the engine escapes the text and wraps matched words in <mark>.
    snippet: str
    partnership_name: str
    themes: tuple[str, ...]
    date: datetime.date | None
    score: float = 0.0


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    # Words the engine also searched for because the theme taxonomy names them as synonyms of
    # what was typed ("CSE" -> "child sexual exploitation"), for the "also searched for" hint.
    expanded_terms: tuple[str, ...] = ()
    # A better-spelt query when the typed one found little ("did you mean").
    suggestion: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


class SearchEngine(Protocol):
    """What the service needs of an engine."""

    def search(self, query: SearchQuery) -> SearchResults: ...

    def index(self, documents: list[SearchDocument]) -> None:
        """Add or replace these documents (by key)."""

    def remove(self, keys: list[str]) -> None:
        """Drop these documents; unknown keys are ignored."""

    def rebuild(self, documents, progress=None) -> int:
        """Replace the whole index with `documents` (an iterable) without a moment in which
        searches see an empty or half-built index; `progress(done)` is called as it goes.
        Returns how many documents were indexed."""

    def synonyms_changed(self) -> None:
        """The theme taxonomy's synonyms changed: search with the new ones from now on, without
        a rebuild (the documents hold no synonyms; the theme words in their tags are reindexed
        separately)."""
