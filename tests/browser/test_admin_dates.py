"""A reviewer types a review's aware date in the admin as people in England write it: what was
typed stays typed when focus moves on, the format is shown beside the box, a date that does not
exist is refused at the field, and axe finds nothing on the form either way."""

from datetime import date

import pytest
from playwright.sync_api import expect

from partnership.access import SharingLevel
from reviews.models import Review
from tests.reviews.conftest import make_admin_review

pytestmark = pytest.mark.browser

REAL_DATE = "Enter a real date, for example 15/03/2026"


def described_by(page, field) -> str:
    """The text of everything the box's aria-describedby names, as a screen reader reads it."""
    ids = (field.get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)


def aware_date_box(page):
    page.get_by_role("tab", name="Dates and decision").click()
    return page.get_by_label("Aware date")


def type_and_tab_away(page, field, text):
    field.click()
    field.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    # Long enough for any script listening on blur or change to have rewritten the value.
    page.wait_for_timeout(300)


def test_reviewer_types_an_aware_date_and_it_stays_as_typed_and_is_stored(
    people, wirral, page, sign_in, assert_accessible
):
    review = make_admin_review(
        wirral, "WIR-RR-2026-31", SharingLevel.PARTNERSHIP, panel=[people["reviewer"]]
    )
    sign_in(page, "reviewer")
    page.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/")
    page.wait_for_selector("ul.tagit li.tagit-new input[aria-label]")
    box = aware_date_box(page)
    hint = page.get_by_text("For example, 15/03/2026").first
    expect(hint).to_be_visible()
    assert "For example, 15/03/2026" in described_by(page, box)

    type_and_tab_away(page, box, "15/03/2026")
    assert box.input_value() == "15/03/2026"
    expect(page.get_by_role("dialog")).to_be_hidden()  # no date picker left open
    assert_accessible(page)

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/edit/{review.pk}/")
    stored = Review.objects.get(pk=review.pk).get_latest_revision_as_object()
    assert stored.aware_date == date(2026, 3, 15)
    assert aware_date_box(page).input_value() == "15/03/2026"


def test_reviewer_typing_a_date_that_does_not_exist_sees_the_error_at_the_field(
    people, wirral, page, sign_in, assert_accessible
):
    review = make_admin_review(
        wirral,
        "WIR-RR-2026-32",
        SharingLevel.PARTNERSHIP,
        panel=[people["reviewer"]],
        aware_date=date(2026, 1, 6),
    )
    revisions = review.revisions.count()
    sign_in(page, "reviewer")
    page.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/")
    page.wait_for_selector("ul.tagit li.tagit-new input[aria-label]")
    box = aware_date_box(page)
    assert box.input_value() == "06/01/2026"

    type_and_tab_away(page, box, "31/02/2026")
    assert box.input_value() == "31/02/2026"
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    box = aware_date_box(page)
    assert box.input_value() == "31/02/2026"
    assert box.get_attribute("aria-invalid") == "true"
    assert REAL_DATE in described_by(page, box)
    expect(page.locator("[data-field-errors]", has_text=REAL_DATE).first).to_be_visible()
    assert_accessible(page)
    review = Review.objects.get(pk=review.pk)
    assert review.revisions.count() == revisions
    assert review.get_latest_revision_as_object().aware_date == date(2026, 1, 6)
