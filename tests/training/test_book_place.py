"""Booking through one service call: `book_place` says what happened and the form only shows
it; the POST that books stays within the signed-in pages' 15-query budget."""

import pytest

from training import booking as services
from training.models import Booking, BookingState

from .test_pages import signed_in

pytestmark = pytest.mark.django_db


def test_the_booking_post_books_within_fifteen_queries(
    frozen, client, session, people, django_assert_max_num_queries
):
    signed_in(client, people["practitioner"])
    client.get(f"/training/sessions/{session.pk}/book/")  # the form, as the person saw it
    with django_assert_max_num_queries(15):
        response = client.post(f"/training/sessions/{session.pk}/book/")
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/bookings/{booking.pk}/"
    assert booking.state == BookingState.BOOKED


def test_book_place_says_what_happened(frozen, session, people, make_person):
    session.capacity = 1
    session.save()
    first = services.book_place(make_person("first.person"), session)
    assert first.state == BookingState.BOOKED and first.booking.pk

    waiting = services.book_place(people["practitioner"], session)
    assert waiting.state == BookingState.WAITING

    again = services.book_place(people["practitioner"], session)
    assert again.state == "already" and again.booking == waiting.booking
    assert again.reason == "You are already on the waiting list for this session."

    outsider = services.book_place(make_person("liv.person", "Liverpool", agency=None), session)
    assert outsider.state == "refused" and outsider.booking is None
    assert "This session is for people working in" in outsider.reason
    assert Booking.objects.count() == 2


def test_a_line_managers_address_is_asked_of_the_form_field(frozen, session, people):
    session.requires_manager_approval = True
    session.save()
    outcome = services.book_place(people["practitioner"], session, "")
    assert outcome.state == "refused" and outcome.field == "line_manager_email"
    asked = services.book_place(people["practitioner"], session, "line.manager@example.org")
    assert asked.state == BookingState.REQUESTED


def test_posting_again_takes_the_person_to_the_booking_they_hold(frozen, client, session, people):
    held = services.request_place(people["practitioner"], session)
    signed_in(client, people["practitioner"])
    response = client.post(f"/training/sessions/{session.pk}/book/", follow=True)
    assert response.redirect_chain[-1][0] == f"/training/bookings/{held.pk}/"
    assert "You already have a place on this session." in response.content.decode()
    assert Booking.objects.count() == 1
