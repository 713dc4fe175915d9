"""The benchmark's booking request works against a real server: it books through the real
form, cancels again, and leaves the session as it found it."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bench.load import measure_booking, sign_in
from bench.pages import PAGES
from training.models import Booking, BookingState


def test_the_registry_times_the_booking_post_on_the_scaled_course():
    posts = [p for p in PAGES if p.path.startswith("POST ")]
    assert [p.path for p in posts] == ["POST /courses/course-0000/"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_booking_request_books_and_cancels_through_the_site(
    live_server, make_course, make_session, people
):
    course = make_course(slug="course-0000")
    day = timezone.localdate() + timedelta(days=40)
    for n in range(2):
        starts = timezone.make_aware(datetime.combine(day + timedelta(days=n), time(9, 30)))
        make_session(course, starts_at=starts)
    host, port = live_server.url.removeprefix("http://").split(":")
    cookies = sign_in(host, int(port), "practitioner", "correct-horse-battery")
    # The in-memory SQLite test database refuses a second writer outright ("table is locked")
    # rather than waiting; the bench itself runs on PostgreSQL.
    threads = 2 if connection.vendor == "postgresql" else 1
    result = measure_booking(
        host, int(port), "/courses/course-0000/", cookies=cookies, concurrency=threads, seconds=1.5
    )
    assert result.requests >= 2 and result.errors == 0, result.statuses
    assert result.statuses == {302: result.requests}
    states = set(Booking.objects.values_list("state", flat=True))
    assert states == {BookingState.CANCELLED}
    assert Booking.objects.count() == result.requests + 2  # and the two warm-up rounds
