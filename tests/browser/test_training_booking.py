"""A practitioner finds a course, books a place, downloads the calendar file and cancels, by
keyboard alone; axe passes on the course list, the course, the booking confirmation and My
training."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from partnership.access import SharingLevel
from training.models import Booking, BookingState, Course, CourseIndexPage, Delivery, Session

from .helpers import assert_accessible, sign_in, tab_to

pytestmark = pytest.mark.browser

LINK = "https://meet.example.org/browser-test-room"


@pytest.fixture
def online_session(world):
    course = Course(
        title="Recognising neglect",
        slug="recognising-neglect",
        partnership=world.partnerships["Wirral"],
        sharing_level=SharingLevel.PUBLIC,
        summary="See neglect early and act on it.",
        description="<p>A fictional course.</p>",
        learning_outcomes="<ul><li>Use the Graded Care Profile</li></ul>",
        audience="Practitioners in every agency.",
        level="foundation",
        duration="half_day",
    )
    CourseIndexPage.objects.get().add_child(instance=course)
    course.save_revision().publish()
    day = timezone.localdate() + timedelta(days=30)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        delivery=Delivery.ONLINE,
        online_link=LINK,
        capacity=12,
    )


def test_a_practitioner_books_downloads_the_calendar_file_and_cancels(page, online_session):
    sign_in(page, "practitioner")
    page.goto("/courses/")
    expect(page.get_by_role("heading", level=1, name="Multi-agency training")).to_be_visible()
    assert_accessible(page)
    assert LINK not in page.content()

    tab_to(page, "Recognising neglect", max_presses=60)
    page.keyboard.press("Enter")
    page.wait_for_url("**/courses/recognising-neglect/")
    assert "12 of 12 left" in page.content() and LINK not in page.content()
    assert_accessible(page)

    tab_to(page, f"book-{online_session.pk}", max_presses=60)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/training/sessions/{online_session.pk}/book/")
    assert_accessible(page)
    tab_to(page, "Confirm booking")
    page.keyboard.press("Enter")
    page.wait_for_url("**/training/bookings/*/")
    expect(page.get_by_role("heading", name="Place confirmed")).to_be_visible()
    assert LINK in page.content()
    assert_accessible(page)

    booking = Booking.objects.get(user__username="practitioner")
    assert booking.state == BookingState.BOOKED
    with page.expect_download() as download_info:
        tab_to(page, "Add to your calendar (iCal file)")
        page.keyboard.press("Enter")
    ics = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Recognising neglect"
    assert event.decoded("DTSTART") == online_session.starts_at
    assert LINK in str(event["DESCRIPTION"])

    tab_to(page, "My training", shift=True, max_presses=60)
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-training/")
    assert_accessible(page)
    tab_to(page, f"cancel-{booking.pk}", max_presses=60)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/training/bookings/{booking.pk}/cancel/")
    assert_accessible(page)
    tab_to(page, "Yes, cancel my booking")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-training/")
    assert "You have cancelled your booking" in page.content()
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
