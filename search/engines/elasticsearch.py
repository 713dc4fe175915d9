"""The Elasticsearch engine: the search service's engine when ELASTICSEARCH_URL names a cluster.

Readers search an alias, `<prefix>-search`, never a concrete index: a rebuild fills a new index
`<prefix>-search-<timestamp>` while the old one keeps answering, then moves the alias in one
atomic call, so no search ever meets an empty or half-built index.

Access is part of every query: the reader's audience tokens are a `terms` filter on `access` in
the query's `bool.filter`, so hits, the total, the facet counts and the "did you mean" suggestion
(checked by a collate query with the same filter) are all computed over what the reader may see.

Synonyms live in the cluster's synonyms set `<prefix>-search-synonyms`, written from the theme
taxonomy before any index is created and again whenever a theme changes (`synonyms_changed`):
Elasticsearch then reloads the search analyser of the live index, with no rebuild and no pause.
"""

from __future__ import annotations

import datetime
import html
import json
import logging
import re
from collections.abc import Callable, Iterable

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.dsl import A, Q, Search
from elasticsearch.helpers import bulk, streaming_bulk

from ..es_analysis import (
    INDEXED_FIELDS,
    SEARCH_ANALYZER,
    build_index,
    index_settings_after_load,
    synonyms_set,
)
from ..synonyms import SynonymGroup, cached_synonym_groups, forget_synonyms, groups_matching
from ..types import (
    FACETS,
    FEW_RESULTS,
    KIND_BOOST,
    FacetValue,
    Hit,
    Kind,
    SearchDocument,
    SearchQuery,
    SearchResults,
)

logger = logging.getLogger(__name__)

# Facet name (as in FACETS and SearchQuery.filters) -> indexed field.
FACET_FIELDS = {
    "kind": "kind",
    "theme": "themes",
    "agency": "agencies",
    "review_type": "review_type",
    "partnership": "partnership_id",
    "year": "year",
    "level_of_need": "level_of_need",
}
INTEGER_FACETS = {"partnership", "year", "level_of_need"}
FACET_SIZE = 50

# Elasticsearch refuses from + size beyond its result window (index.max_result_window).
MAX_RESULT_WINDOW = 10_000
SNIPPET_LENGTH = 200
PROGRESS_EVERY = 500
SOURCE_FIELDS = ["key", "kind", "title", "body", "url", "partnership_name", "themes", "date"]

_MARK = re.compile(r"</?mark>")


def _facet_values(facet: str, values: Iterable[str]) -> list:
    """Filter values as the field holds them; a value that cannot be there (a year that is not
    a number) is dropped, so it matches nothing rather than failing the search."""
    if facet not in INTEGER_FACETS:
        return [v for v in values if v]
    return [int(v) for v in values if str(v).strip().isdigit()]


def _facet_filter(facet: str, values: Iterable[str]):
    return Q("terms", **{FACET_FIELDS[facet]: _facet_values(facet, values)})


# Title above theme words above body, as the database engine weighs them (A, B, C).
TEXT_FIELDS = ["title^3", "tags^2", "body"]


def _text_query(text: str):
    words = Q(
        "multi_match",
        query=text,
        # Every word must be found, in the title, the theme words or the body: "bruising baby"
        # means both.
        type="cross_fields",
        operator="and",
        fields=TEXT_FIELDS,
        analyzer=SEARCH_ANALYZER,
        # A multi-word synonym matches as words, not as a phrase: the index drops stop words
        # and so leaves gaps ("trilogy _ risk") that a phrase built from the synonym lacks.
        auto_generate_synonyms_phrase_query=False,
    )
    # Relevance times the kind's boost, as the database engine ranks.
    return Q(
        "function_score",
        query=words,
        functions=[
            {"filter": {"term": {"kind": kind}}, "weight": boost}
            for kind, boost in KIND_BOOST.items()
        ],
        score_mode="first",
        boost_mode="multiply",
    )


