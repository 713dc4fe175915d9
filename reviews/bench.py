"""`make bench`'s import row: a tracker of fictional findings, imported through the pipeline.

The file is written the way a partnership's tracker is (themes and agencies by name, a shared
recommendation on several rows) and goes through `import_findings` as an admin upload's task
does, so that the time and memory measured are those of the real path."""

from __future__ import annotations

import csv
import io
import resource
import time

from django.db import connection
from django.test.utils import override_settings

from partnership.models import Agency, Partnership, Sector, Theme

from .models import Finding, Review, ReviewType

BENCH_PREFIX = "BENCH-IMP-"
FINDINGS_PER_REVIEW = 100
TARGET_SECONDS = 60.0

_OPENINGS = (
    "The referral was not followed up within the agreed timescale.",
    "Information held by one agency was not shared with the others at the strategy meeting.",
    "Professional curiosity about who else lived in the home was missing.",
    "The voice of the child was not recorded in the assessment.",
    "Supervision did not challenge the drift in the plan.",
)


def findings_file(rows: int) -> bytes:
    """A CSV of `rows` fictional findings over the bench's reviews, made if they are missing."""
    partnership = Partnership.objects.order_by("pk").first()
    if partnership is None:
        from partnership import demo

        demo.build(demo.World(), scale=1)
        partnership = Partnership.objects.order_by("pk").first()
    review_count = max(1, rows // FINDINGS_PER_REVIEW)
    wanted = [f"{BENCH_PREFIX}{n:05d}" for n in range(review_count)]
    have = set(Review.objects.filter(reference__in=wanted).values_list("reference", flat=True))
    Review.objects.bulk_create(
        Review(
            reference=reference,
            review_type=ReviewType.MULTI_AGENCY_AUDIT,
            title=f"Bench audit {reference}",
            lead_partnership=partnership,
            live=True,
        )
        for reference in wanted
        if reference not in have
    )
    themes = list(Theme.objects.order_by("pk").values_list("name", flat=True)[:8]) or [""]
    sectors = [label for value, label in Sector.choices if value != Sector.POLICE][:3]
    if not Agency.objects.filter(partnership=partnership).exists():
        sectors = [""]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["review_reference", "finding", "recommendation", "themes", "agencies", "sharing_level"]
    )
    for n in range(rows):
        reference = wanted[n % review_count]
        writer.writerow(
            [
                reference,
                f"{_OPENINGS[n % len(_OPENINGS)]} Bench finding {n} of {reference}.",
                f"Audit practice against finding group {n % 7} in {reference}.",
                "; ".join({themes[n % len(themes)], themes[(n // 3) % len(themes)]}),
                sectors[n % len(sectors)],
                "Partnership" if n % 5 else "Regional",
            ]
        )
    return out.getvalue().encode()


class _QueryCounter:
    """Counts statements without keeping their text (bulk inserts are large)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def bench_import_findings(rows: int = 50_000) -> dict:
    """Import `rows` fictional findings into reviews that have none, then the same file again
    (every row an update that changes nothing), and report the first run against the target:
    its time to commit, its time until the search indexes have caught up (the whole run), its
    statements, and the process's peak memory above what it held before the import."""
    from .imports import import_findings

    Finding.objects.filter(review__reference__startswith=BENCH_PREFIX).delete()
    data = findings_file(rows)
    steps: list[tuple[float, str, int, int]] = []
    started = time.monotonic()

    def progress(stage, done, total):
        steps.append((time.monotonic() - started, stage, done, total))

    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    counter = _QueryCounter()
    with (
        override_settings(HUB_IMPORT_MAX_ROWS=max(rows, 100_000)),
        connection.execute_wrapper(counter),
    ):
        started = time.monotonic()
        result = import_findings(data, name="bench.csv", progress=progress)
        seconds = time.monotonic() - started
    maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if not result.ok:
        raise RuntimeError("; ".join(str(e) for e in result.errors[:5]))
    saved = [at for at, stage, done, total in steps if stage == "committed"]
    checked = [at for at, stage, done, total in steps if stage == "checked" and done == total]
    again_started = time.monotonic()
    with override_settings(HUB_IMPORT_MAX_ROWS=max(rows, 100_000)):
        again = import_findings(data, name="bench.csv")
    return {
        "rows": rows,
        "database": connection.vendor,
        "file_mb": round(len(data) / 2**20, 1),
        "seconds": round(seconds, 1),
        "checked_seconds": round(checked[-1], 1) if checked else None,
        "saved_seconds": round(saved[-1], 1) if saved else None,
        "rows_per_second": round(rows / seconds) if seconds else None,
        "queries": counter.count,
        "max_rss_delta_mb": round((maxrss_after - maxrss_before) / 1024),
        "summary": result.summary(),
        "second_seconds": round(time.monotonic() - again_started, 1),
        "second_summary": again.summary(),
        "progress_reports": len(steps),
        "target_seconds": TARGET_SECONDS,
        "met": bool(saved) and saved[-1] < TARGET_SECONDS,
    }
