"""A Section 11 return from first rating to agreed action, by keyboard: the Police lead rates
every standard, adds evidence and submits; quality assurance challenges one rating; the lead
answers it; quality assurance agrees an amber, which becomes an improvement action; the heat map
shows the agreed rating. Axe passes on every page, including each page after a failed form."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Assessment, ReturnState
from learning.models import Action, ActionSource
from tests.audits.conftest import make_set, open_cycle

from .helpers import (
    assert_accessible,
    assert_focus_visible,
    choose_radio,
    sign_in,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def qa_page(browser, hub):
    context = browser.new_context(base_url=hub.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _rate(page, code, rating, narrative):
    tab_to(page, f"Rate standard {code}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=f"Standard {code}")).to_be_visible()
    choose_radio(page, page.get_by_label(rating, exact=True))
    type_into(page, "What shows it", narrative)
    tab_to(page, "Save the rating")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_return_is_rated_submitted_challenged_answered_and_agreed(
    page, qa_page, world, people, wirral, media, tmp_path
):
    police = world.agencies[("Wirral", "Police")]
    cycle = open_cycle(make_set(wirral), people, [police])
    agency_return = cycle.returns.get()

    sign_in(page, "agencylead")
    tab_to(page, "Self-assessment")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    waiting = page.locator("#waiting")
    expect(waiting).to_contain_text("Merseyside Police")
    assert_accessible(page)
    tab_to(page, f"{cycle.title}: {police.name}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=police.name)).to_be_visible()
    assert_accessible(page)

    # A rating saved without choosing one says so, keeps the words typed, and passes axe.
    tab_to(page, "Rate standard 1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    type_into(page, "What shows it", "Board minutes record the commitment.")
    tab_to(page, "Save the rating")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Choose a rating")).to_be_visible()
    assert page.get_by_label("What shows it").input_value() == (
        "Board minutes record the commitment."
    )
    assert_accessible(page)
    page.goto(f"/self-assessment/returns/{agency_return.pk}/")

    for code, rating in (("1", "3: Met"), ("2", "3: Met"), ("3", "4: Exceeded")):
        _rate(page, code, rating, f"Shown by the audit of standard {code}.")
        expect(page.get_by_text("Rating saved.")).to_be_visible()
        page.goto(f"/self-assessment/returns/{agency_return.pk}/")

    # Evidence: a private document, described without naming anyone.
    upload = tmp_path / "supervision-audit.pdf"
    upload.write_bytes(b"%PDF-1.4 fictional supervision audit")
    type_into(page, "What does the document show?", "Supervision audit, quarter two")
    page.get_by_label("Upload a document").set_input_files(str(upload))
    tab_to(page, "Add evidence")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Supervision audit, quarter two")
    expect(link).to_be_visible()
    fetched = page.request.get(link.get_attribute("href"))
    assert fetched.status == 200 and fetched.body() == upload.read_bytes()
    assert_accessible(page)

    type_into(page, "Signed by", "Dr A Example")
    type_into(page, "Their role", "Deputy chief constable")
    tab_to(page, "Submit the return")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Return submitted.")).to_be_visible()
    assert_accessible(page)
    agency_return.refresh_from_db()
    assert agency_return.state == ReturnState.SUBMITTED
    assert agency_return.signed_by_name == "Dr A Example"

    # Quality assurance challenges standard 1 from the cycle's heat map.
    sign_in(qa_page, "qa")
    qa_page.goto(f"/self-assessment/cycles/{cycle.reference}/")
    assert_accessible(qa_page)
    tab_to(qa_page, police.name)
    with qa_page.expect_navigation():
        qa_page.keyboard.press("Enter")
    tab_to(qa_page, "View standard 1")
    with qa_page.expect_navigation():
        qa_page.keyboard.press("Enter")
    assessment_url = qa_page.url
    type_into(qa_page, "Challenge", "The minutes show intent; what shows it in practice?")
    tab_to(qa_page, "Send the challenge")
    with qa_page.expect_navigation():
        qa_page.keyboard.press("Enter")
    expect(qa_page.locator("#assessment")).to_contain_text("what shows it in practice?")
    assert_accessible(qa_page)

    # The lead answers and proposes a lower rating.
    page.goto(assessment_url)
    expect(page.get_by_role("heading", name="Answer the challenge")).to_be_visible()
    type_into(page, "Your answer", "Fair: supervision is not yet audited everywhere.")
    choose_radio(page, page.get_by_label("2: Partially met", exact=True))
    tab_to(page, "Send the answer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#assessment")).to_contain_text("not yet audited everywhere")
    assert_accessible(page)

    # Quality assurance agrees an amber: without a due date it is refused in words.
    qa_page.goto(assessment_url)
    choose_radio(qa_page, qa_page.locator("#agree").get_by_label("2: Partially met"))
    tab_to(qa_page, "Agree the rating")
    with qa_page.expect_navigation():
        qa_page.keyboard.press("Enter")
    assert qa_page.title().startswith("Error: ")
    expect(qa_page.locator(".govuk-error-summary")).to_contain_text(
        "Enter when the improvement action is due"
    )
    # The refused form keeps the rating chosen: only the date is left to give.
    expect(qa_page.locator("#agree").get_by_label("2: Partially met")).to_be_checked()
    assert_accessible(qa_page)
    assert not Action.objects.exists()

    due = timezone.localdate() + timedelta(days=90)
    for part, value in (("Day", due.day), ("Month", due.month), ("Year", due.year)):
        field = qa_page.locator("#agree").get_by_label(part, exact=True)
        tab_to(qa_page, field.get_attribute("id"))
        qa_page.keyboard.type(str(value))
    tab_to(qa_page, "Agree the rating")
    with qa_page.expect_navigation():
        qa_page.keyboard.press("Enter")
    agreed = qa_page.locator("#agreed")
    expect(agreed).to_contain_text("2: Partially met")
    action = Action.objects.get()
    expect(agreed).to_contain_text(action.reference)
    assert (action.source, action.owner_agency, action.due_date) == (
        ActionSource.AUDIT,
        police,
        due,
    )
    assert Assessment.objects.get(standard__code="1").agreed_rating == 2
    assert_accessible(qa_page)

    # The heat map shows the agreed amber in the Police row.
    qa_page.goto(f"/self-assessment/cycles/{cycle.reference}/")
    row = qa_page.locator("#heat-map tbody tr", has_text=police.name)
    first_cell = row.locator("td").nth(1)
    expect(first_cell).to_have_text("2 agreed")
    assert "govuk-tag--orange" in first_cell.locator(".govuk-tag").get_attribute("class")
    assert_accessible(qa_page)
