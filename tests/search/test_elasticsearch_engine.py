"""The Elasticsearch engine without a cluster: the index definition, the request it sends, and
what it makes of the answers, through the real client over an in-memory node (fake_es). What
only a cluster can show (analysis, ranking, synonyms at work) is in test_elasticsearch_live.py."""

import datetime
import json

import pytest

from search.engines.elasticsearch import ElasticsearchEngine, build_search, to_source
from search.es_analysis import (
    INDEXED_FIELDS,
    STOP_WORDS,
    build_index,
    synonym_rules,
    synonyms_set,
)
from search.synonyms import SynonymGroup, synonym_groups
from search.types import FACETS, KIND_BOOST, SearchDocument, SearchQuery

from .fake_es import FakeCluster

CSE = SynonymGroup("cse", ("child sexual exploitation", "cse", "sexual exploitation", "grooming"))
TRIO = SynonymGroup("trilogy-of-risk", ("trilogy of risk", "toxic trio", "trio of risk"))

PUBLIC_READER = frozenset({"public"})


def document(n: int, **overrides) -> SearchDocument:
    fields = dict(
        key=f"finding:{n}",
        kind="finding",
        title=f"Finding {n}",
        body="Agencies did not share what they knew.",
        url=f"/reviews/findings/{n}/",
        partnership_id=1,
        partnership_name="Wirral",
        date=datetime.date(2024, 3, n % 28 + 1),
        themes=("information-sharing",),
        agencies=("police",),
        review_type="rapid_review",
        level_of_need=3,
        access=("public",),
        tags="Information sharing communication between agencies",
    )
    return SearchDocument(**(fields | overrides))


def engine_on(cluster: FakeCluster, groups=(CSE, TRIO)) -> ElasticsearchEngine:
    return ElasticsearchEngine(
        index_prefix="hub", client=cluster.client(), groups=lambda: list(groups)
    )


# The index definition


SYNONYMS_SET = "hub-search-synonyms"


def index_definition() -> dict:
    return build_index("hub-search-1", SYNONYMS_SET).to_dict()


# Written out, so that a field added to the index is a decision this test records.
SHAREABLE_FIELDS = {
    "key",
    "kind",
    "title",
    "tags",
    "body",
    "url",
    "date",
    "partnership_id",
    "partnership_name",
    "themes",
    "agencies",
    "review_type",
    "level_of_need",
    "year",
    "access",
}


def test_mapping_holds_exactly_the_shareable_fields_and_refuses_others():
    mappings = index_definition()["mappings"]
    assert set(mappings["properties"]) == INDEXED_FIELDS == SHAREABLE_FIELDS
    # A field nobody declared (a confidential one passed by mistake) is refused, not indexed.
    assert mappings["dynamic"] == "strict"
    for confidential in (
        "confidential_details",
        "subject_name",
        "pseudonym",
        "date_of_birth",
        "address",
    ):
        assert confidential not in mappings["properties"]


def test_documents_carry_only_the_mapped_fields():
    assert set(to_source(document(1))) == INDEXED_FIELDS
    assert to_source(document(1))["year"] == 2024
    # The theme words travel as the text the sources made of them, nothing more.
    assert to_source(document(1))["tags"] == "Information sharing communication between agencies"


def test_field_types():
    properties = index_definition()["mappings"]["properties"]
    for name in ("key", "kind", "partnership_name", "themes", "agencies", "review_type", "access"):
        assert properties[name]["type"] == "keyword", name
    for name in ("partnership_id", "level_of_need", "year"):
        assert properties[name]["type"] == "integer", name
    assert properties["date"]["type"] == "date"
    assert properties["url"] == {"type": "keyword", "index": False, "doc_values": False}
    for name in ("title", "tags", "body"):
        assert properties[name]["type"] == "text"
        assert properties[name]["analyzer"] == "hub_english"
        assert properties[name]["search_analyzer"] == "hub_english_search"
        assert properties[name]["fields"]["plain"]["analyzer"] == "hub_plain"


def test_english_analysis_with_synonyms_only_at_search_time():
    analysis = index_definition()["settings"]["analysis"]
    filters = analysis["filter"]
    index_chain = analysis["analyzer"]["hub_english"]["filter"]
    search_chain = analysis["analyzer"]["hub_english_search"]["filter"]
    assert filters["hub_english_stemmer"] == {"type": "stemmer", "language": "english"}
    assert filters["hub_english_possessive"]["language"] == "possessive_english"
    assert filters["hub_english_stop"]["type"] == "stop"
    assert index_chain == [
        "hub_english_possessive",
        "lowercase",
        "hub_english_stop",
        "hub_english_stemmer",
    ]
    # The same chain with the synonyms after the stop words (never before: see es_analysis).
    assert search_chain == [
        "hub_english_possessive",
        "lowercase",
        "hub_english_stop",
        "hub_synonyms",
        "hub_english_stemmer",
    ]
    assert "hub_synonyms" not in index_chain


