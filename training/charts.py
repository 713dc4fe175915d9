"""Training's reach as a picture (`hub.charts`): who attended, by agency, from the attendance
report's own rows."""

from __future__ import annotations

from hub import charts

MOST_BARS = 15

SERIES = (
    charts.Series("Attended", charts.GREEN),
    charts.Series("Did not attend", charts.RED),
    charts.Series("Cancelled late", charts.AMBER),
)


def attendance_by_agency(rows, *, table_id: str = "") -> charts.BarChart:
    """Stacked bars of attended, did not attend and cancelled late, the agencies with most
    delegates first."""
    rows = sorted(rows, key=lambda row: -row["booked"])[:MOST_BARS]
    attended = sum(row["attended"] for row in rows)
    return charts.stacked(
        "training-reach-by-agency",
        "Training attendance by agency",
        f"{attended} delegates attended in the {len(rows)} agencies with most places. Each bar "
        "is an agency, its parts those who attended, did not attend and cancelled late.",
        SERIES,
        [
            (
                row["agency__name"] or "No agency",
                [row["attended"], row["did_not_attend"], row["cancelled_late"]],
            )
            for row in rows
        ],
        table_id=table_id,
    )
