"""A reviewer writes a rapid review in the admin and submits it for sign-off; a practitioner of
another partnership never sees it; axe finds no violation of any impact on the admin pages."""

import pytest

from partnership.access import SharingLevel
from reviews.models import Review
from tests.reviews.conftest import make_admin_review

pytestmark = pytest.mark.browser


@pytest.fixture
def another_page(browser, hub):
    """A second person's tab, with cookies of its own."""
    context = browser.new_context(base_url=hub.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_reviewer_adds_a_finding_and_submits_the_review_for_sign_off(
    people, wirral, page, sign_in, assert_accessible
):
    review = make_admin_review(
        wirral, "WIR-RR-2026-07", SharingLevel.RESTRICTED, panel=[people["reviewer"]]
    )
    sign_in(page, "reviewer")
    page.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/")
    assert page.get_by_role("heading", name="WIR-RR-2026-07").count() or page.title()
    page.wait_for_selector("ul.tagit li.tagit-new input[aria-label]")
    assert_accessible(page)

    page.get_by_role("tab", name="Findings").click()
    page.get_by_role("button", name="Add finding").click()
    page.locator("#id_findings-1-title").fill("Supervision did not test the plan")
    page.locator("#id_findings-1-text").fill("Supervision records show no challenge.")
    page.get_by_role("tab", name="Review").click()
    # Save the draft, then submit it from the action menu's dropdown.
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/edit/{review.pk}/")
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        footer.get_by_role("button", name="Submit to Review sign-off").click()
    page.wait_for_load_state()

    review = Review.objects.get(pk=review.pk)
    latest = review.get_latest_revision_as_object()
    assert "Supervision did not test the plan" in [f.title for f in latest.findings.all()]
    state = review.current_workflow_state
    assert state is not None and state.current_task_state.task.name == "Panel approval"


def test_practitioner_of_another_partnership_never_sees_the_review(
    people, wirral, page, another_page, sign_in
):
    review = make_admin_review(
        wirral, "WIR-RR-2026-08", SharingLevel.PARTNERSHIP, panel=[people["reviewer"]]
    )
    sign_in(page, "liverpool.practitioner")
    response = page.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/")
    assert "WIR-RR-2026-08" not in page.content()
    assert response.status in (403, 404) or "/admin/" not in page.url or "login" in page.url
    page.goto("/admin/snippets/reviews/review/")
    assert "WIR-RR-2026-08" not in page.content()
    # A manager of that other partnership, who works in the admin, gets 404 and an empty list.
    manager = another_page
    sign_in(manager, "liverpool.manager")
    assert manager.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/").status == 404
    manager.goto("/admin/snippets/reviews/review/")
    assert "WIR-RR-2026-08" not in manager.content()


def test_review_listing_passes_axe(people, wirral, page, sign_in, assert_accessible):
    make_admin_review(
        wirral, "WIR-RR-2026-09", SharingLevel.PARTNERSHIP, panel=[people["reviewer"]]
    )
    sign_in(page, "reviewer")
    page.goto("/admin/snippets/reviews/review/")
    assert "WIR-RR-2026-09" in page.content()
    assert_accessible(page)