def test_synonyms_come_from_the_clusters_synonyms_set_and_reload_on_a_live_index():
    # Rules read from a synonyms set (PUT _synonyms/<set>), reloadable (updateable, hence
    # search time only), never written inline: inline rules change only by closing the index.
    synonyms = index_definition()["settings"]["analysis"]["filter"]["hub_synonyms"]
    assert synonyms == {
        "type": "synonym_graph",
        "synonyms_set": SYNONYMS_SET,
        "updateable": True,
        "lenient": True,
    }


def test_stop_words_keep_negation():
    assert "not" not in STOP_WORDS and "no" not in STOP_WORDS
    assert {"the", "of", "and", "a"} <= set(STOP_WORDS)


def test_synonym_rules_come_from_the_theme_taxonomy(db):
    rules = {rule["id"]: rule["synonyms"] for rule in synonyms_set(synonym_groups())}
    assert rules["cse"] == "child sexual exploitation, cse, sexual exploitation, grooming"
    assert rules["trilogy-of-risk"] == "trilogy risk, toxic trio, trio risk"
    assert len(rules) == len(synonym_groups())


def test_synonym_rules_are_words_only():
    groups = [
        SynonymGroup("race", ("race, ethnicity, culture and faith", "adultification")),
        SynonymGroup("voice", ("voice of the child", "child’s voice", "child's voice")),
        SynonymGroup("odd", ("a => b", "the")),
    ]
    assert synonym_rules(groups) == [
        # Commas and "=>" would be rule syntax; stop words are gone as the analyser drops them.
        "race ethnicity culture faith, adultification",
        "voice child, child's voice",
    ]


# The request


def body(text="grooming", **kwargs) -> dict:
    return build_search(
        SearchQuery(text, kwargs.pop("audience", PUBLIC_READER), **kwargs)
    ).to_dict()


def _multi_match(sent: dict) -> dict:
    return sent["query"]["bool"]["must"][0]["function_score"]["query"]["multi_match"]


def test_access_is_a_filter_inside_the_query():
    sent = body(audience=frozenset({"public", "partnership:2", "user:7"}))
    assert sent["query"]["bool"]["filter"] == [
        {"terms": {"access": ["partnership:2", "public", "user:7"]}}
    ]
    multi_match = _multi_match(sent)
    assert multi_match["query"] == "grooming"
    assert multi_match["analyzer"] == "hub_english_search"
    assert multi_match["operator"] == "and"
    # Facets are aggregations over the query, so the access filter binds them too; no facet
    # is computed from a global aggregation that would escape it.
    assert "global" not in str(sent["aggs"])


@pytest.mark.parametrize("text", ["grooming", ""])
def test_the_access_filter_is_never_a_post_filter(text):
    """A post_filter narrows the hits only: facet counts and the suggestion's check would still
    see every record. Access must therefore be in the query, and only facet filters after it."""
    reader = frozenset({"partnership:2"})
    sent = body(text, audience=reader, filters={"kind": ("finding",)})
    assert sent["query"]["bool"]["filter"] == [{"terms": {"access": ["partnership:2"]}}]
    assert "access" not in str(sent["post_filter"])
    # Facet choices never narrow the query itself, or the other facets' counts would shrink.
    assert "kind" not in str(sent["query"]["bool"]["filter"])


def test_title_then_theme_words_then_body():
    # The database engine's weights: title A, theme words (tags) B, body C.
    assert _multi_match(body())["fields"] == ["title^3", "tags^2", "body"]


def test_relevance_is_boosted_by_kind_as_the_database_engine_does():
    function_score = body()["query"]["bool"]["must"][0]["function_score"]
    assert function_score["boost_mode"] == "multiply"
    assert function_score["score_mode"] == "first"
    weights = {f["filter"]["term"]["kind"]: f["weight"] for f in function_score["functions"]}
    assert weights == KIND_BOOST
    assert weights["briefing"] > weights["finding"] > weights["action"]


