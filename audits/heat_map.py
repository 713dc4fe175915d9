"""A cycle's heat map: each agency's rating of each standard (the agreed one once agreed, else
its own), the change from the previous cycle, and where the returns stand. Read in a fixed
number of queries whatever the number of agencies (`make bench` holds it to 15 for 500), and
only from the returns the reader may see: an agency lead sees their own agency's row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
        return _change(self.rating, self.before)

    @property
    def html(self) -> str:
        """The cell's content, written here rather than in the template: a page holds hundreds
        of cells, and this is the page's cost. Every value goes through `format_html`."""
        arrow = {"up": "↑", "down": "↓"}.get(self.change)
        parts = [
            format_html('<strong class="govuk-tag {}">{}</strong>', self.tag, self.rating or "–")
        ]
        if arrow:
            parts.append(
                format_html(
                    ' <span aria-hidden="true">{}</span><span class="govuk-visually-hidden">'
                    "{} from {}</span>",
                    arrow,
                    self.change,
                    self.before,
                )
            )
        if self.challenged:
            parts.append(mark_safe(' <span class="govuk-body-s">challenged</span>'))
        elif self.agreed:
            parts.append(mark_safe('<span class="govuk-visually-hidden"> agreed</span>'))
        return mark_safe("".join(parts))  # each part is escaped or constant


def _change(rating, before) -> str:
    if rating is None or before is None or rating == before:
        return ""
    return "up" if rating > before else "down"


@dataclass(frozen=True)
class ReturnLine:
    """What the heat map needs of a return: read as plain values, since a cycle of hundreds of
    agencies would otherwise build a return and an agency object each."""

    pk: int
    agency_id: int
    agency_name: str
    state: str

    @property
    def state_label(self) -> str:
        return ReturnState(self.state).label


@dataclass
class HeatRow:
    agency_return: ReturnLine
    cells: list[Cell]


@dataclass
class HeatMap:
    """The figures of every return the reader may see, counted once; the rows of the table are
    built only for the returns asked for (`rows_for`): the page's, or all for the export."""

    cycle: Cycle
    standards: list[Standard]
    returns: list[ReturnLine]
    answers: dict = field(
        default_factory=dict
    )  # (return id, standard id) -> (rating, agreed, challenged)
    before: dict = field(default_factory=dict)  # (agency id, folded code) -> last cycle's rating
    states: Counter = field(default_factory=Counter)
    colours: dict = field(default_factory=dict)  # standard id -> Counter of colours
    challenged: int = 0  # returns with a challenge not yet agreed
    improved: int = 0
    worsened: int = 0

    @property
    def outstanding(self) -> int:
        return self.states[ReturnState.NOT_STARTED] + self.states[ReturnState.IN_PROGRESS]

    @property
    def rows(self) -> list[HeatRow]:
        return self.rows_for(self.returns)

    def rows_for(self, returns) -> list[HeatRow]:
        ratings = self.cycle.standard_set.ratings
        rows = []
        for agency_return in returns:
            cells = []
            for standard in self.standards:
                rating, agreed, challenged = self.answers.get(
                    (agency_return.pk, standard.pk), (None, None, False)
                )
                value = agreed if agreed is not None else rating
                point = ratings.get(value)
                cells.append(
                    Cell(
                        rating=value,
                        label=point.label if point else "Not rated",
                        colour=point.colour if point else "",
                        agreed=agreed is not None,
                        challenged=challenged and agreed is None,
                        before=self.before.get((agency_return.agency_id, standard.code.casefold())),
                    )
                )
            rows.append(HeatRow(agency_return, cells))
        return rows

    def chart(self) -> charts.BarChart:
        """Per standard, how many agencies sit at red, amber and green."""
        series = [charts.Series(name.title(), COLOURS[name]) for name in COLOURS]
        return charts.stacked(
            f"heat-map-{self.cycle.pk}",
            f"Ratings by standard: {self.cycle.title}",
            f"{len(self.returns)} returns. Each bar is a standard, its parts the agencies rated "
            "red, amber and green (agreed ratings where agreed).",
            series,
            [
                (f"Standard {s.code}", [self.colours[s.pk][name] for name in COLOURS])
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
    due, total = cycle.due_date, len(heat.returns)
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
    visible = AgencyReturn.objects.visible_to(user).filter(cycle=cycle)
    returns = [
        ReturnLine(*values)
        for values in visible.order_by("agency__name").values_list(
            "pk", "agency_id", "agency__name", "state"
        )
    ]
    rows = (
        Assessment.objects.filter(agency_return__in=visible.values("pk"))
        .annotate(was_challenged=ExpressionWrapper(Q(challenged_at__isnull=False), BooleanField()))
        .values_list("agency_return_id", "standard_id", "rating", "agreed_rating", "was_challenged")
    )
    heat = HeatMap(
        cycle,
        standards,
        returns,
        answers={(r, s): (rating, agreed, bool(was)) for r, s, rating, agreed, was in rows},
        before=_previous_ratings(cycle, user, visible.values("agency_id")),
        states=Counter(r.state for r in returns),
        colours={s.pk: Counter() for s in standards},
    )
    _count(heat)
    return heat


def _count(heat: HeatMap) -> None:
    """The chart's colours, the open challenges and the changes since the last cycle, in one
    pass over the answers (a cycle of 500 agencies has thousands)."""
    colour_of = {value: point.colour for value, point in heat.cycle.standard_set.ratings.items()}
    code_of = {s.pk: s.code.casefold() for s in heat.standards}
    agency_of = {r.pk: r.agency_id for r in heat.returns}
    challenged = set()
    for (return_id, standard_id), (rating, agreed, was_challenged) in heat.answers.items():
        value = agreed if agreed is not None else rating
        if value in colour_of:
            heat.colours[standard_id][colour_of[value]] += 1
        if was_challenged and agreed is None:
            challenged.add(return_id)
        change = _change(value, heat.before.get((agency_of[return_id], code_of[standard_id])))
        heat.improved += change == "up"
        heat.worsened += change == "down"
    heat.challenged = len(challenged)


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
            row.agency_return.agency_name,
            row.agency_return.state_label,
            *[cell.rating for cell in row.cells],
        ]
        for row in heat.rows
    ]
    return columns, rows
