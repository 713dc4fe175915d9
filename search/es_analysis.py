"""The Elasticsearch index: its analysers and its mapping, built in code with `elasticsearch.dsl`.

Two analysers share one English chain (possessives, lower case, stop words, stemming), so
"neglected" finds "neglect" and "child's" finds "child":
- `hub_english` indexes title, tags (the record's theme words) and body;
- `hub_english_search` analyses what the reader typed and adds the theme taxonomy's synonyms with
  a `synonym_graph` filter. Synonyms are applied at search time only, so the index never holds
  them: a taxonomy change never re-analyses documents, and multi-word synonyms ("toxic trio" =>
  "trilogy of risk") stay whole, which index-time synonyms cannot do.

The filter reads its rules from a synonyms set kept by the cluster (`PUT _synonyms/<set>`, one
rule per theme), not from rules written into the index settings: replacing the set makes
Elasticsearch reload the search analysers of every index that uses it, on the open, live index,
so a theme's new synonym is searched at once without a rebuild. Inline rules could only change by
closing the index (a moment with no search at all) or by a rebuild. The set must exist before an
index that names it is created (the engine writes it first): an index naming a missing set is
left unusable.

The stop filter runs before the synonym filter, never after it: a stop filter after
`synonym_graph` corrupts the token graph (elastic/elasticsearch#28838), and rule parsing refuses
a rule whose words the chain before it removes ("analyzed to a token with position increment
!= 1"), so the rules are written here without stop words ("trilogy of risk" -> "trilogy risk").
The typed "trilogy of risk" loses its "of" to the same filter before the synonym filter sees it,
so it still meets the rule.
"""

from __future__ import annotations

import re

from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Text,
    analyzer,
    token_filter,
)

from .synonyms import SynonymGroup

# Lucene's English stop words (the `_english_` set) without "no" and "not": in safeguarding
# writing "not brought" and "no assessment" mean the opposite of "brought" and "assessment".
STOP_WORDS = (
    "a an and are as at be but by for if in into is it of on or such that the their then there "
    "these they this to was will with"
).split()

stop = token_filter("hub_english_stop", type="stop", stopwords=STOP_WORDS)
possessive = token_filter("hub_english_possessive", type="stemmer", language="possessive_english")
stemmer = token_filter("hub_english_stemmer", type="stemmer", language="english")

hub_english = analyzer(
    "hub_english",
    tokenizer="standard",
    filter=[possessive, "lowercase", stop, stemmer],
)

# Unstemmed words for the "did you mean" suggester: a suggestion must read as words, not stems.
hub_plain = analyzer("hub_plain", tokenizer="standard", filter=["lowercase"])

SEARCH_ANALYZER = "hub_english_search"
SYNONYM_FILTER = "hub_synonyms"

_WORD = re.compile(r"[0-9a-z]+(?:'[0-9a-z]+)*")


def rule_phrase(phrase: str) -> str:
    """A synonym phrase as the search analyser's chain sees it before the synonym filter: words
    only (the Solr rule format reads commas and "=>" as syntax, and theme names hold commas),
    without stop words."""
    words = _WORD.findall(phrase.casefold().replace("\u2019", "'"))
    return " ".join(w for w in words if w not in STOP_WORDS)


def _rule(group: SynonymGroup) -> str:
    phrases: list[str] = []
    for phrase in group.phrases:
        words = rule_phrase(phrase)
        if words and words not in phrases:
            phrases.append(words)
    return ", ".join(phrases) if len(phrases) > 1 else ""


def synonym_rules(groups: list[SynonymGroup]) -> list[str]:
    """One equivalence rule per theme ("child sexual exploitation, cse, sexual exploitation,
    grooming"): any phrase of the group finds the others."""
    return [rule for rule in map(_rule, groups) if rule]


def synonyms_set(groups: list[SynonymGroup]) -> list[dict]:
    """The body of `PUT _synonyms/<set>`: the rules, each named by its theme's slug so that the
    cluster's copy reads like the taxonomy."""
    return [{"id": g.theme_slug, "synonyms": rule} for g in groups if (rule := _rule(g))]


def search_analyzer(synonyms_set_id: str):
    synonyms = token_filter(
        SYNONYM_FILTER,
        type="synonym_graph",
        synonyms_set=synonyms_set_id,
        # Search time only, reloadable: what lets a new set reach a live index.
        updateable=True,
        # One odd synonym in the taxonomy must not stop the analyser loading: Elasticsearch skips
        # a rule it cannot parse rather than failing the reload (or the index).
        lenient=True,
    )
    return analyzer(
        SEARCH_ANALYZER,
        tokenizer="standard",
        filter=[possessive, "lowercase", stop, synonyms, stemmer],
    )


def _text():
    return Text(
        analyzer=hub_english,
        search_analyzer=SEARCH_ANALYZER,
        fields={"plain": Text(analyzer=hub_plain)},
    )


class SearchRecord(Document):
    """What the index holds of a `SearchDocument`: shareable text and the facet values, nothing
    more. The mapping is strict, so a field that is not declared here (a confidential one slipped
    into a document by mistake) is refused by Elasticsearch rather than indexed."""

    key = Keyword()
    kind = Keyword()
    title = _text()
    # The names and synonyms of the record's themes, as text (SearchDocument.tags): weighed
    # between title and body, as the database engine's weight B.
    tags = _text()
    body = _text()
    url = Keyword(index=False, doc_values=False)
    date = Date()
    partnership_id = Integer()
    partnership_name = Keyword()
    themes = Keyword()
    agencies = Keyword()
    review_type = Keyword()
    level_of_need = Integer()
    year = Integer()
    access = Keyword()

    class Meta:
        dynamic = MetaField("strict")


# The only fields the index may hold (tests compare the mapping with this).
INDEXED_FIELDS = frozenset(
    "key kind title tags body url date partnership_id partnership_name themes agencies review_type "
    "level_of_need year access".split()
)


def build_index(name: str, synonyms_set_id: str, *, bulk_load: bool = False) -> Index:
    """The index definition under `name`, its synonyms read from the cluster's synonyms set
    `synonyms_set_id` (which must exist before the index is created). `bulk_load` turns
    refreshes and replicas off while a rebuild fills a new index nobody searches yet;
    `index_settings_after_load` turns them back."""
    index = Index(name)
    index.settings(
        # One shard: the corpus is small (tens of thousands of documents) and one shard keeps
        # term statistics, hence ranking, the same on every search.
        number_of_shards=1,
        **(
            {"number_of_replicas": 0, "refresh_interval": "-1"}
            if bulk_load
            else {"auto_expand_replicas": "0-1"}
        ),
    )
    index.analyzer(search_analyzer(synonyms_set_id))
    index.document(SearchRecord)
    return index


def index_settings_after_load() -> dict:
    """Settings a bulk-loaded index takes back before it goes live."""
    return {"index": {"refresh_interval": None, "auto_expand_replicas": "0-1"}}
