"""The whole of a rapid review's statutory path in the browser, by keyboard, with axe on every
page: a reviewer opens a restricted rapid review, types the aware date as people in England
write it, sees the computed deadlines on its timeline, records the notification, submits it for
sign-off and finds no way to publish around it; the local authority, police and health partners
sign it off; it shows as signed off and leaves the deadlines dashboard."""

import re
from datetime import date

import pytest

from reviews.models import Milestone, Review, ReviewStatus

pytestmark = pytest.mark.browser

AROUND = ("action-publish", "action-unpublish", "action-cancel-workflow", "action-restart-workflow")


@pytest.fixture
def open_as(browser, hub, sign_in):
    """A fresh tab signed in as someone, as each partner would sign off on their own computer."""
    contexts = []

    def open_page(username):
        context = browser.new_context(base_url=hub.url, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        sign_in(tab, username)
        return tab

    yield open_page
    for context in contexts:
        context.close()


def press(locator):
    """Activate a control from the keyboard, as a person without a mouse does."""
    locator.focus()
    locator.press("Enter")


def type_into(page, locator, text):
    locator.focus()
    locator.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def choose(locator, label):
    locator.focus()
    locator.select_option(label=label)


def editor_ready(page):
    page.wait_for_selector("ul.tagit li.tagit-new input[aria-label]", state="attached")
    # Wagtail's saved message fades in: axe reads its colours once it has.
    page.wait_for_timeout(600)


def footer_action(page, name):
    footer = page.locator("footer")
    press(footer.get_by_role("button", name="More actions"))
    return footer.get_by_role("button", name=name)


def test_a_rapid_review_from_notification_to_signed_off(
    people, wirral, page, open_as, sign_in, assert_accessible
):
    sign_in(page, "reviewer")
    page.goto("/admin/snippets/reviews/review/add/")
    editor_ready(page)
    assert_accessible(page)
    type_into(page, page.locator("#id_reference"), "WIR-RR-2026-90")
    choose(page.locator("#id_review_type"), "Rapid review")
    type_into(page, page.locator("#id_title"), "Rapid review of a fictional baby")
    # Filed under the reviewer's own partnership from the start: the only one she may choose.
    assert page.locator("#id_lead_partnership").input_value() == str(wirral.pk)
    press(page.get_by_role("tab", name="Dates and decision"))
    type_into(page, page.locator("#id_aware_date"), "15/03/2026")
    assert page.locator("#id_aware_date").input_value() == "15/03/2026"
    with page.expect_navigation():
        press(page.get_by_role("button", name="Save draft"))
    editor_ready(page)

    review = Review.objects.get(reference="WIR-RR-2026-90")
    assert review.aware_date == date(2026, 3, 15)
    assert review.sharing_level == "restricted"
    assert people["reviewer"] in review.panel.all()  # its author keeps it

    # The timeline shows the deadlines the Hub computed from the aware date.
    press(page.get_by_role("tab", name="Timeline"))
    timeline = page.locator("#tab-timeline")
    for kind in ("notification", "rapid_review"):
        due = Milestone.objects.get(review=review, kind=kind).due_date
        row = timeline.locator(f'tr[data-milestone="{kind}"]')
        assert due.strftime("%a %-d %b %Y") in row.inner_text(), (kind, row.inner_text())
    assert "overdue" in timeline.locator('tr[data-milestone="notification"]').inner_text()
    assert_accessible(page)

    # Recording the date the notification went marks its milestone done.
    press(page.get_by_role("tab", name="Dates and decision"))
    type_into(page, page.locator("#id_notification_date"), "18/03/2026")
    with page.expect_navigation():
        press(page.get_by_role("button", name="Save draft"))
    editor_ready(page)
    notification = Milestone.objects.get(review=review, kind="notification")
    assert notification.done_date == date(2026, 3, 18)
    press(page.get_by_role("tab", name="Timeline"))
    assert (
        page.locator('#tab-timeline tr[data-milestone="notification"]').get_attribute("data-state")
        == "done"
    )

    # Submitted for sign-off, with nothing in the editor that publishes around it.
    with page.expect_navigation():
        press(footer_action(page, "Submit to Review sign-off"))
    page.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/")
    editor_ready(page)
    html = page.content()
    for name in AROUND:
        assert f'name="{name}"' not in html, name
    assert_accessible(page)

    def approve(tab):
        tab.goto(f"/admin/snippets/reviews/review/edit/{review.pk}/")
        editor_ready(tab)
        for name in AROUND:
            assert f'name="{name}"' not in tab.content(), name
        with tab.expect_navigation():
            press(footer_action(tab, re.compile(r"^Approve( and Publish)?$")))

    approve(page)  # the panel approves
    for partner in ("wirral.la.partner", "wirral.police.partner", "wirral.health.partner"):
        approve(open_as(partner))

    review = Review.objects.get(pk=review.pk)
    assert review.status == ReviewStatus.SIGNED_OFF
    page.goto("/admin/snippets/reviews/review/")
    row = page.locator("tr", has_text="WIR-RR-2026-90")
    assert "Signed off" in row.inner_text()
    assert_accessible(page)
    page.goto("/admin/reviews/dashboard/")
    assert "WIR-RR-2026-90" not in page.content()
    assert_accessible(page)


def test_an_impossible_aware_date_is_refused_and_nothing_is_saved(page, people, wirral, sign_in):
    sign_in(page, "reviewer")
    page.goto("/admin/snippets/reviews/review/add/")
    editor_ready(page)
    type_into(page, page.locator("#id_reference"), "WIR-RR-2026-91")
    choose(page.locator("#id_review_type"), "Rapid review")
    type_into(page, page.locator("#id_title"), "A rapid review")
    # Filed under the reviewer's own partnership from the start: the only one she may choose.
    assert page.locator("#id_lead_partnership").input_value() == str(wirral.pk)
    press(page.get_by_role("tab", name="Dates and decision"))
    type_into(page, page.locator("#id_aware_date"), "31/02/2026")
    with page.expect_navigation():
        press(page.get_by_role("button", name="Save draft"))
    assert "Enter a real date" in page.content()
    assert page.locator("#id_aware_date").input_value() == "31/02/2026"
    assert not Review.objects.filter(reference="WIR-RR-2026-91").exists()
