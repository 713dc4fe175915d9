"""A cycle's heat map: each agency's rating of each standard (the agreed one once agreed, else
its own), the change from the previous cycle, and where the returns stand. Read in a fixed
number of queries whatever the number of agencies (`make bench` holds it to 15 for 500), and
only from the returns the reader may see: an agency lead sees their own agency's row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from hub import charts

from .models import AgencyReturn, Assessment, Cycle, ReturnState, Standard

COLOURS = {"red": charts.RED, "amber": charts.AMBER, "green": charts.GREEN}
TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


@dataclass(frozen=True)
class Cell:
    rating: int | None
    label: str
    colour: str  # "" when not rated
    agreed: bool
    challenged: bool
    before: int | None  # the agency's rating of the same standard last cycle

    @property
    def tag(self) -> str:
        return TAGS.get(self.colour, "govuk-tag--grey")

    @property
    def change(self) -> str:
        if self.rating is None or self.before is None or self.rating == self.before:
            return ""
        return "up" if self.rating > self.before else "down"


@dataclass
class HeatRow:
    agency_return: AgencyReturn
    cells: list[Cell]


@dataclass
class HeatMap:
    cycle: Cycle
    standards: list[Standard]
    rows: list[HeatRow]
    states: Counter = field(default_factory=Counter)
    challenged: int = 0  # returns with a challenge not yet agreed
    improved: int = 0
    worsened: int = 0

    @property
    def outstanding(self) -> int:
        return self.states[ReturnState.NOT_STARTED] + self.states[ReturnState.IN_PROGRESS]

    def chart(self) -> charts.BarChart:
        """Per standard, how many agencies sit at red, amber and green."""
        counts = {s.pk: Counter() for s in self.standards}
        for row in self.rows:
            for standard, cell in zip(self.standards, row.cells, strict=True):
                if cell.colour:
                    counts[standard.pk][cell.colour] += 1
        series = [charts.Series(name.title(), COLOURS[name]) for name in COLOURS]
        return charts.stacked(
            f"heat-map-{self.cycle.pk}",
            f"Ratings by standard: {self.cycle.title}",
            f"{len(self.rows)} returns. Each bar is a standard, its parts the agencies rated "
            "red, amber and green (agreed ratings where agreed).",
            series,
            [
                (f"Standard {s.code}", [counts[s.pk][name] for name in COLOURS])
                for s in self.standards
            ],
            table_id="heat-map",
        )


@dataclass(frozen=True)
class Milestone:
    label: str
    when: str  # "5 January 2027"
    state: str  # "done", "overdue" or "due"
    note: str  # "3 returns outstanding", "12 days left"


def timeline(heat: HeatMap, today) -> list[Milestone]:
    """The cycle's milestones as its page shows them: opened, returns due, every return
    agreed. Counted from the returns the reader may see, as the rest of the page is."""
    from hub.formats import long_date

    cycle = heat.cycle
    due, total = cycle.due_date, len(heat.rows)
    outstanding, agreed = heat.outstanding, heat.states[ReturnState.AGREED]
    opened = Milestone("Opened", long_date(timezone.localtime(cycle.opened_at).date()), "done", "")
    if outstanding == 0:
        returns_due = Milestone("Returns due", long_date(due), "done", "Every return is in")
    elif due < today:
        late = (today - due).days
        returns_due = Milestone(
            "Returns due",
            long_date(due),
            "overdue",
            f"{late} day{'s' * (late != 1)} overdue: {outstanding} of {total} outstanding",
        )
    else:
        left = (due - today).days
        returns_due = Milestone(
            "Returns due",
            long_date(due),
            "due",
            f"{left} day{'s' * (left != 1)} left: {outstanding} of {total} outstanding",
        )
    all_agreed = Milestone(
        "Every rating agreed",
        "",
        "done" if total and agreed == total else "due",
        f"{agreed} of {total} returns agreed",
    )
    return [opened, returns_due, all_agreed]


def build(cycle: Cycle, user) -> HeatMap:
    standards = list(cycle.standard_set.standards.all())
    ratings = cycle.standard_set.ratings
    visible = AgencyReturn.objects.visible_to(user).filter(cycle=cycle)
    returns = list(visible.select_related("agency").order_by("agency__name"))
    answers = {
        (row["agency_return_id"], row["standard_id"]): row
        for row in Assessment.objects.filter(agency_return__in=visible.values("pk")).values(
            "agency_return_id", "standard_id", "rating", "agreed_rating", "challenge"
        )
    }
    before = _previous_ratings(cycle, user, visible.values("agency_id"))
    heat = HeatMap(cycle, standards, [])
    for agency_return in returns:
        heat.states[agency_return.state] += 1
        cells = []
        for standard in standards:
            answer = answers.get((agency_return.pk, standard.pk), {})
            agreed = answer.get("agreed_rating")
            value = agreed if agreed is not None else answer.get("rating")
            point = ratings.get(value)
            cell = Cell(
                rating=value,
                label=point.label if point else "Not rated",
                colour=point.colour if point else "",
                agreed=agreed is not None,
                challenged=bool(answer.get("challenge")) and agreed is None,
                before=before.get((agency_return.agency_id, standard.code.casefold())),
            )
            heat.improved += cell.change == "up"
            heat.worsened += cell.change == "down"
            cells.append(cell)
        heat.challenged += any(cell.challenged for cell in cells)
        heat.rows.append(HeatRow(agency_return, cells))
    return heat


def _previous_ratings(cycle: Cycle, user, agency_ids) -> dict:
    """(agency id, folded standard code) -> the rating the agency ended the previous cycle on,
    read only from the previous returns the reader may see."""
    if cycle.previous_id is None:
        return {}
    visible = AgencyReturn.objects.visible_to(user).filter(
        cycle_id=cycle.previous_id, agency_id__in=agency_ids
    )
    rows = Assessment.objects.filter(agency_return__in=visible.values("pk")).values(
        "agency_return__agency_id", "standard__code", "rating", "agreed_rating"
    )
    return {
        (row["agency_return__agency_id"], row["standard__code"].casefold()): (
            row["agreed_rating"] if row["agreed_rating"] is not None else row["rating"]
        )
        for row in rows
    }


def export_rows(heat: HeatMap) -> tuple[list[str], list[list]]:
    columns = ["agency", "state", *[f"standard {s.code}" for s in heat.standards]]
    rows = [
        [
            row.agency_return.agency.name,
            row.agency_return.get_state_display(),
            *[cell.rating for cell in row.cells],
        ]
        for row in heat.rows
    ]
    return columns, rows
