"""A newcomer's first visit: the home page, the skip link, signing in and out by keyboard alone,
and accessibility checked with axe-core at every step."""

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_focus_visible, focused, sign_in, tab_to

pytestmark = pytest.mark.browser


def test_newcomer_finds_the_home_page_and_skips_to_its_content(page, world):
    page.goto("/")
    assert page.title() == "Safeguarding Learning Hub"
    assert page.get_by_role("heading", level=1).count() == 1
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    assert_accessible(page)

    skip = tab_to(page, "Skip to main content", max_presses=1)
    assert skip["href"] == "#main-content"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    # The next Tab lands inside the main content, past the header's links.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert focused(page)["text"] == "sign in"


def test_practitioner_signs_in_and_out_with_the_keyboard_alone(page, world):
    page.goto("/")
    tab_to(page, "Sign in")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in/")
    assert_accessible(page)

    assert tab_to(page, "id_username")["tag"] == "input"
    page.keyboard.type("practitioner")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)

    assert page.evaluate("location.pathname") == "/"
    account = page.get_by_role("navigation", name="Your account")
    assert "Signed in as Pat Okafor" in account.inner_text()
    assert "You are signed in as Pat Okafor, Wirral Early Help." in page.inner_text("main")
    assert_accessible(page)

    tab_to(page, "Sign out")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.get_by_text("You have signed out.").wait_for()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    assert page.get_by_text("Signed in as").count() == 0
    assert_accessible(page)


def test_sign_in_errors_use_the_error_summary(page, world):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert summary.get_by_role("link").all_inner_texts() == [
        "Enter your username",
        "Enter your password",
    ]
    assert_accessible(page)

    page.get_by_label("Username").fill("practitioner")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Enter a correct username and password.").first.wait_for()
    assert page.title().startswith("Error: Sign in")
    assert "There is a problem" in summary.inner_text()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it first.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.get_by_text("Signed in as").count() == 0
    assert_accessible(page)

    # Each error links to the field to fix.
    summary.get_by_role("link").first.click()
    assert focused(page)["id"] == "id_username"


def test_public_pages_pass_axe_on_phones_and_desktops(page, world):
    """One test for many pages: each live-server test costs a database flush and reload."""
    for width in [320, 1280]:
        page.set_viewport_size({"width": width, "height": 900})
        for path in ["/", "/sign-in/", "/no-such-page/"]:
            page.goto(path)
            assert page.get_by_role("heading", level=1).count() == 1, path
            # Nothing is cut off or scrolls sideways at 320 CSS pixels (WCAG 1.4.10 reflow).
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
            assert_accessible(page)


def test_signed_in_pages_pass_axe(page, world):
    sign_in(page, "practitioner")
    for path in ["/", "/no-such-page/"]:
        page.goto(path)
        account = page.get_by_role("navigation", name="Your account")
        assert "Signed in as Pat Okafor" in account.inner_text(), path
        assert_accessible(page)
