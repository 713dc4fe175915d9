"""An agency lead updates an action and uploads evidence; another agency's lead cannot see or
change it; axe passes on the list, the action and the page after each submission."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from learning.models import ActionState, EvidenceKind
from partnership.access import SharingLevel
from tests.learning.actions_world import PSEUDONYM, SECRET, make_action, make_review

from .helpers import assert_accessible, assert_focus_visible, sign_in, tab_to

pytestmark = pytest.mark.browser

# Set HUB_SCREENSHOTS=/some/dir to keep a screenshot of each page the test visits.
SHOTS = os.environ.get("HUB_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def another_page(browser, hub):
    context = browser.new_context(base_url=hub.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_an_agency_lead_updates_an_action_and_uploads_evidence(
    page, another_page, world, wirral, media, tmp_path
):
    _, recommendation = make_review(wirral)
    action = make_action(
        world,
        "WIR-ACT-2027-01",
        sharing_level=SharingLevel.RESTRICTED,
        recommendation=recommendation,
    )
    make_action(world, "WIR-ACT-2027-02", agency="NHS trust")

    sign_in(page, "agencylead")
    # The navigation offers My actions; a keyboard user reaches it with Tab.
    tab_to(page, "My actions")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-actions/")
    expect(page.get_by_role("heading", level=1, name="My actions")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="WIR-ACT-2027-01")).to_be_visible()
    assert "WIR-ACT-2027-02" not in page.content()
    expect(table.get_by_text("Green: on track")).to_be_visible()
    shot(page, "01-list")
    assert_accessible(page)

    # Filters work as a plain form.
    page.get_by_label("State").select_option("completed")
    page.get_by_role("button", name="Filter actions").click()
    page.wait_for_url("**/my-actions/?state=completed*")
    assert "No actions match the filters." in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Clear filters").click()

    page.get_by_role("link", name="WIR-ACT-2027-01").click()
    page.wait_for_url("**/my-actions/WIR-ACT-2027-01/")
    text = page.content()
    assert recommendation.text in text
    assert SECRET not in text and PSEUDONYM not in text
    shot(page, "02-detail")
    assert_accessible(page)

    # Mark as started, by keyboard.
    tab_to(page, "Mark as started")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("The action is in progress")).to_be_visible()
    assert_accessible(page)

    # A form sent without its answers says what to do, and keeps what was typed.
    page.get_by_label("Describe the evidence").fill("Briefing slides and attendance list.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add evidence").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select whether this is evidence")).to_be_visible()
    assert page.get_by_label("Describe the evidence").input_value() == (
        "Briefing slides and attendance list."
    )
    shot(page, "03-errors")
    assert_accessible(page)

    # Upload evidence of completion with a document.
    upload = tmp_path / "briefing-attendance.pdf"
    upload.write_bytes(b"%PDF-1.4 fictional attendance list")
    page.get_by_label("Evidence of completion").check()
    page.get_by_label("Upload a document (optional)").set_input_files(str(upload))
    with page.expect_navigation():
        page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text("Your evidence is added")).to_be_visible()
    download_link = page.get_by_role("link", name="Download evidence 1 (PDF, 34 bytes)")
    expect(download_link).to_be_visible()
    shot(page, "04-evidence-added")
    assert_accessible(page)
    # The browser shows a PDF inline; fetch it with the lead's cookies instead of clicking.
    fetched = page.request.get(download_link.get_attribute("href"))
    assert fetched.status == 200 and fetched.body() == upload.read_bytes()

    # A progress update, then completion, now that there is evidence of completion.
    page.get_by_label("Progress update").fill("All response sergeants briefed.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save progress update").click()
    expect(page.get_by_text("Your progress update is saved")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as completed").click()
    expect(page.get_by_text("The action is completed")).to_be_visible()
    expect(page.get_by_text("Blue: complete").first).to_be_visible()
    shot(page, "05-completed")
    assert_accessible(page)

    action.refresh_from_db()
    assert action.state == ActionState.COMPLETED
    assert action.progress == "All response sergeants briefed."
    evidence = action.evidence.get()
    assert evidence.kind == EvidenceKind.COMPLETION and evidence.document is not None

    # Another agency's lead can neither see the action nor download its evidence.
    other = another_page
    sign_in(other, "healthlead")
    other.goto("/my-actions/")
    assert "WIR-ACT-2027-01" not in other.content()
    assert "WIR-ACT-2027-02" in other.content()
    assert other.goto("/my-actions/WIR-ACT-2027-01/").status == 404
    assert other.goto(evidence.document.url).status == 403
    # A POST made by hand is refused as well, and changes nothing.
    status = other.evaluate(
        """async () => {
            const token = document.cookie.match(/csrftoken=([^;]+)/);
            const body = new URLSearchParams({"progress-text": "Not mine."});
            const r = await fetch("/my-actions/WIR-ACT-2027-01/progress/", {
                method: "POST", body,
                headers: {"X-CSRFToken": token ? token[1] : ""},
            });
            return r.status;
        }"""
    )
    assert status == 404
    action.refresh_from_db()
    assert action.progress == "All response sergeants briefed."
