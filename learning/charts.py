"""Learning's figures as pictures (`hub.charts`): RAG by agency on the actions report, the
learning-embedded funnel, and reach of briefings by agency. Each is drawn from the same numbers
as the table beside it, never counted again."""

from __future__ import annotations

from hub import charts

from .models import RAG

RAG_COLOURS = {
    RAG.RED: charts.RED,
    RAG.AMBER: charts.AMBER,
    RAG.GREEN: charts.GREEN,
    RAG.BLUE: charts.BLUE,
    RAG.GREY: charts.GREY,
}
# Enough agencies for a picture; the table holds every one.
MOST_BARS = 15


def rag_by_agency(table, *, table_id: str = "") -> charts.BarChart:
    """The actions report's "by owner agency and RAG" table as stacked bars, busiest first."""
    series = [charts.Series(label, RAG_COLOURS[value]) for value, label in table.columns]
    rows = sorted(table.rows, key=lambda row: (-row["total"], row["agency"] or ""))
    late = table.totals.get(RAG.RED, 0)
    shown = ""
    if len(rows) > MOST_BARS:
        shown = f"The {MOST_BARS} agencies with most actions are shown. "
    return charts.stacked(
        "rag-by-agency",
        "Actions by owner agency and RAG rating",
        f"{table.total} actions; {late} red (overdue). {shown}"
        "Each bar is an agency, its parts the actions at each rating.",
        series,
        [(row["agency"] or "No agency", row["cells"]) for row in rows[:MOST_BARS]],
        table_id=table_id,
    )


def funnel_stages(total, *, table_id: str = "") -> charts.BarChart:
    """From recommendation to embedded learning: one bar per stage."""
    stages = list(total.stages)
    first, last = stages[0][1], stages[-1][1]
    return charts.single(
        "learning-embedded",
        "From recommendation to embedded learning",
        f"{first} recommendations, of which {last} are embedded. "
        "Each bar is a stage, from recommendations made to learning embedded.",
        stages,
        colour=charts.GREEN,
        label="Recommendations",
        table_id=table_id,
    )


def briefing_reach_by_agency(agencies, *, table_id: str = "") -> charts.BarChart:
    """Readings of briefings by agency (`learning.briefings.reach_by_agency`, busiest first)."""
    rows = [(agency.name, agency.readings) for agency in agencies[:MOST_BARS]]
    return charts.single(
        "briefing-reach-by-agency",
        "Briefings read, by agency",
        f"Readings in the {len(rows)} agencies whose people read most. "
        "Each bar is an agency, its length the briefings its people marked read.",
        rows,
        colour=charts.PURPLE,
        label="Readings",
        table_id=table_id,
    )