def _did_you_mean(text: str, access_filter) -> dict:
    """A phrase suggester over unstemmed words. Suggesters read the whole index's vocabulary, so
    the collate query keeps only corrections that find a document the reader may see: a word
    that occurs only in a restricted record is never suggested."""
    collate = Q(
        "bool",
        must=[
            Q(
                "multi_match",
                query="{{suggestion}}",
                type="cross_fields",
                operator="and",
                fields=["title.plain", "tags.plain", "body.plain"],
            )
        ],
        filter=[access_filter],
    )
    return {
        "text": text,
        "phrase": {
            "field": "body.plain",
            "size": 1,
            "max_errors": 2,
            "confidence": 1.0,
            "direct_generator": [
                {"field": "body.plain", "suggest_mode": "missing", "min_word_length": 4},
                {"field": "title.plain", "suggest_mode": "missing", "min_word_length": 4},
                # The theme taxonomy's words, as the database engine's vocabulary has them.
                {"field": "tags.plain", "suggest_mode": "missing", "min_word_length": 4},
            ],
            "collate": {"query": {"source": json.dumps(collate.to_dict())}, "prune": False},
        },
    }


def build_search(query: SearchQuery, index: str = "hub-search") -> Search:
    """The whole request for `query`, as a pure function so tests can read what is sent."""
    access_filter = Q("terms", access=sorted(query.audience))
    text = " ".join(query.text.split())
    must = [_text_query(text)] if text else [Q("match_all")]
    # The access filter sits in the query itself, never in post_filter: everything computed from
    # the query (total, aggregations, the suggestion's check) is then bound by it.
    search = Search(index=index).query(Q("bool", must=must, filter=[access_filter]))

    # Facet filters narrow the hits through post_filter, after the aggregations see the query:
    # each facet's counts are then taken with every *other* facet's filter, so a reader who
    # picked "police" still sees how many results "health" would give (faceted search).
    chosen = {
        facet: tuple(values)
        for facet, values in query.filters.items()
        if facet in FACET_FIELDS and values
    }
    if chosen:
        search = search.post_filter(
            Q("bool", filter=[_facet_filter(f, vs) for f, vs in chosen.items()])
        )
    for facet in FACETS:
        others = [_facet_filter(f, vs) for f, vs in chosen.items() if f != facet]
        terms = A("terms", field=FACET_FIELDS[facet], size=FACET_SIZE)
        if facet == "partnership":
            # The partnership's name travels with its id, so labels need no database query.
            terms.bucket("name", "terms", field="partnership_name", size=1)
        search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others)).bucket("values", terms)
    # What the words found before any facet filter: "did you mean" is offered when the words
    # themselves found little, not when a filter left little (as the database engine decides).
    search.aggs.bucket("matched", "filter", filter=Q("match_all"))

    if query.sort == "date" or not text:
        # Without words there is no relevance to sort by: newest first, as the database engine.
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score", "key")
    else:
        search = search.sort("_score", {"date": {"order": "desc", "missing": "_last"}}, "key")

    size = max(1, min(query.per_page, MAX_RESULT_WINDOW))
    page = max(1, min(query.page, MAX_RESULT_WINDOW // size))
    search = search.extra(from_=(page - 1) * size, size=size, track_total_hits=True)
    search = search.source(SOURCE_FIELDS)

    if text:
        search = search.highlight_options(
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            encoder="html",
            type="unified",
        )
        # The snippet is a passage of the body; the title is shown whole, as it was written.
        search = search.highlight("body", fragment_size=SNIPPET_LENGTH, number_of_fragments=1)
        search = search.suggest("did_you_mean", **_did_you_mean(text, access_filter))
    return search


def _snippet(source: dict, highlight: dict) -> str:
    """HTML-safe text with matched words in <mark>: Elasticsearch's html encoder escapes the text;
    anything else that looks like markup means the fragment cannot be trusted, so it is escaped
    afresh without marks."""
    fragments = highlight.get("body") or []
    if fragments:
        fragment = fragments[0]
        if "<" not in _MARK.sub("", fragment):
            return fragment
        return html.escape(html.unescape(_MARK.sub("", fragment)))
    body = " ".join((source.get("body") or "").split())
    if len(body) > SNIPPET_LENGTH:
        body = body[:SNIPPET_LENGTH].rsplit(" ", 1)[0] + "…"
    return html.escape(body)


def _date(value) -> datetime.date | None:
    if not value:
        return None
    return datetime.date.fromisoformat(str(value)[:10])


def _labeller(facet: str) -> Callable[[str, dict], str]:
    if facet == "kind":
        return lambda value, bucket: Kind.LABELS.get(value, value)
    if facet == "theme":
        from partnership.models import Theme

        names = dict(Theme.objects.values_list("slug", "name"))
        return lambda value, bucket: names.get(value, value)
    if facet == "agency":
        from partnership.models import Sector

        return lambda value, bucket: Sector(value).label if value in Sector.values else value
    if facet == "review_type":
        from reviews.models import ReviewType

        return lambda value, bucket: (
            ReviewType(value).label if value in ReviewType.values else value
        )
    if facet == "level_of_need":
        from reviews.models import LevelOfNeed

        labels = {str(v): label for v, label in LevelOfNeed.choices}
        return lambda value, bucket: labels.get(value, value)
    if facet == "partnership":
        return lambda value, bucket: next(
            (b["key"] for b in bucket.get("name", {}).get("buckets", [])), value
        )
    return lambda value, bucket: value


def _facets(query: SearchQuery, aggregations: dict) -> dict[str, list[FacetValue]]:
    facets = {}
    for facet in FACETS:
        buckets = aggregations.get(facet, {}).get("values", {}).get("buckets", [])
        selected = {str(v) for v in query.filters.get(facet, ())}
        label = _labeller(facet) if buckets or selected else None
        values = []
        for bucket in buckets:
            value = str(bucket["key"])
            values.append(
                FacetValue(value, label(value, bucket), bucket["doc_count"], value in selected)
            )
        # A chosen value with nothing left still shows, so the reader can take it off.
        shown = {v.value for v in values}
        for value in sorted(selected - shown):
            values.append(FacetValue(value, label(value, {}), 0, True))
        facets[facet] = values
    return facets


def _suggestion(text: str, response: dict) -> str:
    for entry in response.get("suggest", {}).get("did_you_mean", []):
        for option in entry.get("options", []):
            if option.get("collate_match", True) and option["text"] != text.casefold():
                return option["text"]
    return ""


def expanded_terms(text: str, groups: list[SynonymGroup]) -> tuple[str, ...]:
    """The taxonomy's words the search also looked for: the matching themes' phrases that the
    reader did not type."""
    folded = f" {' '.join(text.casefold().split())} "
    terms: list[str] = []
    for group in groups_matching(text, groups):
        for phrase in group.phrases:
            if f" {phrase} " not in folded and phrase not in terms:
                terms.append(phrase)
    return tuple(terms)


def to_source(document: SearchDocument) -> dict:
    """The indexed body of a document: the mapping's fields and nothing else."""
    source = {
        "key": document.key,
        "kind": document.kind,
        "title": document.title,
        "tags": document.tags,
        "body": document.body,
        "url": document.url,
        "date": document.date.isoformat() if document.date else None,
        "partnership_id": document.partnership_id,
        "partnership_name": document.partnership_name,
        "themes": list(document.themes),
        "agencies": list(document.agencies),
        "review_type": document.review_type or None,
        "level_of_need": document.level_of_need,
        "year": document.year,
        "access": list(document.access),
    }
    assert set(source) == INDEXED_FIELDS
    return source


class ElasticsearchEngine:
    """The SearchEngine protocol (search.types) on an Elasticsearch cluster."""

    def __init__(
        self,
        url: str = "",
        index_prefix: str = "hub",
        *,
        client: Elasticsearch | None = None,
        refresh: bool | str = False,
        groups: Callable[[], list[SynonymGroup]] = cached_synonym_groups,
    ):
        """`refresh`: what index/remove wait for ("wait_for" in tests, so a search right after
        sees the change; False in production, where the next refresh within a second will do).
        `groups`: where the synonym groups come from (the theme taxonomy)."""
        self.client = client or Elasticsearch(url, request_timeout=30, retry_on_timeout=True)
        self.alias = f"{index_prefix}-search"
        self.synonyms_set = f"{self.alias}-synonyms"
        self.refresh = refresh
        self.groups = groups

    # Reading

    def search(self, query: SearchQuery) -> SearchResults:
        text = " ".join(query.text.split())
        if not query.audience:
            # No tokens, nothing visible: say so without asking the cluster.
            return SearchResults(query, [], 0, _facets(query, {}))
        body = build_search(query, self.alias).to_dict()
        try:
            response = self.client.search(index=self.alias, body=body).body
        except NotFoundError:
            # No index yet (nothing indexed, no rebuild run): an empty result, not an error page.
            logger.warning("search index %s does not exist yet", self.alias)
            return SearchResults(query, [], 0, _facets(query, {}))
        hits = []
        for raw in response["hits"]["hits"]:
            source = raw["_source"]
            hits.append(
                Hit(
                    key=source["key"],
                    kind=source["kind"],
                    title=source["title"],
                    url=source["url"],
                    snippet=_snippet(source, raw.get("highlight", {})),
                    partnership_name=source.get("partnership_name") or "",
                    themes=tuple(source.get("themes") or ()),
                    date=_date(source.get("date")),
                    score=float(raw.get("_score") or 0.0),
                )
            )
        total = response["hits"]["total"]["value"]
        matched = response.get("aggregations", {}).get("matched", {}).get("doc_count", total)
        return SearchResults(
            query=query,
            hits=hits,
            total=total,
            facets=_facets(query, response.get("aggregations", {})),
            expanded_terms=expanded_terms(text, self.groups()) if text else (),
            suggestion=_suggestion(text, response) if text and matched < FEW_RESULTS else "",
        )

    # Writing

    def index(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        self._ensure_index()
        bulk(
            self.client,
            (
                {"_op_type": "index", "_index": self.alias, "_id": d.key, "_source": to_source(d)}
                for d in documents
            ),
            refresh=self.refresh,
        )

    def remove(self, keys: list[str]) -> None:
        if not keys or not self.client.indices.exists(index=self.alias):
            return
        bulk(
            self.client,
            ({"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys),
            refresh=self.refresh,
            # Removing what is not there is fine: a record deleted before it was ever indexed.
            ignore_status=(404,),
        )

    def rebuild(self, documents, progress=None) -> int:
        """Fill a new index while the old one answers, then move the alias in one atomic call and
        drop the old indices."""
        name = f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"
        # The taxonomy as it is now, before the index that names the set exists.
        self.synonyms_changed()
        build_index(name, self.synonyms_set, bulk_load=True).create(using=self.client)
        done = 0
        try:
            for _ok, _item in streaming_bulk(
                self.client,
                (
                    {"_op_type": "index", "_index": name, "_id": d.key, "_source": to_source(d)}
                    for d in documents
                ),
                chunk_size=PROGRESS_EVERY,
                max_retries=3,
            ):
                done += 1
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done)
            self.client.indices.put_settings(index=name, settings=index_settings_after_load())
            self.client.indices.refresh(index=name)
        except Exception:
            # A failed rebuild leaves the live index as it was and no half-built one behind.
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        if progress and done % PROGRESS_EVERY:
            progress(done)
        self._swap_alias(name)
        return done

    def synonyms_changed(self) -> None:
        """Replace the cluster's synonyms set with the taxonomy's rules. Elasticsearch reloads
        the search analyser of every index using the set as part of the request, on the live
        index: the next search uses the new synonyms, and nothing is rebuilt or reindexed."""
        # Read the taxonomy afresh: the set is the cluster's record, a cached copy may be stale.
        forget_synonyms()
        self.client.synonyms.put_synonym(
            id=self.synonyms_set, synonyms_set=synonyms_set(self.groups())
        )

    def _swap_alias(self, new: str) -> None:
        old = self._indices_behind_alias()
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        if self.client.indices.exists(index=self.alias) and not old:
            # A concrete index named like the alias (made before aliases were used) goes in the
            # same atomic call that gives the alias its name.
            actions = [{"remove_index": {"index": self.alias}}]
        actions.append({"add": {"index": new, "alias": self.alias, "is_write_index": True}})
        self.client.indices.update_aliases(actions=actions)
        stale = [index for index in old if index != new]
        if stale:
            self.client.indices.delete(index=",".join(stale), ignore_unavailable=True)

    def _indices_behind_alias(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _ensure_index(self) -> None:
        """The first write to a cluster without the index creates it behind the alias."""
        if self.client.indices.exists(index=self.alias):
            return
        name = f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"
        self.synonyms_changed()
        index = build_index(name, self.synonyms_set)
        index.aliases(**{self.alias: {"is_write_index": True}})
        try:
            index.create(using=self.client)
        except BadRequestError:
            # Another worker created it first: the alias can have one write index only.
            if not self.client.indices.exists(index=self.alias):
                raise

    def delete_all(self) -> None:
        """Drop the alias, every index behind it and then the synonyms set, which the cluster
        keeps while an index uses it (throwaway test indices)."""
        indices = self._indices_behind_alias()
        if indices:
            self.client.indices.delete(index=",".join(indices), ignore_unavailable=True)
        elif self.client.indices.exists(index=self.alias):
            self.client.indices.delete(index=self.alias)
        self.client.options(ignore_status=404).synonyms.delete_synonym(id=self.synonyms_set)
