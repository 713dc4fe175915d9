"""The site's training pages through the test client: the course list and a course's page (who
sees what, at constant queries), booking, My training, cancelling, the iCal files (the online
link only for a booked delegate), the line manager's page and the admin's scoping."""

from datetime import timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from partnership.access import SharingLevel
from training import booking as services
from training.models import Booking, BookingState, Delivery

from .conftest import london

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room-42"


@pytest.fixture
def online(course, make_session):
    return make_session(
        course, starts_at=london(2027, 4, 20), delivery=Delivery.ONLINE, venue="", online_link=LINK
    )


def signed_in(client, user):
    client.force_login(user)
    return client


# The course list and a course ----------------------------------------------------------------


def test_anonymous_visitors_see_public_courses_with_their_next_session(
    frozen, client, make_course, make_session
):
    public = make_course(title="Open to all")
    make_session(public, starts_at=london(2027, 5, 4))
    make_session(public, starts_at=london(2027, 4, 6))
    make_course(title="Members only", sharing_level=SharingLevel.PARTNERSHIP)
    response = client.get("/courses/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Open to all" in text and "Members only" not in text
    assert "Tuesday 6 April 2027, 09:30" in text


def test_filters_narrow_the_course_list(frozen, client, make_course, world):
    make_course(title="Foundation one", level="foundation")
    make_course(title="Advanced one", level="advanced", partnership="Liverpool")
    text = client.get("/courses/?level=advanced").content.decode()
    assert "Advanced one" in text and "Foundation one" not in text
    text = client.get("/courses/?partnership=wirral").content.decode()
    assert "Foundation one" in text and "Advanced one" not in text
    assert client.get("/courses/?level=nonsense").status_code == 200


QUERY_BUDGET = 15


def test_course_list_and_course_page_cost_the_same_queries_for_1_or_many(
    frozen, client, people, make_course, make_session, django_assert_max_num_queries, settings
):
    # As built, with no audience's copy of the list to serve: the first reader after a change.
    settings.HUB_PAGE_CACHE_SECONDS = 0
    client.force_login(people["practitioner"])
    course = make_course()
    make_session(course)
    client.get("/courses/")
    client.get(course.url)
    # Within the signed-in page budget `make bench` holds pages to.
    with django_assert_max_num_queries(QUERY_BUDGET) as few_list:
        client.get("/courses/")
    with django_assert_max_num_queries(QUERY_BUDGET) as few_course:
        client.get(course.url)
    for n in range(12):
        other = make_course()
        make_session(other, starts_at=london(2027, 4, 1 + n))
        make_session(course, starts_at=london(2027, 5, 1 + n))
    with django_assert_max_num_queries(len(few_list)):
        assert client.get("/courses/").status_code == 200
    with django_assert_max_num_queries(len(few_course)):
        assert client.get(course.url).status_code == 200


def test_a_course_the_reader_may_not_see_is_not_found_or_asks_to_sign_in(
    frozen, client, people, make_course
):
    course = make_course(sharing_level=SharingLevel.PARTNERSHIP)
    assert client.get(course.url)["Location"].startswith("/sign-in/")
    signed_in(client, people["liverpool.practitioner"])
    assert client.get(course.url).status_code == 404
    client.force_login(people["practitioner"])
    assert client.get(course.url).status_code == 200


def test_the_course_page_shows_places_and_the_book_button_but_never_the_online_link(
    frozen, client, course, session, online, people
):
    text = client.get(course.url).content.decode()
    assert "10 of 10 left" in text and LINK not in text
    assert "Sign in to book a place" in text
    signed_in(client, people["practitioner"])
    text = client.get(course.url).content.decode()
    assert f"/training/sessions/{session.pk}/book/" in text and LINK not in text
    # Another partnership's practitioner is told why they cannot book.
    client.force_login(people["liverpool.practitioner"])
    text = client.get(course.url).content.decode()
    assert "This session is for people working in Wirral." in text
    assert f"/training/sessions/{session.pk}/book/" not in text


# Booking ---------------------------------------------------------------------------------------


def test_booking_through_the_form_confirms_and_shows_the_online_link_to_the_delegate_only(
    frozen, client, online, people, django_capture_on_commit_callbacks
):
    signed_in(client, people["practitioner"])
    form = client.get(f"/training/sessions/{online.pk}/book/")
    assert "Confirm booking" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/sessions/{online.pk}/book/")
    assert response.status_code == 302, response.content.decode()
    booking = Booking.objects.get()
    assert response["Location"] == f"/training/bookings/{booking.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Place confirmed" in page and LINK in page
    assert LINK in mail.outbox[0].body
    assert LINK in client.get("/my-training/").content.decode()

    # Nobody else sees the booking, its calendar file or the link.
    client.force_login(people["agencylead"])
    assert client.get(f"/training/bookings/{booking.pk}/").status_code == 404
    assert client.get(f"/training/bookings/{booking.pk}/calendar.ics").status_code == 404
    assert LINK not in client.get(online.course.url).content.decode()
    assert LINK not in client.get("/training/calendar.ics").content.decode()


def test_people_waiting_never_get_the_online_link(frozen, online, people, make_person, client):
    online.capacity = 1
    online.save()
    services.request_place(make_person("first.person"), online)
    waiting = services.request_place(people["practitioner"], online)
    assert waiting.state == BookingState.WAITING
    signed_in(client, people["practitioner"])
    assert LINK not in client.get(f"/training/bookings/{waiting.pk}/").content.decode()
    assert LINK not in client.get("/my-training/").content.decode()
    ics = client.get(f"/training/bookings/{waiting.pk}/calendar.ics").content.decode()
    assert LINK not in ics


def test_the_form_keeps_the_line_managers_address_and_says_what_is_wrong(
    frozen, client, session, people
):
    session.requires_manager_approval = True
    session.save()
    signed_in(client, people["practitioner"])
    response = client.post(
        f"/training/sessions/{session.pk}/book/", {"line_manager_email": "practitioner@example.org"}
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "not your own" in text and 'value="practitioner@example.org"' in text
    assert not Booking.objects.exists()


def test_booking_a_closed_session_says_why(client, session, people, time_machine):
    time_machine.move_to(london(2027, 4, 13, 9), tick=False)
    signed_in(client, people["practitioner"])
    response = client.post(f"/training/sessions/{session.pk}/book/")
    assert "Bookings for this session closed on Monday 12 April 2027." in response.content.decode()
    assert not Booking.objects.exists()


def test_cancel_asks_first_then_cancels(frozen, client, session, people):
    booking = services.request_place(people["practitioner"], session)
    signed_in(client, people["practitioner"])
    page = client.get(f"/training/bookings/{booking.pk}/cancel/")
    assert "Yes, cancel my booking" in page.content.decode()
    booking.refresh_from_db()
    assert booking.state == BookingState.BOOKED
    response = client.post(f"/training/bookings/{booking.pk}/cancel/")
    assert response["Location"] == "/my-training/"
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED


def test_my_training_offers_an_offer_to_accept(frozen, client, session, people, make_person):
    session.capacity = 1
    session.save()
    first = make_person("first.person")
    held = services.request_place(first, session)
    waiting = services.request_place(people["practitioner"], session)
    services.cancel(held, first)
    signed_in(client, people["practitioner"])
    text = client.get("/my-training/").content.decode()
    assert "A place is offered to you" in text
    assert "Accept it before 12:00 on Wednesday 3 March 2027" in text
    response = client.post(f"/training/bookings/{waiting.pk}/accept/")
    assert response["Location"] == "/my-training/"
    waiting.refresh_from_db()
    assert waiting.state == BookingState.BOOKED
    assert client.get(f"/training/bookings/{waiting.pk}/accept/").status_code == 405


# The line manager's page ----------------------------------------------------------------------


def test_the_line_manager_approves_on_the_linked_page_without_signing_in(
    frozen, client, session, people
):
    session.requires_manager_approval = True
    session.save()
    booking = services.request_place(people["practitioner"], session, "boss@example.org")
    url = f"/training/approval/{services.approval_token(booking)}/"
    page = client.get(url)
    assert page.status_code == 200 and "Approve training for Pat Okafor?" in page.content.decode()
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUESTED  # a GET never decides
    response = client.post(url, {"decision": "approve"})
    assert "Place approved" in response.content.decode()
    booking.refresh_from_db()
    assert booking.state == BookingState.BOOKED
    assert client.get("/training/approval/forged/").status_code == 400


# iCal -------------------------------------------------------------------------------------------


def test_the_booking_calendar_file(frozen, client, online, people):
    booking = services.request_place(people["practitioner"], online)
    signed_in(client, people["practitioner"])
    response = client.get(f"/training/bookings/{booking.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"training-booking-{booking.pk}@testserver"
    # 20 April 2027, 09:30 in London is 08:30 UTC (British Summer Time).
    assert event.decoded("DTSTART").isoformat() == "2027-04-20T08:30:00+00:00"
    assert event.decoded("DTEND").isoformat() == "2027-04-20T11:30:00+00:00"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert LINK in str(event["DESCRIPTION"])
    again = client.get(f"/training/bookings/{booking.pk}/calendar.ics")
    assert Calendar.from_ical(again.content).walk("VEVENT")[0]["UID"] == event["UID"]

    services.cancel(booking, people["practitioner"])
    cancelled = Calendar.from_ical(
        client.get(f"/training/bookings/{booking.pk}/calendar.ics").content
    ).walk("VEVENT")[0]
    assert str(cancelled["STATUS"]) == "CANCELLED" and LINK not in str(cancelled["DESCRIPTION"])


def test_the_feed_lists_upcoming_sessions_of_public_courses_only(
    frozen, client, session, online, make_course, make_session
):
    hidden = make_course(title="Members only", sharing_level=SharingLevel.PARTNERSHIP)
    make_session(hidden)
    past = make_session(session.course, starts_at=london(2027, 2, 1))
    response = client.get("/training/calendar.ics")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    uids = {str(e["UID"]) for e in events}
    assert uids == {
        f"training-session-{session.pk}@testserver",
        f"training-session-{online.pk}@testserver",
    }
    assert f"training-session-{past.pk}@testserver" not in uids
    assert "Members only" not in response.content.decode()
    assert LINK not in response.content.decode()
    located = {str(e["UID"]): str(e["LOCATION"]) for e in events}
    assert located[f"training-session-{online.pk}@testserver"] == "Online"


# The admin ---------------------------------------------------------------------------------------


def test_trainers_list_their_partnerships_sessions_with_places_and_waiting(
    frozen, client, session, people, make_course, make_session, make_person
):
    session.capacity = 1
    session.save()
    services.request_place(make_person("first.person"), session)
    services.request_place(people["practitioner"], session)
    liverpool_session = make_session(make_course(partnership="Liverpool", title="Elsewhere"))
    signed_in(client, people["trainer"])
    text = client.get("/admin/snippets/training/session/").content.decode()
    assert "Working together: essentials" in text and "Elsewhere" not in text
    assert "1 of 1" in text
    assert (
        client.get(f"/admin/snippets/training/session/edit/{liverpool_session.pk}/").status_code
        == 404
    )
    past = client.get("/admin/snippets/training/session/?when=past").content.decode()
    assert f"/admin/training/sessions/{session.pk}/bookings/" not in past


def test_a_sessions_bookings_are_for_its_trainers_and_the_partnerships_managers(
    frozen, client, session, people, make_person, world
):
    services.request_place(people["practitioner"], session)
    url = f"/admin/training/sessions/{session.pk}/bookings/"
    signed_in(client, people["manager"])
    assert "Pat Okafor" in client.get(url).content.decode()
    client.force_login(people["trainer"])
    # A trainer of Wirral, but not of this session: Wagtail refuses with a redirect and a message.
    refused = client.get(url)
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    session.trainers.add(people["trainer"])
    assert "Pat Okafor" in client.get(url).content.decode()
    client.force_login(people["liverpool.manager"])
    assert client.get(url).status_code == 404


def test_managers_edit_their_own_partnerships_training_terms_only(frozen, client, people, world):
    from training.models import TrainingTerms

    liverpool_terms = TrainingTerms.objects.for_partnership(world.partnerships["Liverpool"])
    signed_in(client, people["manager"])
    text = client.get("/admin/snippets/training/trainingterms/").content.decode()
    assert "Training terms for Wirral" in text or "Wirral" in text
    own = TrainingTerms.objects.get(partnership=world.partnerships["Wirral"])
    assert client.get(f"/admin/snippets/training/trainingterms/edit/{own.pk}/").status_code == 200
    assert (
        client.get(f"/admin/snippets/training/trainingterms/edit/{liverpool_terms.pk}/").status_code
        == 404
    )
    client.force_login(people["practitioner"])
    assert client.get("/admin/snippets/training/trainingterms/").status_code == 302


def test_trainers_may_add_courses_under_the_course_list_only(course_list, people):
    from wagtail.models import Page

    trainer = people["trainer"]
    assert course_list.permissions_for_user(trainer).can_add_subpage()
    assert course_list.permissions_for_user(trainer).can_publish()
    home = Page.objects.get(depth=2)
    assert not home.permissions_for_user(trainer).can_add_subpage()


def test_the_demo_builds_courses_a_full_session_and_an_offer_and_runs_again(world):
    from training import demo_courses
    from training.models import Course

    demo_courses.build(world, scale=1)
    demo_courses.build(world, scale=1)
    assert Course.objects.count() == 8
    assert Booking.objects.filter(state=BookingState.WAITING).count() >= 3
    offered = Booking.objects.get(state=BookingState.OFFERED)
    assert offered.user.username == "practitioner"
    assert offered.offer_expires_at > offered.offered_at + timedelta(hours=40)


def test_anonymous_course_pages_are_shared_until_a_booking_changes_the_places_left(
    frozen, client, make_course, make_session, make_person, settings
):
    settings.HUB_PAGE_CACHE_SECONDS = 60
    course = make_course(title="Open to all")
    session = make_session(course, capacity=10)
    for path in ("/courses/", course.url):
        client.get(path)  # rendered and stored
        assert client.get(path)["X-Hub-Cache"] == "hit", path
    assert "10 of 10 left" in client.get(course.url).text

    person = make_person("cache.delegate")
    Booking.objects.create(
        session=session,
        user=person,
        agency=person.membership.agency,
        partnership=person.membership.partnership,
        state=BookingState.BOOKED,
    )
    fresh = client.get(course.url)
    assert fresh["X-Hub-Cache"] == "miss" and "9 of 10 left" in fresh.text
    assert client.get("/courses/")["X-Hub-Cache"] == "miss"


def test_a_signed_in_course_list_is_shared_within_its_audience_only(
    frozen, client, people, make_course, make_session, make_person, settings
):
    """The list is built once per audience: a Wirral-only course stored in Wirral's copy never
    reaches Liverpool or a visitor, and a new session or an unpublished course shows at once."""
    from django.test import Client

    settings.HUB_PAGE_CACHE_SECONDS = 60
    wirral_only = make_course(
        title="Wirral-only fictional course", sharing_level=SharingLevel.PARTNERSHIP
    )
    for _ in range(3):
        assert wirral_only.title in signed_in(client, people["practitioner"]).get("/courses/").text
    colleague = make_person("fictional.course.colleague")
    shared = signed_in(Client(), colleague).get("/courses/")
    assert wirral_only.title in shared.text
    assert shared.context["listing"].built is None, "served from the audience's copy"
    for reader in (people["liverpool.practitioner"], None):
        other = Client()
        if reader is not None:
            other.force_login(reader)
        for _ in range(2):
            assert wirral_only.title not in other.get("/courses/").text

    assert "No sessions planned yet" in client.get("/courses/").text
    make_session(wirral_only, starts_at=london(2027, 4, 14))
    assert "Next session: <strong>Wednesday 14 April 2027" in client.get("/courses/").text
    wirral_only.unpublish()
    assert wirral_only.title not in client.get("/courses/").text
