"""A panel member reads a review's timeline in its editor and marks a milestone done, with the
keyboard alone; axe finds no violation on the timeline or on the mark-done page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnership.access import SharingLevel
from reviews.models import Milestone
from tests.reviews.conftest import make_admin_review

from .helpers import assert_focus_visible, focused

pytestmark = pytest.mark.browser


def tab_to_link(page, name: str, max_presses: int = 20) -> None:
    """Tab until the focused link's text, as a screen reader reads it (the visually hidden part
    included, whitespace folded), is `name`."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if " ".join(focused(page)["text"].split()).replace(" :", ":") == name:
            return
    pytest.fail(f"{name!r} is not reachable with Tab", pytrace=False)


def test_reviewer_marks_a_milestone_done_from_the_timeline_by_keyboard(
    people, wirral, page, sign_in, assert_accessible, tab_to
):
    aware = timezone.localdate() - timedelta(days=40)
    review = make_admin_review(
        wirral,
        "WIR-RR-2026-41",
        SharingLevel.RESTRICTED,
        panel=[people["reviewer"]],
        aware_date=aware,
        notification_date=aware,
    )
    sign_in(page, "reviewer")
    page.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/#tab-timeline")
    # The editor's scripts have run once the tag field is built (hidden: another tab is open).
    page.wait_for_selector("ul.tagit li.tagit-new input[aria-label]", state="attached")
    timeline = page.locator("#tab-timeline")
    expect(timeline).to_be_visible()
    assert "days overdue" in timeline.locator('tr[data-milestone="agency_letters"]').inner_text()
    assert "Statutory" in timeline.locator('tr[data-milestone="rapid_review"]').inner_text()
    assert_accessible(page)

    page.get_by_role("tab", name="Timeline").focus()
    tab_to_link(page, "Mark done: Letters to agencies")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Mark a milestone done").count()
    assert_accessible(page)

    assert tab_to(page, "id_day")["tag"] == "input"
    page.keyboard.press("Control+A")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.keyboard.type(yesterday.strftime("%d/%m/%Y"))
    tab_to(page, "Mark done", max_presses=5)
    assert focused(page)["tag"] == "button"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/edit/{review.pk}/#tab-timeline")
    assert "marked done" in page.locator(".messages").inner_text()
    row = page.locator('#tab-timeline tr[data-milestone="agency_letters"]')
    assert "Marked done by Rhiannon Pike" in row.inner_text()
    assert Milestone.objects.get(review=review, kind="agency_letters").done_date == yesterday
    # Wagtail fades its message in: check contrast once it is fully shown, as a person reads it
    # (as tests/browser/test_training_register.py does).
    page.wait_for_function(
        """() => {
            const message = document.querySelector(".messages li.success");
            if (!message) return false;
            for (let el = message; el; el = el.parentElement) {
                if (getComputedStyle(el).opacity !== "1") return false;
            }
            const now = getComputedStyle(message).backgroundColor;
            const settled = window.hubLastBackground === now;
            window.hubLastBackground = now;
            return settled;
        }""",
        polling=250,
    )
    assert_accessible(page)
