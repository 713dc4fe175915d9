"""What `make bench` measures. Each issue that adds a page adds its line here.

`who` is ANONYMOUS or the username of a demo account (see partnership/demo.py), signed in once
through the sign-in page. `cached` says the page is a Wagtail page that anonymous visitors get from
the page cache, so it is held to the throughput target.
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


PAGES = [
    Page("Minimal Django view (ceiling)", "/bench/minimal/", ceiling=True),
    Page("Home", "/", cached=True),
    Page("Home", "/", who="practitioner"),
    Page("Sign in", "/sign-in/"),
    Page("Reviews dashboard", "/admin/reviews/dashboard/", who="manager"),
    Page("Reviews listing (admin)", "/admin/snippets/reviews/review/", who="reviewer"),
    Page("My actions", "/my-actions/", who="agencylead"),
    Page("Actions report (admin)", "/admin/reports/learning/actions/", who="qa"),
    Page(
        "Learning embedded funnel (admin)", "/admin/reports/learning/learning-embedded/", who="qa"
    ),
    # Private to the reader (never in the page cache): what it lists differs by who reads it.
    Page("Learning library (region)", "/library/"),
    Page("Learning library (region)", "/library/", who="practitioner"),
    Page("Theme page", "/themes/neglect/", who="practitioner"),
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
]
