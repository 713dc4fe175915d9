"""What a typed query means, for the database engine: clauses that must all match, each a set of
alternative phrases, with the theme taxonomy's synonyms added as alternatives.

"toxic trio neglected" becomes (toxic trio | trilogy of risk | trio of risk) AND (neglected): the
phrase found in the taxonomy is replaced by its whole group, the other words stay as typed and are
stemmed by the database. Text in double quotes is kept as one phrase. Each database renders the
plan in its own syntax: a tsquery on PostgreSQL, an FTS5 MATCH expression on SQLite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .synonyms import SynonymGroup

WORD = re.compile(r"\w+", re.UNICODE)
QUOTED = re.compile(r'"([^"]*)"')
LONGEST_PHRASE = 6

# The words PostgreSQL's 'english' configuration ignores, so that SQLite (which keeps every word)
# does not demand them either: "neglect of a baby" needs "neglect" and "baby".
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with you your yours yourself yourselves s t""".split()
)


def words_of(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.casefold()))


@dataclass(frozen=True)
class Clause:
    """Alternatives (each a phrase, as words) of which a match needs one."""

    alternatives: tuple[tuple[str, ...], ...]
    typed: tuple[str, ...]

    @property
    def expanded(self) -> tuple[str, ...]:
        return tuple(" ".join(a) for a in self.alternatives if a != self.typed)


@dataclass(frozen=True)
class Plan:
    clauses: tuple[Clause, ...]

    @property
    def empty(self) -> bool:
        return not self.clauses

    @property
    def expanded_terms(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for clause in self.clauses:
            for term in clause.expanded:
                seen.setdefault(term, None)
        return tuple(seen)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for c in self.clauses for a in c.alternatives for w in a)


PhraseIndex = dict[tuple[str, ...], list[tuple[str, ...]]]


def phrase_index(groups: list[SynonymGroup]) -> PhraseIndex:
    """Each synonym phrase (as words) with every phrase it may be swapped for."""
    index: PhraseIndex = {}
    for group in groups:
        phrases = [words_of(p) for p in group.phrases]
        phrases = [p for p in phrases if p]
        for phrase in phrases:
            alternatives = index.setdefault(phrase, [])
            alternatives += [p for p in phrases if p not in alternatives]
    return index


def plan(text: str, groups: list[SynonymGroup], index: PhraseIndex | None = None) -> Plan:
    """`index`: `phrase_index(groups)` when the caller already holds it (every search does:
    `search.synonyms.current_synonyms`)."""
    if index is None:
        index = phrase_index(groups)
    clauses: list[Clause] = []
    for quoted in QUOTED.findall(text):
        phrase = words_of(quoted)
        if phrase:
            clauses.append(_clause(phrase, index))
    words = words_of(QUOTED.sub(" ", text))
    i = 0
    while i < len(words):
        for length in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
            phrase = words[i : i + length]
            if phrase in index:
                clauses.append(_clause(phrase, index))
                i += length
                break
        else:
            if words[i] not in STOPWORDS:
                clauses.append(Clause(((words[i],),), (words[i],)))
            i += 1
    # The same clause twice ("neglect neglect") asks nothing more.
    return Plan(tuple(dict.fromkeys(clauses)))


def _clause(phrase: tuple[str, ...], index) -> Clause:
    alternatives = [phrase] + [a for a in index.get(phrase, []) if a != phrase]
    return Clause(tuple(alternatives), phrase)


def fts5_match(query_plan: Plan) -> str:
    """The plan as an SQLite FTS5 MATCH expression. Every word is quoted, so nothing typed can be
    read as FTS5 syntax."""

    def phrase(words):
        return '"' + " ".join(words) + '"'

    parts = []
    for clause in query_plan.clauses:
        alternatives = [phrase(a) for a in clause.alternatives]
        parts.append(
            alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
        )
    return " AND ".join(parts)
