"""What every engine must do, tested once and run for each engine in ENGINES (conftest): synonyms,
stemming, access inside the query (hits, snippets and facet counts), filters and facets, order,
pages, highlighting, "did you mean", updates, and a rebuild that never shows an empty index."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser

from search import service, sources

from .conftest import rebuild
from .corpus import build


@pytest.fixture
def corpus(world, engine):
    made = build(world)
    rebuild(engine)
    return made


def keys(results):
    return {hit.key for hit in results.hits}


def _all_text(results) -> str:
    parts = [h.title + " " + h.snippet for h in results.hits]
    parts += [f"{f}={v.value}:{v.count}" for f, values in results.facets.items() for v in values]
    return " ".join(parts).casefold()


def test_abbreviation_name_and_synonym_find_the_same_lessons(corpus, people):
    found = [
        keys(service.search(people["practitioner"], text))
        for text in ("CSE", "child sexual exploitation", "grooming")
    ]
    assert found[0] == found[1] == found[2]
    assert {corpus.key("cse"), corpus.key("grooming")} <= found[0]


def test_the_hint_names_what_else_was_searched_for(corpus, people):
    results = service.search(people["practitioner"], "CSE")
    assert "grooming" in results.expanded_terms
    assert "child sexual exploitation" in results.expanded_terms


def test_toxic_trio_finds_the_trilogy_of_risk(corpus, people):
    results = service.search(people["practitioner"], "toxic trio")
    assert corpus.key("trilogy") in keys(results)


def test_stemming_finds_neglected_for_neglect_and_back(corpus, people):
    assert corpus.key("neglect") in keys(service.search(people["practitioner"], "neglect"))
    neglected = keys(service.search(people["practitioner"], "neglected"))
    assert {corpus.key("briefing"), corpus.key("child_a")} <= neglected


def test_a_practitioner_never_sees_a_restricted_finding(corpus, people):
    practitioner = people["practitioner"]
    assert service.search(practitioner, "Zebedee").total == 0
    results = service.search(practitioner, "grooming")
    assert corpus.key("restricted") not in keys(results)
    assert "zebedee" not in _all_text(results)
    # The counts are over what the practitioner may see: two CSE findings and a recommendation,
    # not the restricted third finding.
    cse = {v.value: v.count for v in results.facets["theme"]}["cse"]
    assert cse == results.total == len(results.hits) == 3
    assert sum(v.count for v in results.facets["kind"]) == results.total


def test_the_panel_sees_its_restricted_finding(corpus, people):
    results = service.search(people["reviewer"], "Zebedee")
    assert keys(results) == {corpus.key("restricted")}
    assert "<mark>Zebedee</mark>" in results.hits[0].snippet


def test_restricted_actions_only_for_their_agency_leads_and_overseers(corpus, people):
    text = "neglect toolkit"
    assert corpus.key("action") in keys(service.search(people["agencylead"], text))
    assert corpus.key("action") in keys(service.search(people["qa"], text))
    assert corpus.key("action") not in keys(service.search(people["practitioner"], text))
    assert corpus.key("action") not in keys(service.search(people["healthlead"], text))


def test_a_finding_of_a_review_in_draft_is_never_indexed(corpus, people):
    results = service.search(people["admin"], "draft finding")
    assert corpus.key("draft") not in keys(results)


def test_anonymous_visitors_see_public_records_only(corpus):
    results = service.search(AnonymousUser(), "neglect")
    assert keys(results) == {corpus.key("neglect"), corpus.key("child_a")}


def test_a_partnership_token_reads_as_its_plainest_member(corpus, world):
    liverpool = world.partnerships["Liverpool"]
    assert corpus.key("cse") in keys(service.search(liverpool, "exploitation"))
    # Wirral's partnership-level finding is Wirral's alone.
    assert corpus.key("trilogy") not in keys(service.search(liverpool, "trilogy of risk"))
    wirral = world.partnerships["Wirral"]
    assert corpus.key("trilogy") in keys(service.search(wirral, "trilogy of risk"))


def test_filters_narrow_and_facets_count_without_their_own_filter(corpus, people):
    manager = people["manager"]
    everything = service.search(manager, "neglect")
    findings = service.search(manager, "neglect", {"kind": ["finding"]})
    assert findings.total == len([h for h in everything.hits if h.kind == "finding"])
    assert all(hit.kind == "finding" for hit in findings.hits)
    # Choosing "finding" still shows how many briefings there are, to add them back.
    kinds = {v.value: (v.count, v.selected) for v in findings.facets["kind"]}
    assert kinds["finding"] == (findings.total, True)
    assert kinds["briefing"] == (1, False)
    # Facet values carry names, not codes.
    labels = {v.value: v.label for v in findings.facets["theme"]}
    assert labels["neglect"] == "Neglect"


def test_filters_by_theme_agency_review_type_partnership_year_and_level(corpus, world, people):
    manager = people["manager"]
    liverpool = world.partnerships["Liverpool"]
    assert keys(service.search(manager, "", {"theme": ["trilogy-of-risk"]})) == {
        corpus.key("trilogy")
    }
    assert keys(service.search(manager, "", {"agency": ["police"], "kind": ["finding"]})) == {
        corpus.key("grooming")
    }
    rapid = service.search(manager, "", {"review_type": ["rapid_review"]})
    assert {corpus.key("cse"), corpus.key("grooming")} <= keys(rapid)
    assert corpus.key("neglect") not in keys(rapid)
    by_slug = service.search(manager, "", {"partnership": [liverpool.slug]})
    by_id = service.search(manager, "", {"partnership": [str(liverpool.pk)]})
    assert keys(by_slug) == keys(by_id) and corpus.key("cse") in keys(by_id)
    assert corpus.key("neglect") in keys(service.search(manager, "", {"year": ["2025"]}))
    assert corpus.key("neglect") not in keys(service.search(manager, "", {"year": ["2026"]}))


def test_values_that_name_nothing_are_dropped_and_reported(corpus, people):
    clean, ignored = service.clean_filters(
        {"kind": ["finding", "secret"], "year": ["twenty"], "colour": ["red"]}
    )
    assert clean == {"kind": ("finding",)}
    assert set(ignored) == {"type=secret", "year=twenty", "colour=red"}
    results = service.search(people["manager"], "neglect", {"year": ["twenty"]})
    assert results.total == service.search(people["manager"], "neglect").total


def test_sort_by_date_puts_the_newest_first(corpus, people):
    results = service.search(people["manager"], "neglect", sort="date")
    dates = [hit.date for hit in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_pages_share_out_the_results(corpus, people):
    manager = people["manager"]
    first = service.search(manager, "neglect", per_page=2)
    second = service.search(manager, "neglect", page=2, per_page=2)
    assert first.total == second.total >= 3
    assert len(first.hits) == 2 and not keys(first) & keys(second)
    assert first.pages == -(-first.total // 2)


def test_snippets_mark_matched_words_and_escape_the_rest(corpus, people):
    results = service.search(people["practitioner"], "neglected")
    hit = next(h for h in results.hits if h.key == corpus.key("neglect"))
    assert "<mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet or "script" not in hit.snippet


def test_did_you_mean_offers_a_theme_word_when_little_is_found(corpus, people):
    results = service.search(people["practitioner"], "neglekt")
    assert results.total == 0
    assert results.suggestion == "neglect"


def test_browsing_without_words_lists_newest_first(corpus, people):
    results = service.search(people["practitioner"], "", {"theme": ["neglect"]})
    assert corpus.key("neglect") in keys(results)
    dates = [hit.date for hit in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_index_and_remove_change_what_is_found(corpus, people, engine):
    key = corpus.key("grooming")
    document = next(d for d in sources.documents_for([key])[0])
    engine.index([replace(document, title="Quixotic pangolin", body="Quixotic pangolin.")])
    assert keys(service.search(people["practitioner"], "pangolin")) == {key}
    engine.index([document])  # idempotent: indexing again replaces, never duplicates
    engine.index([document])
    assert service.search(people["practitioner"], "pangolin").total == 0
    assert list(keys(service.search(people["practitioner"], "grooming"))).count(key) == 1
    engine.remove([key, "finding:999999"])
    assert key not in keys(service.search(people["practitioner"], "grooming"))


def test_a_rebuild_never_shows_an_empty_or_half_built_index(corpus, people, engine):
    before = keys(service.search(people["manager"], "neglect"))
    seen = []

    def progress(done):
        seen.append(keys(service.search(people["manager"], "neglect")))

    documents = list(sources.all_documents())
    count = engine.rebuild(documents, progress=progress)
    assert count == len(documents)
    assert seen and all(found == before for found in seen)
    assert keys(service.search(people["manager"], "neglect")) == before
