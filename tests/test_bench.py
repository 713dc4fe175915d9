"""The parts of `make bench` that can be checked without a server: how it counts and reports."""

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from bench import run, targets
from bench.load import Measurement
from bench.pages import PAGES, Page, one_at_a_time
from config.bench import QueryCountMiddleware


def test_query_count_header_counts_the_queries_a_request_made(db):
    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Hub-Queries"] == "2"


def _measured(rps, queries, latencies_ms=(10,)):
    return Measurement(
        requests=int(rps), seconds=1.0, latencies=[m / 1000 for m in latencies_ms], queries=queries
    )


def _verdicts(page, result, solo=None, ceiling=None) -> str:
    return "; ".join(targets.verdicts(page, result, solo, ceiling))


def test_cached_anonymous_pages_are_held_to_half_the_minimal_view():
    ceiling = _measured(1000, [0])
    page = Page("Home", "/", cached=True)
    assert _verdicts(page, _measured(500, [0]), ceiling=ceiling) == "met: 50.0% of minimal (>= 50%)"
    assert _verdicts(page, _measured(499, [0]), ceiling=ceiling).startswith("NOT MET")


def test_the_minimal_view_is_held_to_one_and_a_half_times_its_old_speed():
    page = PAGES[0]
    assert _verdicts(page, _measured(2627, [0])).startswith("met: 1.50x")
    assert _verdicts(page, _measured(2600, [0])).startswith("NOT MET")


def test_signed_in_pages_are_held_to_queries_share_and_latency_alone():
    ceiling = _measured(1000, [0])
    page = Page("Home", "/", who="practitioner")
    fine = _verdicts(page, _measured(150, [12, 15]), _measured(20, [15], [100] * 20), ceiling)
    assert fine == (
        "met: <= 15 queries; met: 15.0% of minimal (>= 15%); met: p95 alone 100 ms (< 150)"
    )
    assert "NOT MET: <= 15 queries" in _verdicts(page, _measured(150, [16]), None, ceiling)
    assert "NOT MET: 14.9% of minimal" in _verdicts(page, _measured(149, [1]), None, ceiling)
    slow = _measured(20, [1], [100] * 10 + [160] * 10)
    assert "NOT MET: p95 alone 160 ms" in _verdicts(page, _measured(150, [1]), slow, ceiling)


def test_admin_pages_are_held_to_a_median_under_100_ms_alone():
    page = Page("Reviews dashboard", "/admin/reviews/dashboard/", who="manager")
    assert targets.needs_solo(page)
    alone = _measured(10, [1], [99] * 10)
    assert "met: p50 alone 99 ms (< 100)" in _verdicts(page, _measured(10, [1]), alone)
    alone = _measured(10, [1], [101] * 10)
    assert "NOT MET: p50 alone 101 ms (< 100)" in _verdicts(page, _measured(10, [1]), alone)


def test_search_one_at_a_time_is_held_to_the_latency_target():
    page = one_at_a_time("Search", "/search/?q=neglect")
    assert page.concurrency == 1 and page.latency_ms == (50.0, 150.0)
    assert not targets.needs_solo(page)

    def timed(*ms):
        return _measured(len(ms), [7], ms)

    assert _verdicts(page, timed(*[40] * 15, *[140] * 5)).endswith(
        "; met: p50 40 ms (< 50); met: p95 140 ms (< 150)"
    )
    # Each target has its own verdict: the table says which one was missed.
    assert "NOT MET: p50 55 ms (< 50); met: p95" in _verdicts(page, timed(*[55] * 20))
    assert "NOT MET: p95 160 ms (< 150)" in _verdicts(page, timed(*[40] * 10, *[160] * 10))


def test_worker_memory_and_the_reminder_job_have_their_verdicts():
    assert targets.memory_line([120.4, 299.0]).endswith("(met: < 300 MB each)")
    assert "NOT MET" in targets.memory_line([120.0, 301.0])
    assert targets.reminder_verdict(24.2, 170) == "met: 24.2 s (< 30 s); met: 170 MB (< 250 MB)"
    assert targets.reminder_verdict(31, 251).count("NOT MET") == 2


def test_the_registry_starts_with_the_ceiling():
    assert PAGES[0].ceiling and PAGES[0].path == "/bench/minimal/"


def test_only_times_the_pages_whose_name_or_path_matches_and_keeps_the_ceiling():
    chosen = run.select_pages(PAGES, ["DASHBOARD", "learning-embedded"])
    assert chosen[0].ceiling
    assert [p.path for p in chosen[1:]] == [
        "/admin/reviews/dashboard/",
        "/admin/reports/learning/learning-embedded/",
    ]
    assert run.select_pages(PAGES, []) == PAGES
    assert run.select_pages(PAGES, ["no such page"]) == []


def test_the_import_line_is_held_to_sixty_seconds_to_commit():
    result = {
        "rows": 50_000,
        "file_mb": 8.9,
        "database": "postgresql",
        "checked_seconds": 6.0,
        "saved_seconds": 41.5,
        "seconds": 70.2,
        "queries": 2_210,
        "max_rss_delta_mb": 180,
        "second_seconds": 30.0,
        "second_summary": "50000 findings imported (0 new, 50000 updated)",
    }
    assert "written and committed at 41.5 s (met: < 60 s)" in run._import_line(result)
    assert "NOT MET: < 60 s" in run._import_line({**result, "saved_seconds": 61.0})


def test_import_only_rewrites_just_its_own_facts_line():
    results = "# Results\n\n- date: today\n- load: some\n\n| page |\n"
    once = run._with_fact(results, f"- {run.IMPORT_FACT}: first")
    assert "- load: some\n- findings import: first\n\n| page |" in once
    twice = run._with_fact(once, f"- {run.IMPORT_FACT}: second")
    assert "first" not in twice and twice.count(f"- {run.IMPORT_FACT}:") == 1
