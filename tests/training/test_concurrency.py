"""Capacity is never exceeded: many people asking for the last places at the same moment, each
request on its own database connection, as gunicorn's threads and workers would send them."""

import threading

import pytest
from django.db import connection, connections

from tests.services import need
from training import booking as services
from training.models import Booking, BookingState

from .conftest import london

REQUESTS = 60
CAPACITY = 10


@pytest.fixture
def postgres_only():
    need(
        connection.vendor == "postgresql",
        "PostgreSQL only: SQLite has one writer, so there is no race to test",
        "postgresql",
    )


# Committed data, so the other connections see it; serialized rollback puts back what the
# migrations made (groups, the home page, the course list) for the tests that follow.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixty_requests_at_once_for_ten_places(
    postgres_only, frozen, course, make_session, make_person
):
    session = make_session(course, capacity=CAPACITY, starts_at=london(2027, 4, 14))
    people = [make_person(f"rush.{n:02d}") for n in range(REQUESTS)]
    barrier = threading.Barrier(REQUESTS)
    outcomes, errors = {}, []

    def ask(person):
        try:
            barrier.wait(timeout=60)
            outcomes[person.pk] = services.request_place(person, session).state
        except Exception as exc:  # every failure is reported, none is lost
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert len(outcomes) == REQUESTS
    states = sorted(Booking.objects.values_list("state", flat=True))
    assert states.count(BookingState.BOOKED) == CAPACITY
    assert states.count(BookingState.WAITING) == REQUESTS - CAPACITY
    assert Booking.objects.count() == REQUESTS

    # Cancelling one place offers it to whoever joined the queue first.
    first_waiting = (
        Booking.objects.filter(state=BookingState.WAITING).order_by("waiting_since", "pk").first()
    )
    leaving = Booking.objects.filter(state=BookingState.BOOKED).first()
    services.cancel(leaving, leaving.user)
    first_waiting.refresh_from_db()
    assert first_waiting.state == BookingState.OFFERED
    assert Booking.objects.filter(state__in=BookingState.holding_a_place()).count() == CAPACITY
