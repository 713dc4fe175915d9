"""What `make bench` measures. Each issue that adds a page adds its line here.

`who` is ANONYMOUS or the username of a demo account (see partnership/demo.py), signed in once
through the sign-in page. `cached` says the page is a Wagtail page that anonymous visitors get from
the page cache, so it is held to the anonymous throughput target (bench/targets.py says every
target). `concurrency` overrides the run's number
of simultaneous requests for this page; `latency_ms` holds it to a median and a 95th percentile.
"""

from dataclasses import dataclass

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str = ANONYMOUS
    cached: bool = False
    ceiling: bool = False
    concurrency: int | None = None
    latency_ms: tuple[float, float] | None = None


# Issue 7: with 50,000 findings and 5,000 briefings, a search request's median under 50 ms and its
# 95th percentile under 150 ms, read on requests one at a time: the time a practitioner waits.
SEARCH_LATENCY_MS = (50.0, 150.0)


def one_at_a_time(name: str, path: str) -> "Page":
    return Page(
        f"{name} (one at a time)",
        path,
        who="practitioner",
        concurrency=1,
        latency_ms=SEARCH_LATENCY_MS,
    )


PAGES = [
    Page("Minimal Django view (ceiling)", "/bench/minimal/", ceiling=True),
    Page("Home", "/", cached=True),
    Page("Home", "/", who="practitioner"),
    # What needs me (issue 19): each person's home, on the site and in the admin.
    Page("Home", "/", who="agencylead"),
    Page("Home", "/", who="exec"),
    Page("Admin home", "/admin/", who="trainer"),
    Page("Admin home", "/admin/", who="qa"),
    Page("Admin home", "/admin/", who="reviewer"),
    Page("Admin home", "/admin/", who="manager"),
    Page("Admin home", "/admin/", who="scrutineer"),
    Page("Sign in", "/sign-in/"),
    Page("Reviews dashboard", "/admin/reviews/dashboard/", who="manager"),
    Page("Reviews listing (admin)", "/admin/snippets/reviews/review/", who="reviewer"),
    Page("My actions", "/my-actions/", who="agencylead"),
    Page("Actions report (admin)", "/admin/reports/learning/actions/", who="qa"),
    Page(
        "Learning embedded funnel (admin)", "/admin/reports/learning/learning-embedded/", who="qa"
    ),
    # Issue 20: a cycle's heat map over 500 agencies' returns, within the query limit.
    Page("Self-assessment heat map (500 returns)", "/self-assessment/cycles/BENCH-S11/", who="qa"),
    # Visitors get listings from the page cache; a signed-in reader's list is built once per
    # audience (hub.audience_cache) inside a page of their own.
    Page("Learning library (region)", "/library/", cached=True),
    Page("Learning library (region)", "/library/", who="practitioner"),
    Page("Learning library (Wirral)", "/library-wirral/", who="practitioner"),
    Page("Theme page", "/themes/neglect/", cached=True),
    Page("Theme page", "/themes/neglect/", who="practitioner"),
    Page("Public feed", "/feeds/public/", cached=True),
    # A regional briefing read by a practitioner (answered per reader), and a public one that
    # visitors get from the page cache. At scale the libraries hold 100 x scale briefings more.
    Page("Learning briefing", "/library-wirral/bruising-in-non-mobile-babies/", who="practitioner"),
    Page("Learning briefing (public)", "/library-wirral/safer-sleep-every-contact/", cached=True),
    # Training: the course list and a course's page (a booking empties the cache's copies), and
    # the booking request itself.
    Page("Course list", "/courses/", cached=True),
    Page("Course page", "/courses/course-0000/", cached=True),
    Page("Course list", "/courses/", who="practitioner"),
    Page("Course page", "/courses/course-0000/", who="practitioner"),
    # The real booking view under load: each thread POSTs the booking form of its own session of
    # course-0000 (a Wirral course open to the region, built by training.demo_courses at scale),
    # which books a place or joins the waiting list, then cancels it through the cancel form,
    # untimed, so the next POST books again. See bench.load.measure_booking.
    Page("Booking request (POST)", "POST /courses/course-0000/", who="practitioner"),
    # Search over 50,000 findings and 5,000 briefings at scale 50: typical queries, a synonym
    # expansion, filters, and the JSON API.
    Page("Search: one word", "/search/?q=neglect", who="practitioner"),
    Page("Search: synonyms", "/search/?q=toxic+trio", who="practitioner"),
    Page(
        "Search: filtered, by date",
        "/search/?q=domestic+abuse&type=finding&agency=police&sort=date",
        who="practitioner",
    ),
    Page("Search API", "/api/search/?q=CSE", who="practitioner"),
    # The same kinds of search one at a time, held to the latency target; the rows
    # above show what four simultaneous searches on two cores cost each other.
    one_at_a_time("Search: one word", "/search/?q=neglect"),
    one_at_a_time("Search: synonyms", "/search/?q=toxic+trio"),
    one_at_a_time("Search: two words", "/search/?q=bruising+baby"),
    one_at_a_time("Search: filtered, by date", "/search/?q=domestic+abuse&type=finding&sort=date"),
    one_at_a_time("Search API", "/api/search/?q=CSE"),
]
