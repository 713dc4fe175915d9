"""A trainer marks a session's register with the keyboard alone; a delegate who attended
evaluates the session and downloads their certificate; axe passes on each page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.training.factories_register import make_booking, make_course, make_delegate, make_session
from training.models import Booking, BookingState, Evaluation

from .helpers import assert_accessible, assert_focus_visible, sign_in, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def session_today(world):
    course = make_course(world.partnerships["Wirral"], "Neglect: the graded care profile")
    session = make_session(
        course, timezone.now() - timedelta(hours=2), trainers=[world.people["trainer"]]
    )
    ada = make_delegate(world, "ada.early", "Wirral", "Early help")
    ben = make_delegate(world, "ben.police", "Wirral", "Police")
    for person in (ada, ben):
        person.set_password("correct-horse-battery")
        person.save()
    return session, make_booking(session, ada), make_booking(session, ben)


def test_a_trainer_marks_the_register_with_the_keyboard(page, world, session_today):
    session, ada, ben = session_today
    sign_in(page, "trainer")
    page.goto("/admin/training/registers/")
    assert_accessible(page)
    link = tab_to(page, f"register-{session.pk}")
    assert "Mark the register" in link["text"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/training/registers/{session.pk}/")
    assert_accessible(page)

    # Ada: Tab into her radio group (the first radio takes focus), Space to choose "Attended".
    tab_to(page, f"mark-{ada.pk}-attended")
    assert_focus_visible(page)
    page.keyboard.press("Space")
    # Ben: Tab to his group, then the arrow key moves to "Did not attend" and chooses it.
    tab_to(page, f"mark-{ben.pk}-attended")
    page.keyboard.press("ArrowRight")
    tab_to(page, "Save the register")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Register saved: 2 changed").wait_for()
    # Wagtail fades its message in: check contrast once it is fully shown (it and every element
    # around it opaque, its colour unchanged over a quarter of a second), as a person reads it.
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

    ada.refresh_from_db()
    ben.refresh_from_db()
    assert (ada.state, ben.state) == (BookingState.ATTENDED, BookingState.DID_NOT_ATTEND)
    assert ben.charge is not None and ada.charge is None
    assert ada.marked_by == world.people["trainer"]


def test_a_delegate_evaluates_and_downloads_the_certificate(page, world, session_today):
    session, ada, _ben = session_today
    Booking.objects.filter(pk=ada.pk).update(state=BookingState.ATTENDED)
    sign_in(page, "ada.early")
    page.goto(f"/evaluations/{ada.pk}/")
    expect(page.get_by_role("heading", level=1, name="Evaluate the session")).to_be_visible()
    assert_accessible(page)

    # Sending it half done shows the error summary, keeping what was chosen.
    page.get_by_role("group", name="How would you rate the session overall?").get_by_label(
        "5: excellent"
    ).check()
    page.get_by_role("button", name="Send your evaluation").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert (
        page.get_by_role("group", name="How would you rate the session overall?")
        .get_by_label("5: excellent")
        .is_checked()
    )
    assert_accessible(page)

    page.get_by_role(
        "group", name="How well did the session meet its learning outcomes?"
    ).get_by_label("4", exact=True).check()
    page.get_by_role(
        "group", name="How confident were you in this area of practice before the session?"
    ).get_by_label("2", exact=True).check()
    page.get_by_role(
        "group", name="How confident are you in this area of practice now?"
    ).get_by_label("4", exact=True).check()
    page.get_by_label("Comments (optional)").fill("The case study on home conditions was useful.")
    page.get_by_role("button", name="Send your evaluation").click()
    page.wait_for_url(f"**/evaluations/{ada.pk}/done/")
    expect(page.get_by_role("heading", name="Evaluation sent")).to_be_visible()
    assert_accessible(page)
    assert Evaluation.objects.get(booking=ada).overall == 5

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    path = download.value.path()
    assert open(path, "rb").read(4) == b"%PDF"
    assert download.value.suggested_filename.startswith("certificate-")
