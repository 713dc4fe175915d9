"""The Elasticsearch engine against a live cluster: analysis, synonyms, access and the rebuild, as
a practitioner meets them. Skipped unless ELASTICSEARCH_URL is set (see es_fixtures)."""

import datetime

import pytest

from search.types import SearchDocument, SearchQuery

from .es_fixtures import elasticsearch_url, make_elasticsearch_engine

pytestmark = [
    pytest.mark.elasticsearch,
    # Skipped at collection, before a test database is made for nothing.
    pytest.mark.skipif(not elasticsearch_url(), reason="needs a live Elasticsearch"),
]

PUBLIC = frozenset({"public"})
PANEL = frozenset({"public", "user:1"})


def document(
    key, title, body, *, themes=(), access=("public",), partnership=(1, "Wirral"), tags=""
):
    return SearchDocument(
        key=key,
        kind=key.split(":")[0],
        title=title,
        body=body,
        url=f"/{key.replace(':', '/')}/",
        partnership_id=partnership[0],
        partnership_name=partnership[1],
        date=datetime.date(2024, 5, 1),
        themes=themes,
        agencies=("police",),
        review_type="rapid_review",
        level_of_need=3,
        access=access,
        tags=tags,
    )


CORPUS = [
    document(
        "finding:1",
        "Grooming was not recognised",
        "Staff saw an older man collect her from school and did not ask who he was.",
        themes=("cse",),
    ),
    document(
        "finding:2",
        "Child sexual exploitation screening",
        "The screening tool was not completed when she went missing for the third time.",
        themes=("cse",),
    ),
    document(
        "briefing:3",
        "Sexual exploitation of teenagers",
        "Seven minutes on what practitioners should look for.",
        themes=("cse",),
    ),
    document(
        "finding:4",
        "The trilogy of risk in one household",
        "Domestic abuse, the mother's depression and the father's drinking were each known "
        "to one agency.",
        themes=("trilogy-of-risk",),
    ),
    document(
        "finding:5",
        "Home conditions",
        "Health visitors found the children neglected, the home cold and <b>no</b> food.",
        themes=("neglect",),
    ),
    document(
        "finding:6",
        "Concern raised by the panel",
        "A restricted grooming concern about Child Q, discussed in confidence.",
        themes=("cse",),
        access=("user:1",),
        partnership=(2, "Liverpool"),
    ),
]


@pytest.fixture
def engine(request, db):
    engine = make_elasticsearch_engine(request)
    engine.index(CORPUS)
    return engine


def keys(engine, text, audience=PUBLIC, **kwargs):
    return {hit.key for hit in engine.search(SearchQuery(text, audience, **kwargs)).hits}


def test_cse_its_name_and_grooming_find_the_same_lessons(engine):
    expected = {"finding:1", "finding:2", "briefing:3"}
    assert keys(engine, "CSE") == expected
    assert keys(engine, "child sexual exploitation") == expected
    assert keys(engine, "grooming") == expected
    results = engine.search(SearchQuery("CSE", PUBLIC))
    assert "grooming" in results.expanded_terms


def test_toxic_trio_finds_the_trilogy_of_risk(engine):
    assert keys(engine, "toxic trio") == {"finding:4"}
    assert keys(engine, "trilogy of risk") == {"finding:4"}


def test_stemming_finds_neglected_for_neglect(engine):
    assert keys(engine, "neglect") == {"finding:5"}
    assert keys(engine, "Neglected children") == {"finding:5"}


def test_snippets_are_escaped_with_marks(engine):
    (hit,) = engine.search(SearchQuery("neglect", PUBLIC)).hits
    assert "<mark>neglected</mark>" in hit.snippet
    assert "&lt;b&gt;no" in hit.snippet and "<b>" not in hit.snippet


def test_a_reader_without_the_token_sees_neither_hit_nor_count(engine):
    public = engine.search(SearchQuery("grooming", PUBLIC))
    assert "finding:6" not in {h.key for h in public.hits} and public.total == 3
    themes = {v.value: v.count for v in public.facets["theme"]}
    assert themes == {"cse": 3}
    assert [v.label for v in public.facets["partnership"]] == ["Wirral"]
    assert "Child Q" not in str(public)

    panel = engine.search(SearchQuery("grooming", PANEL))
    assert "finding:6" in {h.key for h in panel.hits} and panel.total == 4
    assert {v.value: v.count for v in panel.facets["theme"]} == {"cse": 4}


