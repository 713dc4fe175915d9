"""How a tracker names things, read the Hub's way: partnerships, themes, agencies, sharing
levels and statuses, each looked up once per name. The reviews and findings imports share it."""

from __future__ import annotations

from collections.abc import Iterable

from hub.importing import Row, split_list
from partnership.access import SharingLevel, has_role, membership_of, sees_everything
from partnership.models import Agency, Partnership, Role, Theme

from ..models import ReviewStatus

IMPORT_ROLES = (Role.PARTNERSHIP_MANAGER, Role.REVIEWER)


def may_import_reviews(user) -> bool:
    """Partnership managers and reviewers bring their partnership's tracker in."""
    return sees_everything(user) or (
        membership_of(user) is not None and has_role(user, *IMPORT_ROLES)
    )


def parse_sharing_level(text: str) -> SharingLevel | None:
    folded = " ".join(text.split()).casefold()
    for level in SharingLevel:
        if folded in (level.value, level.short_label.casefold(), level.label.casefold()):
            return level
    return None


def parse_status(text: str) -> ReviewStatus | None:
    folded = " ".join(text.replace("_", " ").split()).casefold()
    for status in ReviewStatus:
        if folded in (status.value.replace("_", " "), status.label.casefold()):
            return status
    return None


def normalise_text(text: str) -> str:
    """Findings and recommendations are the same if they differ only in spacing."""
    return " ".join(text.split())


class Vocabulary:
    """Looks up partnerships, themes and agencies the way a tracker names them, once per name."""

    def __init__(self):
        self.partnerships = list(Partnership.objects.all())
        self._themes: dict[str, list[Theme]] = {}
        self._agencies: dict[tuple, list[Agency]] = {}

    def partnership(self, text: str) -> Partnership | None:
        folded = text.strip().casefold()
        for partnership in self.partnerships:
            if folded in (
                partnership.short_name.casefold(),
                partnership.name.casefold(),
                partnership.slug.casefold(),
            ):
                return partnership
        return None

    def themes(self, term: str) -> list[Theme]:
        key = term.casefold()
        if key not in self._themes:
            self._themes[key] = list(Theme.objects.matching(term))
        return self._themes[key]

    def agencies(self, lead: Partnership, others: Iterable[Partnership], term: str) -> list[Agency]:
        """Agencies of the lead partnership by name, short name or sector (a sector links every
        agency of that sector); failing that, an agency of a partnership taking part, by its full
        name, as the export writes it for a cross-boundary review."""
        others = tuple(sorted(p.pk for p in others if p.pk != lead.pk))
        key = (lead.pk, others, term.casefold())
        if key not in self._agencies:
            found = list(Agency.objects.filter(partnership=lead).matching(term))
            if not found and others:
                found = list(Agency.objects.filter(partnership__in=others, name__iexact=term))
            self._agencies[key] = found
        return self._agencies[key]


def check_length(row: Row, column: str, text: str, limit: int) -> None:
    if len(text) > limit:
        row.error(column, f"is {len(text)} characters long; at most {limit}")


def sharing_level_of(row: Row) -> SharingLevel | None:
    """The row's sharing level, or None when it has none (or a wrong one, which is said)."""
    if "sharing_level" not in row or not row.text("sharing_level"):
        return None
    level = parse_sharing_level(row.text("sharing_level"))
    if level is None:
        row.error(
            "sharing_level",
            f"{row.text('sharing_level')} is not a sharing level (use Restricted, "
            "Partnership, Regional or Public)",
        )
    return level


def themes_of(row: Row, vocab: Vocabulary) -> list[Theme] | None:
    """The row's themes, or None when the file has no themes column (leave them be)."""
    if "themes" not in row:
        return None
    themes = []
    for term in split_list(row.value("themes")):
        found = vocab.themes(term)
        if not found:
            row.error("themes", f"there is no theme called {term}")
        elif len(found) > 1:
            names = " and ".join(t.name for t in found)
            row.error("themes", f"{term} could mean {names}: use the theme's own name")
        elif found[0] not in themes:
            themes.append(found[0])
    return themes


def agencies_of(row: Row, vocab: Vocabulary, lead, others) -> list[Agency]:
    agencies = []
    for term in split_list(row.value("agencies")):
        found = vocab.agencies(lead, others, term)
        if not found:
            row.error("agencies", f"there is no agency called {term} in {lead}")
        for agency in found:
            if agency not in agencies:
                agencies.append(agency)
    return agencies
