"""What `make bench` holds the Hub to (issue 18), and the verdict on each: "met" or "NOT MET" with
the figures. Throughput is read as a share of the minimal Django view measured in the same run,
so a busy machine slows the page and its yardstick alike.

- the minimal view itself: at least 1.5x what it served before the page cache stopped asking the
  cache on every path (1,751 req/s on this kind of machine);
- anonymous pages and listings from the page cache: at least 50% of the minimal view;
- every signed-in page: at least 15% of the minimal view at the run's concurrency, at most 15
  queries, and a 95th percentile under 150 ms one request at a time;
- admin reports and dashboards, besides: a median under 100 ms one at a time;
- each gunicorn worker under 300 MB resident after the run; the reminder job under 30 s and
  250 MB over 100,000 open actions.
"""

from __future__ import annotations

from pathlib import Path

from .load import Measurement
from .pages import ANONYMOUS, Page

MINIMAL_BEFORE_RPS = 1751
MINIMAL_GAIN = 1.5
CACHED_SHARE = 0.50
SIGNED_IN_SHARE = 0.15
QUERY_LIMIT = 15
SOLO_P95_MS = 150.0
ADMIN_SOLO_P50_MS = 100.0
WORKER_RSS_MB = 300
REMINDER_SECONDS = 30
REMINDER_MB = 250


def mark(met: bool, what: str) -> str:
    return f"{'met' if met else 'NOT MET'}: {what}"


def is_signed_in(page: Page) -> bool:
    return page.who != ANONYMOUS


def is_admin(page: Page) -> bool:
    return page.path.removeprefix("POST ").startswith("/admin/")


def needs_solo(page: Page) -> bool:
    """Signed-in pages measured under load are timed again one request at a time."""
    return is_signed_in(page) and (page.concurrency or 0) != 1 and not page.path.startswith("POST")


def verdicts(
    page: Page, result: Measurement, solo: Measurement | None, ceiling: Measurement | None
) -> list[str]:
    """Each target that applies to `page`, on its own, so the table says which one was missed."""
    if result.errors:
        return [f"errors: {result.errors}"]
    found = []
    share = result.rps / ceiling.rps if ceiling is not None and ceiling.rps else 0.0
    if page.ceiling:
        gain = result.rps / MINIMAL_BEFORE_RPS
        found.append(mark(gain >= MINIMAL_GAIN, f"{gain:.2f}x {MINIMAL_BEFORE_RPS:,} (>= 1.5x)"))
    elif page.cached:
        found.append(mark(share >= CACHED_SHARE, f"{share:.1%} of minimal (>= 50%)"))
    if is_signed_in(page):
        top = result.max_queries
        found.append(mark(top is not None and top <= QUERY_LIMIT, f"<= {QUERY_LIMIT} queries"))
        if not page.path.startswith("POST") and (page.concurrency or 0) != 1:
            found.append(mark(share >= SIGNED_IN_SHARE, f"{share:.1%} of minimal (>= 15%)"))
        alone = result if (page.concurrency or 0) == 1 else solo
        if alone is not None and not page.latency_ms:
            p95 = alone.percentile_ms(95)
            found.append(mark(p95 < SOLO_P95_MS, f"p95 alone {p95:.0f} ms (< 150)"))
            if is_admin(page):
                p50 = alone.percentile_ms(50)
                found.append(mark(p50 < ADMIN_SOLO_P50_MS, f"p50 alone {p50:.0f} ms (< 100)"))
    if page.latency_ms:
        for percentile, target in zip((50, 95), page.latency_ms, strict=True):
            taken = result.percentile_ms(percentile)
            found.append(mark(taken < target, f"p{percentile} {taken:.0f} ms (< {target:g})"))
    return found


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each of gunicorn's workers (the master's children), in MB."""
    sizes = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    try:
        pids = children.read_text().split()
    except OSError:
        return sizes
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return sizes


def memory_line(sizes: list[float]) -> str:
    if not sizes:
        return "not read (no /proc)"
    shown = ", ".join(f"{size:.0f} MB" for size in sizes)
    return f"{shown} resident after the run ({mark(max(sizes) < WORKER_RSS_MB, '< 300 MB each')})"


def reminder_verdict(seconds: float, peak_mb: float) -> str:
    return (
        f"{mark(seconds < REMINDER_SECONDS, f'{seconds:.1f} s (< 30 s)')}; "
        f"{mark(peak_mb < REMINDER_MB, f'{peak_mb:.0f} MB (< 250 MB)')}"
    )
