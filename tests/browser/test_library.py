"""The learning library in a browser: a public visitor sees only public learning, the filters
work without JavaScript, the quick exit leaves by keyboard, and every page type passes axe."""

import pytest

from partnership.access import SharingLevel
from tests.learning.library_world import briefing, finding, library, review

from .helpers import assert_accessible, assert_focus_visible, sign_in, tab_to

pytestmark = pytest.mark.browser

EXIT_URL = "https://www.bbc.co.uk/weather"


@pytest.fixture
def shelves(world):
    wirral, liverpool = world.partnerships["Wirral"], world.partnerships["Liverpool"]
    region = library()
    # Each partnership's briefings live in its own library (a briefing belongs to its library's).
    libraries = {"Wirral": library(wirral), "Liverpool": library(liverpool)}
    for short, partnership in [("Wirral", wirral), ("Liverpool", liverpool)]:
        for level in [SharingLevel.PUBLIC, SharingLevel.REGIONAL, SharingLevel.PARTNERSHIP]:
            briefing(
                libraries[short],
                partnership,
                level,
                f"{short} briefing {level}",
                themes=["neglect"],
            )
            report = review(partnership, level, f"{short} report {level}", themes=["neglect"])
            finding(report, level, f"{short} finding {level}", themes=["neglect"])
    return region


def _listed(page) -> set[str]:
    return set(page.locator("main h3").all_inner_texts())


def test_a_public_visitor_sees_only_public_learning(page, shelves):
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Library").click()
    page.wait_for_url("**/library/")
    assert page.get_by_role("heading", level=1).inner_text() == "Library library"
    assert _listed(page) == {
        f"{short} {kind} public"
        for short in ["Wirral", "Liverpool"]
        for kind in ["briefing", "report", "finding"]
    }
    assert "6 results" in page.inner_text("main")
    assert_accessible(page)

    # The filters are a plain GET form.
    page.get_by_label("Type of learning").select_option("report")
    page.get_by_label("Partnership").select_option(
        label="Liverpool Safeguarding Children Partnership"
    )
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/library/?*kind=report*")
    assert _listed(page) == {"Liverpool report public"}

    page.get_by_role("link", name="Neglect").first.click()
    page.wait_for_url("**/themes/neglect/")
    assert page.get_by_role("heading", level=1).inner_text() == "Neglect"
    assert "graded care profile" in page.inner_text("main")
    assert all(title.endswith("public") for title in _listed(page))
    assert len(_listed(page)) == 6
    assert_accessible(page)


def test_a_member_sees_regional_learning_and_the_pages_pass_axe(page, shelves):
    sign_in(page, "practitioner")
    page.goto("/library/")
    listed = _listed(page)
    assert "Liverpool briefing regional" in listed and "Wirral finding partnership" in listed
    assert "Liverpool report partnership" not in listed
    assert_accessible(page)
    page.goto("/themes/neglect/")
    assert_accessible(page)


def test_accessibility_statement_is_linked_from_every_page_and_passes_axe(page, world):
    for width in [320, 1280]:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        page.get_by_role("link", name="Accessibility statement").click()
        page.wait_for_url("**/accessibility/")
        assert page.get_by_role("heading", level=1).inner_text() == "Accessibility statement"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)


@pytest.fixture
def neutral_site(page):
    """Answer the exit URL without the network, and record that the browser went there."""
    visits = []

    def answer(route):
        visits.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>")

    page.route(EXIT_URL + "*", answer)
    return visits


def test_quick_exit_by_keyboard(page, world, neutral_site):
    page.goto("/accessibility/")
    before = page.evaluate("history.length")
    # Straight after the skip link: the first thing a keyboard user reaches.
    assert tab_to(page, "exit-this-page", max_presses=2)["href"] == EXIT_URL
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)
    assert neutral_site == [EXIT_URL]
    # The page was replaced, not added to: Back does not return to it.
    assert page.evaluate("history.length") == before


def test_quick_exit_by_pressing_shift_three_times(page, world, neutral_site):
    page.goto("/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    assert neutral_site == [EXIT_URL]


def test_quick_exit_is_a_plain_link_without_javascript(browser, hub, world):
    context = browser.new_context(base_url=hub.url, java_script_enabled=False)
    tab = context.new_page()
    visits = []

    def answer(route):
        visits.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="Weather")

    tab.route(EXIT_URL + "*", answer)
    tab.goto("/")
    link = tab.get_by_role("button", name="Emergency Exit this page")
    assert link.get_attribute("rel") == "nofollow noreferrer"
    link.click()
    tab.wait_for_url(EXIT_URL)
    assert visits == [EXIT_URL]
    context.close()