def test_the_did_you_mean_check_is_bound_by_access():
    suggest = body("grooming", audience=frozenset({"partnership:2"}))["suggest"]["did_you_mean"]
    collate = suggest["phrase"]["collate"]
    check = json.loads(collate["query"]["source"])["bool"]
    assert check["filter"] == [{"terms": {"access": ["partnership:2"]}}]
    assert check["must"][0]["multi_match"]["query"] == "{{suggestion}}"
    assert collate["prune"] is False
    # Suggestions are made of words in the searchable text only, read unstemmed.
    generators = {g["field"] for g in suggest["phrase"]["direct_generator"]}
    assert generators == {"title.plain", "tags.plain", "body.plain"}


def test_did_you_mean_is_judged_on_what_the_words_found_before_facet_filters():
    sent = body("neglekt", filters={"kind": ("finding",)})
    assert sent["aggs"]["matched"] == {"filter": {"match_all": {}}}


def test_no_text_lists_everything_visible_newest_first():
    sent = body("  ")
    assert sent["query"]["bool"]["must"] == [{"match_all": {}}]
    assert "highlight" not in sent and "suggest" not in sent
    # No words, no relevance: newest first whatever the sort asked, as the database engine.
    assert sent["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}


def test_facet_filters_narrow_hits_and_each_facet_counts_with_the_others():
    sent = body(filters={"theme": ("cse", "neglect"), "year": ("2024",), "agency": ()})
    assert sent["post_filter"] == {
        "bool": {
            "filter": [
                {"terms": {"themes": ["cse", "neglect"]}},
                {"terms": {"year": [2024]}},
            ]
        }
    }
    assert list(sent["aggs"]) == [*FACETS, "matched"]
    theme = sent["aggs"]["theme"]
    assert theme["filter"] == {"bool": {"filter": [{"terms": {"year": [2024]}}]}}
    assert theme["aggs"]["values"]["terms"]["field"] == "themes"
    kind = sent["aggs"]["kind"]["filter"]["bool"]["filter"]
    assert {"terms": {"themes": ["cse", "neglect"]}} in kind
    assert {"terms": {"year": [2024]}} in kind
    partnership = sent["aggs"]["partnership"]["aggs"]["values"]
    assert partnership["terms"]["field"] == "partnership_id"
    assert partnership["aggs"]["name"]["terms"]["field"] == "partnership_name"


def test_a_filter_value_that_cannot_exist_matches_nothing_rather_than_failing():
    sent = body(filters={"year": ("last year",), "bogus": ("x",)})
    assert sent["post_filter"] == {"bool": {"filter": [{"terms": {"year": []}}]}}


def test_highlighting_marks_and_escapes():
    highlight = body()["highlight"]
    assert highlight["pre_tags"] == ["<mark>"] and highlight["post_tags"] == ["</mark>"]
    assert highlight["encoder"] == "html"


def test_only_the_body_is_highlighted_and_only_shown_fields_come_back():
    sent = body(audience=frozenset({"public", "user:7"}))
    # Snippets are a passage of the body: never the theme words, the access tokens or a
    # subfield, and no highlight query of its own that could reach past the access filter.
    assert set(sent["highlight"]["fields"]) == {"body"}
    assert "highlight_query" not in str(sent["highlight"])
    returned = set(sent["_source"])
    assert returned == {"key", "kind", "title", "body", "url", "partnership_name", "themes", "date"}
    assert not returned & {"access", "tags"}


def test_sort_and_pages():
    relevance = body(page=3, per_page=10)
    assert relevance["sort"][0] == "_score"
    assert (relevance["from"], relevance["size"]) == (20, 10)
    assert relevance["track_total_hits"] is True
    by_date = body(sort="date")
    assert by_date["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert (by_date["from"], by_date["size"]) == (0, 20)
    # Ties keep one order from page to page.
    assert relevance["sort"][-1] == by_date["sort"][-1] == "key"
    # Past Elasticsearch's result window the last reachable page is asked for, not an error.
    far = body(page=10_000, per_page=20)
    assert far["from"] + far["size"] <= 10_000


# The engine over the fake node


def canned_search(hits, aggregations=None, total=None, suggest=None) -> dict:
    response = {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": len(hits) if total is None else total}, "hits": hits},
        "aggregations": aggregations or {},
    }
    if suggest:
        response["suggest"] = suggest
    return response


def raw_hit(n, highlight=None, body="Agencies did not share what they knew.", score=2.5):
    source = to_source(document(n, body=body))
    hit = {"_index": "hub-search-1", "_id": source["key"], "_score": score, "_source": source}
    if highlight is not None:
        hit["highlight"] = highlight
    return hit


def test_a_response_becomes_results(db):
    cluster = FakeCluster()
    cluster.indices["hub-search-1"] = {"body": {}, "docs": {}}
    cluster.aliases["hub-search"] = {"hub-search-1"}
    cluster.search_response = canned_search(
        [
            raw_hit(1, {"body": ["A boy was at risk of <mark>grooming</mark> &amp; exploitation"]}),
            raw_hit(2, body="Mum said <b>no</b> & left. " + "More words here. " * 30),
            raw_hit(3, {"body": ["<script>alert(1)</script> <mark>grooming</mark>"]}),
        ],
        total=42,
        aggregations={
            "theme": {
                "doc_count": 42,
                "values": {
                    "buckets": [
                        {"key": "cse", "doc_count": 30},
                        {"key": "online-harm", "doc_count": 12},
                    ]
                },
            },
            "partnership": {
                "doc_count": 42,
                "values": {
                    "buckets": [
                        {
                            "key": 1,
                            "doc_count": 42,
                            "name": {"buckets": [{"key": "Wirral", "doc_count": 42}]},
                        }
                    ]
                },
            },
            "level_of_need": {
                "doc_count": 42,
                "values": {"buckets": [{"key": 3, "doc_count": 42}]},
            },
            "kind": {"doc_count": 42, "values": {"buckets": [{"key": "finding", "doc_count": 42}]}},
        },
    )
    query = SearchQuery("grooming", PUBLIC_READER, filters={"theme": ("cse", "neglect")})
    results = engine_on(cluster).search(query)

    assert cluster.requests[-1].path == "/hub-search/_search"
    assert results.total == 42 and results.pages == 3
    assert [h.key for h in results.hits] == ["finding:1", "finding:2", "finding:3"]
    first, second, third = results.hits
    assert first.snippet == "A boy was at risk of <mark>grooming</mark> &amp; exploitation"
    assert (first.title, first.url, first.partnership_name) == (
        "Finding 1",
        "/reviews/findings/1/",
        "Wirral",
    )
    assert first.themes == ("information-sharing",) and first.score == 2.5
    assert first.date == datetime.date(2024, 3, 2)
    # No highlight: the start of the body, escaped, cut at a word.
    assert second.snippet.startswith("Mum said &lt;b&gt;no&lt;/b&gt; &amp; left.")
    assert second.snippet.endswith("…") and len(second.snippet) < 260
    # Markup the encoder should have escaped is never passed on.
    assert "<script>" not in third.snippet and "&lt;script&gt;" in third.snippet

    themes = {v.value: v for v in results.facets["theme"]}
    assert (themes["cse"].label, themes["cse"].count, themes["cse"].selected) == (
        "Child sexual exploitation",
        30,
        True,
    )
    assert themes["online-harm"].selected is False
    # A chosen value with no results left still shows, to be taken off.
    assert (themes["neglect"].count, themes["neglect"].selected) == (0, True)
    assert [(v.value, v.label) for v in results.facets["partnership"]] == [("1", "Wirral")]
    assert results.facets["level_of_need"][0].label == "Level 3: complex needs (child in need)"
    assert results.facets["kind"][0].label == "Finding"
    assert set(results.facets) == set(FACETS)
    assert results.expanded_terms == ("child sexual exploitation", "cse", "sexual exploitation")


def test_did_you_mean_comes_from_the_checked_suggestion(db):
    cluster = FakeCluster()
    cluster.indices["hub-search"] = {"body": {}, "docs": {}}
    cluster.search_response = canned_search(
        [],
        suggest={
            "did_you_mean": [
                {
                    "text": "neglekt",
                    "offset": 0,
                    "length": 7,
                    "options": [
                        {"text": "neglect", "score": 0.5, "collate_match": True},
                    ],
                }
            ]
        },
    )
    results = engine_on(cluster).search(SearchQuery("neglekt", PUBLIC_READER))
    assert results.total == 0 and results.suggestion == "neglect"


def test_no_index_yet_answers_empty(db):
    query = SearchQuery("neglect", PUBLIC_READER, filters={"kind": ("finding",)})
    results = engine_on(FakeCluster()).search(query)
    assert results.total == 0 and results.hits == []
    # A chosen value still shows, to be taken off, as the database engine shows it.
    chosen = [(v.value, v.count, v.selected) for v in results.facets["kind"]]
    assert chosen == [("finding", 0, True)]


def test_a_reader_without_tokens_sees_nothing_and_the_cluster_is_not_asked():
    cluster = FakeCluster()
    results = engine_on(cluster).search(SearchQuery("neglect", frozenset()))
    assert results.total == 0 and cluster.requests == []


def test_index_creates_the_index_behind_the_alias_then_bulk_writes():
    cluster = FakeCluster()
    engine = engine_on(cluster)
    engine.index([document(1), document(2)])
    engine.index([document(2, title="Finding 2, revised")])
    (concrete,) = cluster.aliases["hub-search"]
    assert concrete.startswith("hub-search-")
    docs = cluster.indices[concrete]["docs"]
    assert sorted(docs) == ["finding:1", "finding:2"]
    assert docs["finding:2"]["title"] == "Finding 2, revised"
    assert [w for w in cluster.writes()] == [
        # The synonyms set first: an index naming a set that does not exist is left unusable.
        ("PUT", "/_synonyms/hub-search-synonyms"),
        ("PUT", f"/{concrete}"),
        ("PUT", "/_bulk"),
        ("PUT", "/_bulk"),
    ]
    created = cluster.indices[concrete]["body"]
    assert created["aliases"] == {"hub-search": {"is_write_index": True}}
    assert cluster.synonyms_sets_used(created) == ["hub-search-synonyms"]
    assert cluster.synonyms["hub-search-synonyms"] == synonyms_set([CSE, TRIO])


def test_remove_ignores_what_is_not_there():
    cluster = FakeCluster()
    engine = engine_on(cluster)
    engine.remove(["finding:1"])  # no index at all
    engine.index([document(1), document(2)])
    engine.remove(["finding:1", "finding:99"])
    (concrete,) = cluster.aliases["hub-search"]
    assert list(cluster.indices[concrete]["docs"]) == ["finding:2"]


def test_rebuild_fills_a_new_index_then_swaps_the_alias_in_one_call():
    cluster = FakeCluster()
    engine = engine_on(cluster)
    engine.index([document(1)])
    (old,) = cluster.aliases["hub-search"]
    cluster.requests.clear()
    seen = []

    done = engine.rebuild((document(n) for n in range(1, 1202)), progress=seen.append)

    assert done == 1201 and seen == [500, 1000, 1201]
    (new,) = cluster.aliases["hub-search"]
    assert new != old and new.startswith("hub-search-") and old not in cluster.indices
    assert len(cluster.indices[new]["docs"]) == 1201
    writes = cluster.writes()
    assert writes == [
        # The taxonomy as it is now, before the index that reads it.
        ("PUT", "/_synonyms/hub-search-synonyms"),
        ("PUT", f"/{new}"),
        ("PUT", "/_bulk"),
        ("PUT", "/_bulk"),
        ("PUT", "/_bulk"),
        ("PUT", f"/{new}/_settings"),
        ("POST", f"/{new}/_refresh"),
        ("POST", "/_aliases"),
        ("DELETE", f"/{old}"),
    ]
    # The bulk load runs without refreshes or replicas, which come back before the swap.
    created = cluster.indices[new]["body"]["settings"]
    assert created["refresh_interval"] == "-1" and created["number_of_replicas"] == 0
    (swap,) = [r for r in cluster.requests if r.path == "/_aliases"]
    assert swap.body["actions"] == [
        {"remove": {"index": old, "alias": "hub-search"}},
        {"add": {"index": new, "alias": "hub-search", "is_write_index": True}},
    ]


def test_first_rebuild_without_an_alias():
    cluster = FakeCluster()
    assert engine_on(cluster).rebuild([document(1)]) == 1
    (new,) = cluster.aliases["hub-search"]
    (swap,) = [r for r in cluster.requests if r.path == "/_aliases"]
    assert swap.body["actions"] == [
        {"add": {"index": new, "alias": "hub-search", "is_write_index": True}}
    ]
    assert not any(r.method == "DELETE" for r in cluster.requests)


def test_rebuild_replaces_a_concrete_index_named_like_the_alias():
    cluster = FakeCluster()
    cluster.indices["hub-search"] = {"body": {}, "docs": {"finding:9": {}}}
    engine_on(cluster).rebuild([document(1)])
    (new,) = cluster.aliases["hub-search"]
    (swap,) = [r for r in cluster.requests if r.path == "/_aliases"]
    assert swap.body["actions"] == [
        {"remove_index": {"index": "hub-search"}},
        {"add": {"index": new, "alias": "hub-search", "is_write_index": True}},
    ]
    assert sorted(cluster.indices) == [new]


def test_a_failed_rebuild_leaves_the_live_index_alone():
    cluster = FakeCluster()
    engine = engine_on(cluster)
    engine.index([document(1)])
    (old,) = cluster.aliases["hub-search"]

    def documents():
        yield document(2)
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild(documents())
    assert cluster.aliases["hub-search"] == {old}
    assert sorted(cluster.indices) == [old]


# Synonyms on a live index


def test_a_synonyms_change_reaches_the_live_index_without_a_rebuild():
    groups = [CSE]
    cluster = FakeCluster()
    engine = ElasticsearchEngine(index_prefix="hub", client=cluster.client(), groups=lambda: groups)
    engine.index([document(1)])
    (live,) = cluster.aliases["hub-search"]
    cluster.requests.clear()

    groups.append(TRIO)
    engine.synonyms_changed()

    # One request replaces the whole set (a theme's rule that went, goes); the cluster reloads
    # the search analyser of the index that reads it. Nothing is created, closed or reindexed.
    (put,) = cluster.requests
    assert (put.method, put.path) == ("PUT", "/_synonyms/hub-search-synonyms")
    assert put.body == {
        "synonyms_set": [
            {
                "id": "cse",
                "synonyms": "child sexual exploitation, cse, sexual exploitation, grooming",
            },
            {"id": "trilogy-of-risk", "synonyms": "trilogy risk, toxic trio, trio risk"},
        ]
    }
    assert "append" not in put.params
    assert cluster.indices_using("hub-search-synonyms") == [live]
    assert cluster.aliases["hub-search"] == {live}
    assert len(cluster.indices[live]["docs"]) == 1

    groups.clear()
    engine.synonyms_changed()
    assert cluster.synonyms["hub-search-synonyms"] == []


def test_a_rebuild_writes_the_synonyms_before_the_index_that_reads_them():
    cluster = FakeCluster()
    engine_on(cluster).rebuild([document(1)])
    (new,) = cluster.aliases["hub-search"]
    paths = [path for _method, path in cluster.writes()]
    assert paths.index("/_synonyms/hub-search-synonyms") < paths.index(f"/{new}")


def test_delete_all_drops_the_synonyms_set_after_the_indices_using_it():
    cluster = FakeCluster()
    engine = engine_on(cluster)
    engine.index([document(1)])
    engine.delete_all()
    assert cluster.indices == {} and cluster.synonyms == {}
    engine.delete_all()  # nothing left: still fine


def test_a_theme_saved_or_deleted_replaces_the_synonyms_set(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The signal and task path the database engine's `synonyms_changed` takes, here with the
    Elasticsearch engine: the taxonomy as saved reaches the cluster's set."""
    from partnership.models import Theme
    from search import engines

    cluster = FakeCluster()
    engine = ElasticsearchEngine(index_prefix="hub", client=cluster.client())
    monkeypatch.setattr(engines, "get_engine", lambda: engine)
    theme = Theme.objects.get(slug="trilogy-of-risk")
    with django_capture_on_commit_callbacks(execute=True):
        theme.synonyms = theme.synonyms + ";triple jeopardy"
        theme.save()
    rules = {rule["id"]: rule["synonyms"] for rule in cluster.synonyms["hub-search-synonyms"]}
    assert rules["trilogy-of-risk"].endswith(", triple jeopardy")

    with django_capture_on_commit_callbacks(execute=True):
        theme.delete()
    rules = {rule["id"] for rule in cluster.synonyms["hub-search-synonyms"]}
    assert "trilogy-of-risk" not in rules and "cse" in rules


def test_suggestion_only_when_the_words_found_little(db):
    cluster = FakeCluster()
    cluster.indices["hub-search"] = {"body": {}, "docs": {}}
    suggest = {
        "did_you_mean": [
            {
                "text": "neglekt",
                "offset": 0,
                "length": 7,
                "options": [{"text": "neglect", "score": 0.5, "collate_match": True}],
            }
        ]
    }
    query = SearchQuery("neglekt", PUBLIC_READER, filters={"kind": ("action",)})
    # A filter left nothing, but the words found plenty: no better spelling to offer.
    cluster.search_response = canned_search(
        [], aggregations={"matched": {"doc_count": 12}}, suggest=suggest
    )
    assert engine_on(cluster).search(query).suggestion == ""
    cluster.search_response = canned_search(
        [], aggregations={"matched": {"doc_count": 1}}, suggest=suggest
    )
    assert engine_on(cluster).search(query).suggestion == "neglect"