def test_did_you_mean_never_suggests_a_word_only_restricted_records_hold(engine):
    assert engine.search(SearchQuery("screenign", PUBLIC)).suggestion == "screening"
    assert engine.search(SearchQuery("confidnce", PUBLIC)).suggestion == ""
    assert engine.search(SearchQuery("confidnce", PANEL)).suggestion == "confidence"


def test_a_chosen_facet_still_counts_its_other_values(engine):
    results = engine.search(SearchQuery("", PUBLIC, filters={"theme": ("neglect",)}))
    assert {h.key for h in results.hits} == {"finding:5"}
    themes = {v.value: (v.count, v.selected) for v in results.facets["theme"]}
    assert themes["neglect"] == (1, True) and themes["cse"] == (3, False)


def test_remove(engine):
    engine.remove(["finding:5", "finding:404"])
    assert keys(engine, "neglect") == set()


def test_rebuild_keeps_searches_answering(engine):
    answered_during = []

    def documents():
        for n, doc in enumerate(CORPUS):
            if n == 3:
                # Halfway through, the old index still answers in full.
                answered_during.append(keys(engine, "CSE"))
            yield doc
        yield document("finding:7", "Neglect in a second family", "Chronic neglect again.")

    assert engine.rebuild(documents()) == len(CORPUS) + 1
    assert answered_during == [{"finding:1", "finding:2", "briefing:3"}]
    assert keys(engine, "neglect") == {"finding:5", "finding:7"}
    assert len(engine._indices_behind_alias()) == 1


def test_a_synonym_added_to_a_theme_is_searched_at_once_without_a_rebuild(engine):
    from partnership.models import Theme

    live = engine._indices_behind_alias()
    assert keys(engine, "pangolin") == set()
    theme = Theme.objects.get(slug="neglect")
    theme.synonyms = f"{theme.synonyms};pangolin"
    theme.save()

    engine.synonyms_changed()

    # The same live index, its search analyser reloaded by the cluster: no rebuild, no close.
    assert engine._indices_behind_alias() == live
    assert keys(engine, "pangolin") == {"finding:5"}
    assert "neglect" in engine.search(SearchQuery("pangolin", PUBLIC)).expanded_terms

    theme.synonyms = theme.synonyms.replace(";pangolin", "")
    theme.save()
    engine.synonyms_changed()
    assert keys(engine, "pangolin") == set()


def test_theme_words_are_searched_between_title_and_body(engine):
    engine.index(
        [
            document("finding:20", "Wombat in the title", "Nothing else here."),
            document("finding:21", "Plain title", "Nothing else.", tags="Wombat welfare"),
            document("finding:22", "Another plain title", "A wombat in the body, once."),
        ]
    )
    results = engine.search(SearchQuery("wombat", PUBLIC))
    assert [hit.key for hit in results.hits] == ["finding:20", "finding:21", "finding:22"]
    # The theme words are searched, never shown: no snippet is cut from them.
    assert "welfare" not in results.hits[1].snippet


def test_kinds_are_boosted_as_the_database_engine_boosts_them(engine):
    # The same words, so only the kind's boost can put the finding before the action (whose
    # key would come first on a tie).
    engine.index(
        [
            document("action:30", "Quokka assessments", "Quokka assessments were late."),
            document("finding:31", "Quokka assessments", "Quokka assessments were late."),
        ]
    )
    assert [h.key for h in engine.search(SearchQuery("quokka", PUBLIC)).hits] == [
        "finding:31",
        "action:30",
    ]


def test_a_filter_that_leaves_nothing_offers_no_spelling_when_the_words_found_plenty(engine):
    results = engine.search(SearchQuery("grooming", PUBLIC, filters={"kind": ("course",)}))
    assert results.total == 0 and results.suggestion == ""
