"""A case audit by keyboard: quality assurance plans it and builds the sample, the Police lead
grades a case from their home page, quality assurance agrees the grade and records the
moderation, and the grades report shows it. Axe passes on every page, and on a refused form."""

import pytest
from playwright.sync_api import expect

from audits.models import CaseAudit, CaseAuditState, CaseGrading
from partnership.models import Theme

from .helpers import assert_accessible, choose_radio, sign_in, tab_to, type_into

pytestmark = pytest.mark.browser


@pytest.fixture
def lead_page(browser, hub):
    context = browser.new_context(base_url=hub.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _press(page, name):
    tab_to(page, name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_audit_is_planned_graded_and_moderated_by_keyboard(page, lead_page, world, people):
    Theme.objects.get_or_create(slug="neglect", defaults={"name": "Neglect"})
    sign_in(page, "qa")
    page.goto("/case-audits/")
    assert_accessible(page)
    _press(page, "Plan an audit")
    type_into(page, "Title", "Neglect: children on plans")
    page.get_by_label("Theme").select_option(label="Neglect")
    type_into(page, "Questions", "Was the child seen and heard?")
    page.get_by_label("Merseyside Police (Wirral)").check()
    _press(page, "Put it on the programme")
    audit = CaseAudit.objects.get()
    expect(page.get_by_role("heading", level=1, name="Neglect: children on plans")).to_be_visible()
    assert_accessible(page)

    # A name is refused as a case identifier, in words, with the field kept to correct.
    type_into(page, "Case identifier", "Jane Smith")
    page.get_by_label("Level of need").select_option(label="Level 3: complex needs (child in need)")
    page.get_by_label("Age").select_option(label="5 to 10")
    _press(page, "Add the case")
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text("pseudonymised identifier")
    assert_accessible(page)
    page.get_by_label("Case identifier").fill("")
    type_into(page, "Case identifier", "Case A")
    page.get_by_label("Level of need").select_option(label="Level 3: complex needs (child in need)")
    page.get_by_label("Age").select_option(label="5 to 10")
    _press(page, "Add the case")
    expect(page.locator("#cases")).to_contain_text("Case A")
    _press(page, "Ask the agencies to grade")
    expect(page.get_by_text("The agencies can now grade the cases.")).to_be_visible()

    # The Police lead finds the case on their home page and grades it.
    sign_in(lead_page, "agencylead")
    _press(lead_page, "Neglect: children on plans: grade 1 case")
    _press(lead_page, "Case A")
    assert_accessible(lead_page)
    choose_radio(lead_page, lead_page.get_by_label("Requires improvement", exact=True))
    type_into(lead_page, "What needs to happen", "Fictional: see the child alone each visit.")
    _press(lead_page, "Save the grading")
    expect(lead_page.get_by_text("Grading saved.")).to_be_visible()
    assert_accessible(lead_page)
    assert CaseGrading.objects.get().grade == 2

    # Moderation agrees the grade; the audit is moderated; the report counts it.
    page.goto(f"/case-audits/{audit.reference}/")
    _press(page, "Case A")
    expect(page.get_by_text("Merseyside Police: Requires improvement")).to_be_visible()
    choose_radio(page, page.locator("#agree").get_by_label("Good", exact=True))
    _press(page, "Agree the grade")
    expect(page.locator("#agreed")).to_have_text("Good")
    page.goto(f"/case-audits/{audit.reference}/")
    _press(page, "Record the moderation")
    expect(page.locator("#good-or-better")).to_have_text("1 of 1 cases")
    assert CaseAudit.objects.get().state == CaseAuditState.MODERATED
    assert_accessible(page)
    page.goto("/case-audits/report/")
    expect(page.locator("#by-theme")).to_contain_text(audit.reference)
    assert_accessible(page)
