"""Charts anyone can read: horizontal bar charts drawn as SVG on the server, with no script.

Why our own: the charts are bars (RAG by agency, the funnel, deadlines by month, reach by
agency), and what makes them usable is around the bars: a title and a one-sentence summary that
screen readers announce (`role="img"` with `<title>` and `<desc>`), each value written on or
beside its bar, a legend in words, white gaps between stacked parts so no colour touches
another, colours with at least 3:1 contrast against the page (WCAG 1.4.11), the same figures in
a table next to the chart (`table_id`), and a download of the chart as an SVG file for board
papers. A charting library would bring script or raster output and still need all of that.

A chart is data; `hub/includes/bar_chart.html` draws it on the site and in the admin, and
`download_response` answers `?chart=<key>` with the standalone file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.text import slugify

# Colours with white text at 4.5:1 or more, and 3:1 or more against a white page.
RED = "#b21f1f"
AMBER = "#8f4500"
GREEN = "#0f6b45"
BLUE = "#1d5f99"
GREY = "#505a5f"
PURPLE = "#5b3d8c"

WIDTH = 680
LABEL_WIDTH = 250
BAR_HEIGHT = 26
GAP = 10
TOP = 8
# Space after the longest bar for its total.
TOTAL_WIDTH = 56
# A part narrower than this has no room for its number inside it (the table has it).
MIN_LABELLED = 26


@dataclass(frozen=True)
class Series:
    label: str
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(frozen=True)
class Part:
    x: float
    width: float
    value: int
    colour: str
    label: str

    @property
    def labelled(self) -> bool:
        return self.width >= MIN_LABELLED

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Row:
    label: str
    y: float
    parts: tuple[Part, ...]
    total: int
    end: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2

    @property
    def total_x(self) -> float:
        return self.end + 6


@dataclass
class BarChart:
    key: str
    title: str
    summary: str
    series: tuple[Series, ...]
    bars: tuple[Bar, ...]
    # The id of the table that holds the same figures, on the same page.
    table_id: str = ""
    download_url: str = ""
    rows: tuple[Row, ...] = field(init=False)

    def __post_init__(self):
        self.key = slugify(self.key)
        most = max((bar.total for bar in self.bars), default=0) or 1
        room = WIDTH - LABEL_WIDTH - TOTAL_WIDTH
        rows = []
        for n, bar in enumerate(self.bars):
            y = TOP + n * (BAR_HEIGHT + GAP)
            x = float(LABEL_WIDTH)
            parts = []
            for series, value in zip(self.series, bar.values, strict=True):
                if not value:
                    continue
                width = room * value / most
                parts.append(Part(x, width, value, series.colour, series.label))
                x += width
            rows.append(Row(bar.label, y, tuple(parts), bar.total, x))
        self.rows = tuple(rows)

    @property
    def height(self) -> int:
        return TOP * 2 + max(len(self.bars), 1) * (BAR_HEIGHT + GAP)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1

    @property
    def is_empty(self) -> bool:
        return not any(bar.total for bar in self.bars)

    def svg(self, standalone: bool = False) -> str:
        return render_to_string(
            "hub/includes/bar_chart.svg", {"chart": self, "standalone": standalone}
        )


def stacked(key, title, summary, series: Sequence[Series], rows, **options) -> BarChart:
    """A chart from `rows` of (label, [value per series])."""
    bars = tuple(Bar(str(label), tuple(int(v) for v in values)) for label, values in rows)
    return BarChart(key, title, summary, tuple(series), bars, **options)


def single(key, title, summary, rows, colour: str = BLUE, label: str = "", **options) -> BarChart:
    """A chart of one series from `rows` of (label, value)."""
    return stacked(
        key,
        title,
        summary,
        [Series(label or title, colour)],
        [(k, [v]) for k, v in rows],
        **options,
    )


def download_response(request, *charts: BarChart) -> HttpResponse | None:
    """The chart asked for by `?chart=<key>` as an SVG file, or None when none was asked for."""
    wanted = request.GET.get("chart")
    for chart in charts:
        if chart is not None and chart.key == wanted:
            response = HttpResponse(chart.svg(standalone=True), content_type="image/svg+xml")
            response["Content-Disposition"] = f'attachment; filename="{chart.key}.svg"'
            return response
    return None


def with_download(request, chart: BarChart) -> BarChart:
    """The chart, with a link to download it from the page it is on (same filters)."""
    query = request.GET.copy()
    query["chart"] = chart.key
    chart.download_url = f"{request.path}?{query.urlencode()}"
    return chart


class ChartsMixin:
    """For an admin page that shows charts above its table: `get_charts()` builds them,
    `?chart=<key>` downloads one, and the page's table gets `table_id` for the charts' links."""

    table_id = "report-table"

    def get_charts(self) -> list[BarChart]:
        return []

    @cached_property
    def charts(self) -> list[BarChart]:
        return [with_download(self.request, chart) for chart in self.get_charts()]

    def get(self, request, *args, **kwargs):
        return download_response(request, *self.charts) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["charts"] = self.charts
        return context

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        kwargs["attrs"] = {**kwargs.get("attrs", {}), "id": self.table_id}
        return kwargs
