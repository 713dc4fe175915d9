"""The database engine, the default: full-text search in the Hub's own database.

PostgreSQL: a weighted `search_vector` (title A, theme words B, body C, 'english' configuration so
"neglected" finds "neglect") with a GIN index, ranked by `ts_rank`, highlighted by `ts_headline`.
SQLite (the embedded default): an FTS5 table with the porter stemmer, ranked by `bm25` with the same
weighting, highlighted by `snippet()`. Both expand the query with the theme taxonomy's synonyms
(`search.query`).

Access is part of every query: an entry matches only if one of its access tokens is among the
reader's (a semi-join on `SearchToken`), and facet counts are GROUP BY queries over that same
filtered, matching set, so neither hits nor counts ever reveal a record the reader may not see.
"""

from __future__ import annotations

import datetime
import difflib
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from partnership.access import EVERYONE_TOKEN

from ..models import IndexState, SearchEntry, SearchFacet, SearchToken
from ..query import Plan, fts5_match, plan, words_of
from ..synonyms import cached_synonym_groups, current_synonyms, forget_synonyms
from ..types import FACETS, FEW_RESULTS, KIND_BOOST, FacetValue, Hit, SearchDocument, SearchResults
from ..types import SearchQuery as HubQuery

BATCH = 500
# Marks around matched words that no indexed text contains: the snippet is escaped as a whole and
# only then are these turned into <mark> elements.
START, STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 32
# Title counts ten times the body, theme words four times (bm25 weights per FTS5 column).
BM25 = "bm25(hubsearch_fts, 10.0, 4.0, 1.0)"


def _facet_rows(doc: SearchDocument) -> list[tuple[str, str]]:
    rows = [("kind", doc.kind)]
    rows += [("theme", slug) for slug in doc.themes]
    rows += [("agency", sector) for sector in doc.agencies]
    if doc.review_type:
        rows.append(("review_type", doc.review_type))
    if doc.partnership_id is not None:
        rows.append(("partnership", str(doc.partnership_id)))
    if doc.year:
        rows.append(("year", str(doc.year)))
    if doc.level_of_need:
        rows.append(("level_of_need", str(doc.level_of_need)))
    return list(dict.fromkeys(rows))


def _marked(text: str) -> str:
    """Escape the text, then turn the engine's marks into <mark> elements."""
    escaped = html.escape(text or "", quote=False)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


def _lead(body: str) -> str:
    words = (body or "").split()
    text = " ".join(words[:SNIPPET_WORDS])
    return html.escape(text + (" …" if len(words) > SNIPPET_WORDS else ""), quote=False)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


HIT_FIELDS = ("pk", "key", "kind", "title", "url", "partnership_name", "themes", "date", "body")


def _hit(row: dict, score: float) -> Hit:
    """A hit from an entry's HIT_FIELDS and its snippet (marked by the engine), or the start of
    its body when the words matched only its title or themes."""
    return Hit(
        key=row["key"],
        kind=row["kind"],
        title=row["title"],
        url=row["url"],
        snippet=_marked(row["snippet"]) if row.get("snippet") else _lead(row["body"]),
        partnership_name=row["partnership_name"],
        themes=tuple(row["themes"].split()),
        date=row["date"],
        score=float(score),
    )


def _facet_values(counts: dict, filters: dict) -> dict[str, list[FacetValue]]:
    """Counted facet values, most first; a chosen value stays on show even at 0, to be unticked."""
    result = {}
    for facet in FACETS:
        chosen = set(filters.get(facet, ()))
        values = dict(counts.get(facet, {}))
        for value in chosen - set(values):
            values[value] = 0
        ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        result[facet] = [
            FacetValue(value=v, label=v, count=n, selected=v in chosen) for v, n in ordered
        ]
    return result


class _Ids(list):
    """A list of ids as one SQL parameter. Hashed by identity: Django hashes an expression's
    parameters several times while compiling a query, which for thousands of ids cost more than
    the query itself."""

    __hash__ = object.__hash__


def _boost_sql(alias: str) -> str:
    whens = " ".join(f"WHEN '{kind}' THEN {boost}" for kind, boost in KIND_BOOST.items())
    return f"(CASE {alias}.kind {whens} ELSE 1.0 END)"


