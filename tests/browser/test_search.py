"""Search in a browser, by keyboard only: the box in the header of every page, results with
highlighted snippets, checkbox filters that work as a plain GET form, and axe on every state."""

import pytest

from search import sources
from search.engines import get_engine
from tests.search.corpus import build

from .helpers import assert_accessible, assert_focus_visible, sign_in, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed(world):
    build(world)
    get_engine().rebuild(sources.all_documents())


def test_a_practitioner_searches_and_filters_by_keyboard(page, indexed):
    sign_in(page, "practitioner")
    page.goto("/")
    tab_to(page, "site-search")
    assert_focus_visible(page)
    page.keyboard.type("CSE")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=CSE")
    main = page.inner_text("main")
    assert "3 results" in main
    assert "Also searched for:" in main and "grooming" in main
    assert "Zebedee" not in page.content()
    assert page.locator("main mark").count() > 0
    assert_accessible(page)

    tab_to(page, "type-finding")
    assert_focus_visible(page)
    page.keyboard.press("Space")
    tab_to(page, "Apply filters")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?*type=finding*")
    assert "2 results" in page.inner_text("main")
    assert page.locator("#type-finding").is_checked()
    assert_accessible(page)


def test_the_empty_page_and_no_results_pass_axe(page, indexed):
    page.goto("/search/")
    assert "Start from a theme" in page.inner_text("main")
    assert_accessible(page)
    page.goto("/search/?q=neglekt")
    assert "Did you mean" in page.inner_text("main")
    assert_accessible(page)
