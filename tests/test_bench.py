"""The parts of `make bench` that can be checked without a server: how it counts and reports."""

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from bench import run
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


def _measured(rps, queries):
    return Measurement(requests=int(rps), seconds=1.0, latencies=[0.01], queries=queries)


def test_cached_anonymous_pages_are_held_to_half_the_ceiling():
    ceiling = _measured(1000, [0])
    page = Page("Home", "/", cached=True)
    assert run._verdict(page, _measured(500, [0]), ceiling).startswith("met")
    assert run._verdict(page, _measured(499, [0]), ceiling).startswith("NOT MET")


def test_signed_in_pages_are_held_to_fifteen_queries_at_most():
    page = Page("Home", "/", who="practitioner")
    assert run._verdict(page, _measured(10, [12, 15]), None).startswith("met")
    assert run._verdict(page, _measured(10, [12, 16]), None).startswith("NOT MET")


def test_search_one_at_a_time_is_held_to_the_latency_target():
    page = one_at_a_time("Search", "/search/?q=neglect")
    assert page.concurrency == 1 and page.latency_ms == (50.0, 150.0)

    def timed(*ms):
        return Measurement(
            requests=len(ms), seconds=1.0, latencies=[m / 1000 for m in ms], queries=[7]
        )

    assert run._verdict(page, timed(*[40] * 19, 140), None).endswith(
        "; met: p50 < 50 ms; met: p95 < 150 ms"
    )
    # Each target has its own verdict: the table says which one was missed.
    assert run._verdict(page, timed(*[55] * 20), None).endswith(
        "; NOT MET: p50 < 50 ms; met: p95 < 150 ms"
    )
    assert "NOT MET: p95 < 150 ms" in run._verdict(page, timed(*[40] * 10, *[160] * 10), None)


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
