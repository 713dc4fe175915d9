"""The Content-Security-Policy in a real browser: the site's home and search pages and the admin's
review editor load and work with nothing refused. Chromium reports each refusal both as a
console error and as a `securitypolicyviolation` event; the tests collect both."""

import pytest

from partnership.access import SharingLevel
from tests.reviews.conftest import make_admin_review

from .helpers import sign_in

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} refused ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def violations(page):
    """Every CSP refusal on the tab so far, from its console and its violation events."""
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(LISTEN)

    def collect():
        return console + page.evaluate("window.__cspViolations || []")

    return collect


def test_the_site_home_and_search_pages_break_no_rule(page, world, violations):
    response = page.goto("/")
    # django-csp does not keep the directives in a fixed order, so read them as a mapping.
    directives = dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
        if part.strip()
    )
    assert directives["script-src"] == "'self'"
    # GOV.UK Frontend's scripts ran: they come from files, which the policy allows.
    assert "js-enabled" in page.evaluate("document.body.className")
    page.goto("/search/?q=neglect")
    page.goto("/sign-in/")
    assert violations() == []


def test_the_home_page_signed_in_with_the_user_bar_breaks_no_rule(page, world, violations):
    sign_in(page, "reviewer")
    assert "content-security-policy" in page.goto("/").headers
    page.locator("wagtail-userbar").wait_for(state="attached")
    assert violations() == []


def test_the_admin_review_editor_works_and_breaks_no_rule(page, people, wirral, violations):
    review = make_admin_review(
        wirral, "WIR-RR-2026-31", SharingLevel.RESTRICTED, panel=[people["reviewer"]]
    )
    sign_in(page, "reviewer")
    response = page.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    page.wait_for_selector("ul.tagit li.tagit-new input[aria-label]")
    page.get_by_role("tab", name="Findings").click()
    page.get_by_role("button", name="Add finding").click()
    page.locator("#id_findings-1-title").fill("Supervision did not test the plan")
    page.get_by_role("tab", name="Review").click()
    page.goto("/admin/")
    assert violations() == []
