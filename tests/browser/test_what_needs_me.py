"""Each person signs in and finds their most pressing work at the top of their home page, and
reaches the place to do it with one keypress on its link; axe finds nothing on either home."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.training.factories_register import make_booking
from training.models import Booking, BookingState

from .helpers import assert_accessible, assert_focus_visible, focused, sign_in, tab_to

pytestmark = pytest.mark.browser


def _book(user, session, state, **fields):
    return make_booking(session, user, state, **fields)


def test_a_practitioner_finds_the_place_she_was_offered_and_accepts_it(
    page,
    people,
    make_course,
    make_session,
):
    now = timezone.now()
    pat = people["practitioner"]
    session = make_session(
        make_course(title="Neglect: seeing the child"), starts_at=now + timedelta(days=9)
    )
    _book(
        pat,
        session,
        BookingState.OFFERED,
        offered_at=now,
        offer_expires_at=now + timedelta(hours=30),
    )
    sign_in(page, "practitioner")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("What needs you, Pat")
    # The offer is the first piece of work on the page.
    expect(main.get_by_role("heading", level=2).first).to_have_text("Places offered to you")
    expect(main.get_by_text("Expires in 1 day")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "Accept your place on Neglect: seeing the child")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The link lands on the offer itself: the next Tab reaches its Accept button.
    page.keyboard.press("Tab")
    assert (
        " ".join(focused(page)["text"].split()) == "Accept the place on Neglect: seeing the child"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert Booking.objects.get(user=pat, session=session).state == BookingState.BOOKED


def test_a_trainer_finds_the_register_to_mark_in_the_admin(
    page,
    people,
    make_course,
    make_session,
    make_person,
):
    now = timezone.now()
    trainer = people["trainer"]
    session = make_session(
        make_course(title="Working with fathers"), starts_at=now - timedelta(days=1)
    )
    session.trainers.add(trainer)
    _book(make_person("delegate.one"), session, BookingState.BOOKED)

    sign_in(page, "trainer")
    page.goto("/admin/")
    panel = page.locator("#trainer-registers-section")
    expect(panel).to_contain_text("1 delegates not yet marked")
    expect(page.locator("#review-deadlines-section")).to_have_count(0)
    assert_accessible(page)

    link = panel.get_by_role("link", name="Working with fathers")
    link.focus()
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Working with fathers")
    assert_accessible(page)


def test_quality_assurance_reads_the_rag_chart_and_reaches_its_table_by_keyboard(page, make_action):
    today = timezone.localdate()
    make_action(description="Overdue", due_date=today - timedelta(days=3))
    make_action(description="On track", due_date=today + timedelta(days=60))
    make_action(
        description="Health's", due_date=today + timedelta(days=5), agency=("Wirral", "NHS trust")
    )
    sign_in(page, "qa")
    page.goto("/admin/reports/learning/actions/")
    chart = page.locator("#chart-rag-by-agency")
    expect(chart.get_by_role("img", name="Actions by owner agency and RAG rating")).to_be_visible()
    assert_accessible(page)

    link = chart.get_by_role("link", name=re.compile(r"^The figures as a table"))
    link.focus()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#rag-by-agency-table'")
    expect(page.locator("#rag-by-agency-table")).to_be_in_viewport()
    # The next Tab goes on from the table, as a keyboard user expects after following the link.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.querySelector('#rag-by-agency-table').compareDocumentPosition("
        "document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING"
    )

    page.goto("/admin/guide/quality-assurance/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quality assurance")
    assert_accessible(page)
