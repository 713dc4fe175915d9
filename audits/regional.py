"""The region's partnerships side by side on the same standards: for each partnership that
shares its figures, its latest cycle on a set of the same name and kind (its own version, or one
adopted from a neighbour), and per standard how many of its agencies rate themselves met or
better (the agreed rating where agreed).

A partnership shares by setting its cycle's sharing to regional (`share_figures`): what the
region then reads is those counts, never a return, a rating of a named agency, a narrative or a
challenge, which stay with the partnership. A cycle the reader may not see (the policy's
`visible_to`) is not compared. Two queries, whatever the number of returns."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from wagtail.log_actions import log

from hub import charts
from partnership.access import SharingLevel

from .cycles import may_open, require
from .models import Assessment, Cycle, StandardSet, ratings_of

SHARED = (SharingLevel.REGIONAL, SharingLevel.PUBLIC)


@dataclass
class Column:
    cycle: Cycle
    met: dict[str, int]  # standard code -> agencies met or better
    rated: dict[str, int]  # standard code -> agencies with a rating

    def share(self, code: str) -> int | None:
        code = code.casefold()
        rated = self.rated.get(code, 0)
        return round(100 * self.met.get(code, 0) / rated) if rated else None

    @property
    def overall(self) -> int:
        rated = sum(self.rated.values())
        return round(100 * sum(self.met.values()) / rated) if rated else 0


@dataclass
class Comparison:
    standard_set: StandardSet
    codes: list[tuple[str, str]]  # (code, text) in the reader's set's order
    columns: list[Column]

    def rows(self):
        for code, text in self.codes:
            yield code, text, [(column, column.share(code)) for column in self.columns]

    def chart(self) -> charts.BarChart:
        return charts.single(
            "regional-comparison",
            f"Standards met or better: {self.standard_set.name}",
            "Each bar is a partnership that shares its figures: the share of its agencies' "
            "ratings, across every standard, that are met or better.",
            [(c.cycle.partnership.name, c.overall) for c in self.columns],
            colour=charts.GREEN,
            label="Per cent met or better",
            table_id="regional-table",
        )


def share_figures(cycle: Cycle, user, shared: bool) -> Cycle:
    require(
        may_open(user, cycle.partnership_id),
        "Only the partnership's managers and quality assurance decide what the region sees.",
    )
    cycle.sharing_level = SharingLevel.REGIONAL if shared else SharingLevel.PARTNERSHIP
    with transaction.atomic():
        cycle.save(update_fields=["sharing_level"])
        log(cycle, "hub.audit.cycle_shared", user=user, data={"shared": shared})
    return cycle


def compare(standard_set: StandardSet, user) -> Comparison:
    cycles = (
        Cycle.objects.visible_to(user)
        .filter(
            standard_set__name__iexact=standard_set.name,
            standard_set__kind=standard_set.kind,
            sharing_level__in=SHARED,
        )
        .select_related("partnership", "standard_set")
        .order_by("partnership__name", "-due_date", "-pk")
    )
    latest = {}
    for cycle in cycles:
        latest.setdefault(cycle.partnership_id, cycle)
    columns = {c.pk: Column(c, defaultdict(int), defaultdict(int)) for c in latest.values()}
    answers = Assessment.objects.filter(agency_return__cycle__in=list(columns)).values_list(
        "agency_return__cycle_id", "standard__code", "rating", "agreed_rating"
    )
    for cycle_id, code, rating, agreed in answers:
        value = agreed if agreed is not None else rating
        if value is None:
            continue
        column = columns[cycle_id]
        point = ratings_of(column.cycle.standard_set.scale).get(value)
        column.rated[code.casefold()] += 1
        column.met[code.casefold()] += point is not None and not point.needs_action
    codes = [(s.code, s.text) for s in standard_set.standards.all()]
    return Comparison(standard_set, codes, list(columns.values()))
