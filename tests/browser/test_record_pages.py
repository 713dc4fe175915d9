"""The pages of single library records in a browser: from the library to a key finding, on to a
recommendation answering it and its review's report, and back by the breadcrumbs, by keyboard
only; axe on every one."""

import pytest

from partnership.access import SharingLevel
from reviews.models import Recommendation
from tests.learning.library_world import finding, library, review

from .helpers import assert_accessible, assert_focus_visible, sign_in, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def shelf(world):
    wirral = world.partnerships["Wirral"]
    library()
    library(wirral)
    report = review(wirral, SharingLevel.REGIONAL, "Wirral report regional", themes=["neglect"])
    found = finding(report, SharingLevel.REGIONAL, "Wirral finding regional", themes=["neglect"])
    found.practice_area = "assessment"
    found.save()
    for text, level in [
        ("Ask about every adult in the household.", SharingLevel.REGIONAL),
        ("Restricted recommendation for the panel.", SharingLevel.RESTRICTED),
    ]:
        answer = Recommendation.objects.create(review=report, text=text, sharing_level=level)
        answer.findings.set([found])
        answer.save()
    return report


def _h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_from_the_library_to_a_finding_and_on_by_keyboard(page, shelf):
    sign_in(page, "liverpool.practitioner")  # another partnership of the region
    page.goto("/library/?kind=finding")
    tab_to(page, "Wirral finding regional", max_presses=80)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/findings/*/")
    assert _h1(page) == "Wirral finding regional"
    main = page.inner_text("main")
    assert "assessment" in main and "Neglect" in main
    assert "Restricted recommendation" not in page.content()
    assert_accessible(page)

    tab_to(page, "Ask about every adult in the household.", max_presses=80)
    page.keyboard.press("Enter")
    page.wait_for_url("**/recommendations/*/")
    assert _h1(page) == "Ask about every adult in the household."
    assert_accessible(page)

    tab_to(page, "Wirral report regional", max_presses=80)
    page.keyboard.press("Enter")
    page.wait_for_url("**/review-reports/*/")
    assert _h1(page) == "Wirral report regional"
    assert "Wirral finding regional" in page.inner_text("main")
    assert_accessible(page)

    # Back up by the breadcrumbs: the region's library, then Wirral's (the report's own).
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    assert crumbs.all_inner_texts() == ["Home", "Library library", "Library library-wirral"]
    tab_to(page, "Library library", max_presses=80)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/library/")
    assert _h1(page) == "Library library"


def test_the_pages_pass_axe_on_a_phone(page, shelf):
    page.set_viewport_size({"width": 320, "height": 900})
    sign_in(page, "practitioner")
    page.goto("/library/?kind=report")
    page.get_by_role("link", name="Wirral report regional").click()
    page.wait_for_url("**/review-reports/*/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert "Restricted recommendation" not in page.content()
    assert_accessible(page)