def _contains(phrase: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(phrase[i : i + len(part)] == part for i in range(len(phrase) - len(part) + 1))


def _needed(alternatives: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """The alternatives that can find something the others cannot. A phrase holding a shorter
    alternative ("chronic neglect" beside "neglect") finds nothing more, yet costs a check of
    word positions on every matching row (measured: a tenth of a search for "neglect")."""
    return [
        phrase
        for phrase in alternatives
        if not any(len(other) < len(phrase) and _contains(phrase, other) for other in alternatives)
    ]


def _tsquery_sql(query_plan: Plan) -> tuple[str, list]:
    """The plan as a PostgreSQL tsquery expression: each clause's alternatives OR-ed (a phrase
    as phraseto_tsquery, a word as plainto_tsquery), the clauses AND-ed; words as parameters."""
    clauses, params = [], []
    for clause in query_plan.clauses:
        alternatives = []
        for words in _needed(clause.alternatives):
            function = "phraseto_tsquery" if len(words) > 1 else "plainto_tsquery"
            alternatives.append(f"{function}('english', %s)")
            params.append(" ".join(words))
        clauses.append("(" + " || ".join(alternatives) + ")")
    return " && ".join(clauses), params


# Newest first, then the latest indexed: the same order on every page, so that no hit is shown
# on two pages or none. `{t}` is the table alias the columns are read from.
BY_DATE = "{t}date DESC NULLS LAST, {t}id DESC"
BY_SCORE = "{t}score DESC, " + BY_DATE
# ts_headline's options: the engine's private marks, then escaped and turned into <mark>.
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
# One statement. `matched` reads the entries that match the words and that the reader may see
# (one scan of the GIN index on access tokens and words), with their score and, per chosen
# facet, whether they hold one of its chosen values; the facets are counted from those rows,
# a chosen facet without its own filter (see _search_postgresql); the page's entries are then
# read with their snippets. Each CTE reads `matched` directly: copying it into further
# materialised CTEs cost as much again as the facet counting itself (measured).
SEARCH_SQL = """
WITH {words_cte}
matched AS MATERIALIZED (
    SELECT e.id, e.date, e.facets, {score} AS score{flags}
    FROM hubsearch_searchentry e{words_from}
    WHERE e.generation = (SELECT current FROM hubsearch_indexstate WHERE id = 1)
      AND e.access && %s::varchar(80)[]{words_where}
),
counted AS (
    SELECT value AS facet_value, count(*) AS n
    FROM (SELECT unnest(facets) AS value{flag_columns} FROM matched) AS each_value
    WHERE {count_when}
    GROUP BY value
),
page AS (
    SELECT id, date, score FROM matched WHERE {all_chosen} ORDER BY {order} LIMIT %s OFFSET %s
)
SELECT
    (SELECT count(*) FROM matched WHERE {all_chosen}),
    (SELECT count(*) FROM matched),
    (SELECT coalesce(json_agg(json_build_array(facet_value, n)), '[]'::json) FROM counted),
    (SELECT coalesce(json_agg(json_build_array(
        e.id, page.score, e.key, e.kind, e.title, e.url, e.partnership_name, e.themes, e.date,
        e.body, {snippet}) ORDER BY {page_order}), '[]'::json)
     FROM page JOIN hubsearch_searchentry e ON e.id = page.id{words_from})
"""
PAGE_FIELDS = (
    "pk",
    "score",
    "key",
    "kind",
    "title",
    "url",
    "partnership_name",
    "themes",
    "date",
    "body",
    "snippet",
)


class DatabaseEngine:
    """The `search.types.SearchEngine` over `search.models`, on PostgreSQL or SQLite."""

    @property
    def vendor(self) -> str:
        return connection.vendor

    # Writing

    def index(self, documents: list[SearchDocument]) -> None:
        documents = list(documents)
        if not documents:
            return
        with transaction.atomic():
            # A rebuild in progress gets the change too, so it is not lost when it is swapped in.
            for generation in IndexState.get().live_generations:
                self._write(generation, documents)

    def remove(self, keys: list[str]) -> None:
        keys = list(keys)
        if not keys:
            return
        with transaction.atomic():
            for generation in IndexState.get().live_generations:
                for chunk in _chunks(keys):
                    ids = list(
                        SearchEntry.objects.filter(
                            generation=generation, key__in=chunk
                        ).values_list("pk", flat=True)
                    )
                    self._delete_ids(ids)

    def rebuild(self, documents: Iterable[SearchDocument], progress=None) -> int:
        """Write a new generation beside the current one, then swap it in in one transaction:
        searches read the old generation until the moment the new one is complete."""
        with transaction.atomic():
            state = IndexState.objects.select_for_update().get(pk=IndexState.get().pk)
            new = max(state.current, state.building or 0) + 1
            state.building = new
            state.save(update_fields=["building"])
        self._delete_generation(new)  # left by a rebuild that was stopped, if any
        done = 0
        batch: list[SearchDocument] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= BATCH:
                done += self._write_batch(new, batch, progress, done)
                batch = []
        if batch:
            done += self._write_batch(new, batch, progress, done)
        with transaction.atomic():
            state = IndexState.objects.select_for_update().get(pk=state.pk)
            old = state.current
            state.current, state.building = new, None
            state.save(update_fields=["current", "building"])
        self._delete_generation(old)
        if self.vendor == "postgresql":
            # The old generation is now dead rows in the tables and their GIN index: vacuum them
            # away at once (searches would wade through them until autovacuum came round), with
            # fresh statistics; inside a transaction (a test), where VACUUM cannot run, ANALYZE.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for table in ("searchentry", "searchtoken", "searchfacet"):
                    cursor.execute(f"{command} hubsearch_{table}")
        return done

    def synonyms_changed(self) -> None:
        """The database engine reads the synonyms at query time: forget the cached copy."""
        forget_synonyms()

    def _write_batch(self, generation, batch, progress, done) -> int:
        with transaction.atomic():
            self._write(generation, batch)
        if progress:
            progress(done + len(batch))
        return len(batch)

    def _write(self, generation: int, documents: list[SearchDocument]) -> None:
        by_key = {doc.key: doc for doc in documents}  # the last of a key wins
        for chunk in _chunks(list(by_key.values())):
            stale = SearchEntry.objects.filter(
                generation=generation, key__in=[d.key for d in chunk]
            ).values_list("pk", flat=True)
            self._delete_ids(list(stale))
            entries = SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        generation=generation,
                        key=doc.key,
                        kind=doc.kind,
                        title=doc.title,
                        body=doc.body,
                        tags=doc.tags,
                        url=doc.url,
                        date=doc.date,
                        partnership_id=doc.partnership_id,
                        partnership_name=doc.partnership_name,
                        themes=" ".join(doc.themes),
                    )
                    for doc in chunk
                ]
            )
            SearchToken.objects.bulk_create(
                [
                    SearchToken(entry_id=entry.pk, token=token)
                    for entry, doc in zip(entries, chunk, strict=True)
                    for token in dict.fromkeys(doc.access)
                ]
            )
            SearchFacet.objects.bulk_create(
                [
                    SearchFacet(entry_id=entry.pk, facet=facet, value=value)
                    for entry, doc in zip(entries, chunk, strict=True)
                    for facet, value in _facet_rows(doc)
                ]
            )
            ids = [entry.pk for entry in entries]
            with connection.cursor() as cursor:
                if self.vendor == "postgresql":
                    cursor.execute(
                        "UPDATE hubsearch_searchentry SET search_vector = "
                        "setweight(to_tsvector('english', title), 'A') || "
                        "setweight(to_tsvector('english', tags), 'B') || "
                        "setweight(to_tsvector('english', body), 'C'), "
                        "access = (SELECT array_agg(t.token) FROM hubsearch_searchtoken t "
                        "WHERE t.entry_id = hubsearch_searchentry.id), "
                        "facets = (SELECT array_agg(f.facet || ':' || f.value) "
                        "FROM hubsearch_searchfacet f "
                        "WHERE f.entry_id = hubsearch_searchentry.id) "
                        "WHERE id = ANY(%s)",
                        [ids],
                    )
                elif self.vendor == "sqlite":
                    cursor.executemany(
                        "INSERT INTO hubsearch_fts (rowid, title, tags, body) "
                        "VALUES (%s, %s, %s, %s)",
                        [
                            (entry.pk, doc.title, doc.tags, doc.body)
                            for entry, doc in zip(entries, chunk, strict=True)
                        ],
                    )

    def _delete_ids(self, ids: list[int]) -> None:
        for chunk in _chunks(ids):
            SearchToken.objects.filter(entry_id__in=chunk).delete()
            SearchFacet.objects.filter(entry_id__in=chunk).delete()
            if self.vendor == "sqlite":
                with connection.cursor() as cursor:
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f"DELETE FROM hubsearch_fts WHERE rowid IN ({marks})", chunk)
            SearchEntry.objects.filter(pk__in=chunk).delete()

    def _delete_generation(self, generation: int) -> None:
        with transaction.atomic():
            rows = SearchEntry.objects.filter(generation=generation).values("pk")
            SearchToken.objects.filter(entry_id__in=rows).delete()
            SearchFacet.objects.filter(entry_id__in=rows).delete()
            if self.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM hubsearch_fts WHERE rowid IN "
                        "(SELECT id FROM hubsearch_searchentry WHERE generation = %s)",
                        [generation],
                    )
            SearchEntry.objects.filter(generation=generation).delete()

    # Searching

    def search(self, query: HubQuery) -> SearchResults:
        synonyms = current_synonyms()
        query_plan = plan(query.text, synonyms.groups, synonyms.index)
        if self.vendor == "postgresql":
            return self._search_postgresql(query, query_plan)
        generation = IndexState.get().current
        visible = SearchEntry.objects.filter(generation=generation).filter(
            self._readable_by(query.audience)
        )
        matched = self._matching(visible, query_plan)
        filters = {f: tuple(v) for f, v in query.filters.items() if f in FACETS and v}
        # The matching entries the reader may see, read once; the filters, the facet counts and
        # the page are then computed over these ids, which keeps each query on its indexes
        # (a GROUP BY over a join with the full-text match lets the planner scan every facet).
        matched_ids = list(matched.values_list("pk", flat=True))
        chosen: dict[str, set[int]] = {facet: set() for facet in filters}
        if filters:
            wanted = Q()
            for facet, values in filters.items():
                wanted |= Q(facet=facet, value__in=values)
            rows = SearchFacet.objects.filter(
                wanted, self._ids_in("hubsearch_searchfacet", "entry_id", matched_ids)
            ).values_list("facet", "entry_id")
            for facet, entry_id in rows:
                chosen[facet].add(entry_id)

        def narrowed(leave_out=None) -> list[int]:
            ids = set(matched_ids)
            for facet, allowed in chosen.items():
                if facet != leave_out:
                    ids &= allowed
            return sorted(ids)

        final = narrowed()
        facets = self._facets(final, filters, narrowed)
        total = len(final)
        entries = SearchEntry.objects.filter(self._ids_in("hubsearch_searchentry", "id", final))
        hits = self._hits(entries, query_plan, query) if total else []
        suggestion = ""
        if len(matched_ids) < FEW_RESULTS and not query_plan.empty:
            suggestion = self._suggestion(query.text, generation)
        return SearchResults(
            query=query,
            hits=hits,
            total=total,
            facets=facets,
            expanded_terms=query_plan.expanded_terms,
            suggestion=suggestion,
        )

    def _search_postgresql(self, query: HubQuery, query_plan: Plan) -> SearchResults:
        """One statement, whatever the index holds (SEARCH_SQL): the count, the facet counts and
        the page with its snippets."""
        filters = {f: tuple(v) for f, v in query.filters.items() if f in FACETS and v}
        by_date = query.sort == "date" or query_plan.empty
        params: list = []
        if query_plan.empty:
            words_cte = words_from = words_where = ""
            snippet = "NULL"
        else:
            tsquery, tsquery_params = _tsquery_sql(query_plan)
            words_cte = f"words AS (SELECT {tsquery} AS tsq),"
            params += tsquery_params
            words_from = ", words"
            words_where = " AND e.search_vector @@ words.tsq"
            snippet = "ts_headline('english', e.body, words.tsq, %s)"
        score = "0.0" if by_date else f"ts_rank(e.search_vector, words.tsq) * {_boost_sql('e')}"
        # A flag per chosen facet: does the entry have one of the chosen values?
        names = list(filters)
        flags = "".join(
            f", e.facets && %s::varchar(130)[] AS chosen_{i}" for i in range(len(names))
        )
        params += [[f"{facet}:{value}" for value in filters[facet]] for facet in names]
        params.append(sorted(query.audience))

        def all_chosen(leave_out=None) -> str:
            held = [f"chosen_{i}" for i in range(len(names)) if i != leave_out]
            return " AND ".join(held) or "TRUE"

        # A facet with values chosen is counted without its own filter (choosing "finding"
        # still shows how many briefings there are), every other filter applied.
        count_when = all_chosen()
        if names:
            whens = " ".join(f"WHEN %s THEN {all_chosen(i)}" for i in range(len(names)))
            count_when = f"CASE split_part(value, ':', 1) {whens} ELSE {all_chosen()} END"
            params += names
        order = BY_DATE if by_date else BY_SCORE
        params += [query.per_page, (query.page - 1) * query.per_page]
        if not query_plan.empty:
            params.append(HEADLINE_OPTIONS)
        sql = SEARCH_SQL.format(
            words_cte=words_cte,
            words_from=words_from,
            words_where=words_where,
            score=score,
            flags=flags,
            flag_columns="".join(f", chosen_{i}" for i in range(len(names))),
            count_when=count_when,
            all_chosen=all_chosen(),
            order=order.format(t=""),
            page_order=order.format(t="page."),
            snippet=snippet,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            total, matched, facet_rows, page = cursor.fetchone()
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for facet_value, n in facet_rows:
            facet, _, value = facet_value.partition(":")
            counts[facet][value] = n
        hits = []
        for values in page:
            row = dict(zip(PAGE_FIELDS, values, strict=True))
            row["date"] = datetime.date.fromisoformat(row["date"]) if row["date"] else None
            hits.append(_hit(row, row["score"]))
        suggestion = ""
        if matched < FEW_RESULTS and not query_plan.empty:
            suggestion = self._suggestion(query.text, IndexState.get().current)
        return SearchResults(
            query=query,
            hits=hits,
            total=total,
            facets=_facet_values(counts, filters),
            expanded_terms=query_plan.expanded_terms,
            suggestion=suggestion,
        )

    def _matching(self, visible: QuerySet, query_plan: Plan) -> QuerySet:
        if query_plan.empty:
            return visible
        return visible.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM hubsearch_fts WHERE hubsearch_fts MATCH %s",
                [fts5_match(query_plan)],
            )
        )

    def _readable_by(self, audience):
        """Entries sharing a token with the reader (SQLite): a semi-join on the token table.
        PostgreSQL reads the `access` array instead, in the GIN index with the words."""
        return Q(pk__in=SearchToken.objects.filter(token__in=sorted(audience)).values("entry_id"))

    def _ids_in(self, table: str, column: str, ids: list[int]):
        """`column IN ids` as one parameter, however many ids: an array on PostgreSQL, a JSON
        list on SQLite (whose statements take a limited number of parameters)."""
        if self.vendor == "postgresql":
            return RawSQL(
                f'"{table}"."{column}" = ANY(%s)', [_Ids(ids)], output_field=BooleanField()
            )
        return RawSQL(
            f'"{table}"."{column}" IN (SELECT value FROM json_each(%s))',
            [json.dumps(ids)],
            output_field=BooleanField(),
        )

    def _facets(self, final: list[int], filters: dict, narrowed) -> dict[str, list[FacetValue]]:
        """Counts per facet value over the matching entries the reader may see. A facet with
        values chosen is counted without its own filter (choosing "finding" still shows how many
        briefings there are), every other filter applied."""
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        plain = [f for f in FACETS if f not in filters]
        # One query: a GROUP BY per id set, put together with UNION ALL.
        queries = [(final, plain)] + [(narrowed(leave_out=f), [f]) for f in filters]
        grouped = [
            SearchFacet.objects.filter(
                self._ids_in("hubsearch_searchfacet", "entry_id", ids), facet__in=facet_names
            )
            .values_list("facet", "value")
            .annotate(n=Count("pk"))
            .order_by()
            for ids, facet_names in queries
            if ids
        ]
        if grouped:
            rows = grouped[0].union(*grouped[1:], all=True) if len(grouped) > 1 else grouped[0]
            for facet, value, n in rows:
                counts[facet][value] = n
        return _facet_values(counts, filters)

    def _hits(self, filtered: QuerySet, query_plan: Plan, query: HubQuery) -> list[Hit]:
        start = (query.page - 1) * query.per_page
        end = start + query.per_page
        by_date = query.sort == "date" or query_plan.empty
        fields = HIT_FIELDS
        scores: dict[int, float] = {}
        snippets: dict[int, str] = {}
        if by_date:
            rows = list(
                filtered.order_by(F("date").desc(nulls_last=True), "-pk").values(*fields)[start:end]
            )
        else:
            ids_sql, ids_params = filtered.values("pk").query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT hubsearch_fts.rowid, {BM25} * {_boost_sql('boosted')} AS score, "
                    f"snippet(hubsearch_fts, 2, %s, %s, '…', {SNIPPET_WORDS}) "
                    "FROM hubsearch_fts JOIN hubsearch_searchentry AS boosted "
                    "ON boosted.id = hubsearch_fts.rowid "
                    f"WHERE hubsearch_fts MATCH %s AND hubsearch_fts.rowid IN ({ids_sql}) "
                    "ORDER BY score, hubsearch_fts.rowid DESC LIMIT %s OFFSET %s",
                    [START, STOP, fts5_match(query_plan), *ids_params, query.per_page, start],
                )
                ranked = cursor.fetchall()
            scores = {pk: -score for pk, score, _ in ranked}
            snippets = {pk: snippet for pk, _, snippet in ranked}
            loaded = {
                row["pk"]: row for row in SearchEntry.objects.filter(pk__in=scores).values(*fields)
            }
            rows = [loaded[pk] for pk, _, _ in ranked if pk in loaded]

        if not query_plan.empty and not snippets:
            snippets = self._snippets([row["pk"] for row in rows], query_plan)
        return [
            _hit({**row, "snippet": snippets.get(row["pk"], "")}, scores.get(row["pk"], 0.0))
            for row in rows
        ]

    def _snippets(self, ids: list[int], query_plan: Plan) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet(hubsearch_fts, 2, %s, %s, '…', {SNIPPET_WORDS}) "
                f"FROM hubsearch_fts WHERE hubsearch_fts MATCH %s AND rowid IN ({marks})",
                [START, STOP, fts5_match(query_plan), *ids],
            )
            return dict(cursor.fetchall())

    # Did you mean

    def _vocabulary(self, generation: int) -> list[str]:
        """Words a suggestion may use: the theme taxonomy's, and the words of public titles
        (never a restricted record's: a suggestion must not hint at what the reader cannot
        see)."""
        key = f"search:vocabulary:{generation}"
        words = cache.get(key)
        if words is None:
            found: set[str] = set()
            for group in cached_synonym_groups():
                for phrase in group.phrases:
                    found.update(words_of(phrase))
            public = SearchEntry.objects.filter(
                generation=generation,
                pk__in=SearchToken.objects.filter(token=EVERYONE_TOKEN).values("entry_id"),
            ).values_list("title", flat=True)
            for title in public.iterator(chunk_size=2000):
                found.update(w for w in words_of(title) if len(w) > 3 and not w.isdigit())
            words = sorted(found)
            cache.set(key, words, 600)
        return words

    def _suggestion(self, text: str, generation: int) -> str:
        vocabulary = self._vocabulary(generation)
        known = set(vocabulary)
        changed = False
        out = []
        for word in re.findall(r"\w+|\W+", text):
            folded = word.casefold()
            if folded.isalpha() and len(folded) > 3 and folded not in known:
                close = difflib.get_close_matches(folded, vocabulary, n=1, cutoff=0.75)
                if close:
                    out.append(close[0])
                    changed = True
                    continue
            out.append(word)
        return "".join(out).strip() if changed else ""
