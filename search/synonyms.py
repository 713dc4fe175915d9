"""Synonyms from the theme taxonomy, for both engines.

The partnership keeps its vocabulary in one place, the themes (partnership.Theme: a name and
semicolon-separated synonyms). A practitioner who types any of a theme's words must find what is
written with the others ("CSE", "child sexual exploitation" and "grooming" find the same lessons),
so each theme gives one group of equivalent phrases: the Elasticsearch engine turns the groups
into a synonym filter, the database engine expands the query with them."""

from __future__ import annotations

from dataclasses import dataclass

from partnership.process_copy import ProcessCopy

SYNONYMS_VERSION_KEY = "search:synonyms-version"


@dataclass(frozen=True)
class SynonymGroup:
    theme_slug: str
    # The theme's name first, then its synonyms; each a phrase in lower case, unique in the group.
    phrases: tuple[str, ...]


def synonym_groups() -> list[SynonymGroup]:
    """One group per theme that has at least one synonym, read from the database."""
    from partnership.models import Theme

    groups = []
    for theme in Theme.objects.order_by("slug").only("slug", "name", "synonyms"):
        phrases: list[str] = []
        for phrase in [theme.name, *theme.synonym_list]:
            folded = " ".join(phrase.casefold().split())
            if folded and folded not in phrases:
                phrases.append(folded)
        if len(phrases) > 1:
            groups.append(SynonymGroup(theme.slug, tuple(phrases)))
    return groups


@dataclass(frozen=True)
class Synonyms:
    groups: list[SynonymGroup]
    # search.query.phrase_index(groups), built once per change rather than once per search.
    index: dict


def _build() -> Synonyms:
    from .query import phrase_index

    groups = synonym_groups()
    return Synonyms(groups, phrase_index(groups))


_current = ProcessCopy(SYNONYMS_VERSION_KEY, _build)


def current_synonyms() -> Synonyms:
    """The synonym groups and their phrase index: every search reads them, a theme's save
    forgets them (search.signals)."""
    return _current.get()


def cached_synonym_groups() -> list[SynonymGroup]:
    return _current.get().groups


def forget_synonyms() -> None:
    _current.forget()


def groups_matching(text: str, groups: list[SynonymGroup]) -> list[SynonymGroup]:
    """The groups with a phrase that occurs in `text` as whole words, in any case."""
    folded = f" {' '.join(text.casefold().split())} "
    return [g for g in groups if any(f" {p} " in folded for p in g.phrases)]
