"""The booking services: eligibility, cut-offs in working days, the waiting list and its offers,
line manager approval and cancelling; and the emails each sends, once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from hub.models import Notice
from partnership.access import SharingLevel
from training import booking as services
from training.models import Booking, BookingState, TrainingTerms
from training.notices import send_notice

from .conftest import london

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks):
    """Run what the services enqueue after commit (eager Celery: the emails are sent)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def subjects():
    return [m.subject for m in mail.outbox]


# Eligibility -------------------------------------------------------------------------------------


def test_a_practitioner_books_a_place_and_is_emailed_once_with_the_calendar_file(
    frozen, session, people, run_commits
):
    booking = run_commits(services.request_place, people["practitioner"], session)
    assert booking.state == BookingState.BOOKED
    assert booking.agency.short_name == "Early help"
    assert booking.partnership.short_name == "Wirral"
    assert booking.booked_at == timezone.now()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["practitioner@example.org"]
    assert message.subject.startswith("Place confirmed: Working together: essentials")
    assert "Wednesday 14 April 2027, 09:30 to 12:30" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == "working-together.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in str(content)

    # The same notice again (a retried task) sends nothing.
    assert send_notice(booking.pk, "confirmed") is False
    assert len(mail.outbox) == 1
    assert Notice.objects.about(booking).count() == 1


def test_one_active_booking_per_person(frozen, session, people):
    services.request_place(people["practitioner"], session)
    with pytest.raises(services.BookingError, match="already have a place"):
        services.request_place(people["practitioner"], session)
    assert Booking.objects.count() == 1


def test_another_partnerships_practitioner_may_not_book_a_session_for_wirral_only(
    frozen, session, people
):
    with pytest.raises(services.BookingError, match="for people working in Wirral"):
        services.request_place(people["liverpool.practitioner"], session)


def test_eligible_partnerships_and_agencies_open_and_narrow_a_session(
    frozen, session, people, world
):
    session.eligible_partnerships.set(
        [world.partnerships["Wirral"], world.partnerships["Liverpool"]]
    )
    booking = services.request_place(people["liverpool.practitioner"], session)
    assert booking.partnership == world.partnerships["Liverpool"]

    session.eligible_agencies.set([world.agencies[("Wirral", "Police")]])
    with pytest.raises(services.BookingError, match="for people working in Police"):
        services.request_place(people["practitioner"], session)


def test_a_course_the_person_may_not_see_cannot_be_booked(
    frozen, make_course, make_session, people, world
):
    course = make_course(sharing_level=SharingLevel.PARTNERSHIP)
    session = make_session(course)
    session.eligible_partnerships.set([world.partnerships["Liverpool"]])
    with pytest.raises(services.BookingError, match="not open to you"):
        services.request_place(people["liverpool.practitioner"], session)


def test_people_outside_every_partnership_cannot_book(frozen, session, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", email="s@example.org")
    with pytest.raises(services.BookingError, match="work in a safeguarding partnership"):
        services.request_place(stranger, session)


# Cut-offs in working days ----------------------------------------------------------------------

# Tuesday 30 March 2027 comes after Good Friday (26) and Easter Monday (29): two working days
# before it are Thursday 25 and Wednesday 24 March.


@pytest.fixture
def after_easter(course, make_session):
    return make_session(course, starts_at=london(2027, 3, 30))


def test_bookings_close_two_working_days_before_skipping_the_easter_bank_holidays(
    after_easter, people
):
    assert services.cutoffs(after_easter).book_until.isoformat() == "2027-03-24"
    with time_machine.travel(london(2027, 3, 24, 23, 50), tick=False):
        services.request_place(people["practitioner"], after_easter)
    with time_machine.travel(london(2027, 3, 25, 8, 0), tick=False):
        with pytest.raises(
            services.BookingError,
            match="Bookings for this session closed on Wednesday 24 March 2027",
        ):
            services.request_place(people["agencylead"], after_easter)


def test_the_partnerships_terms_and_the_sessions_override_set_the_cut_off(
    after_easter, people, wirral
):
    terms = TrainingTerms.objects.for_partnership(wirral)
    terms.booking_cutoff_days = 5
    terms.save()
    # 5 working days before 30 March: 25, 24, 23, 22, 19 March.
    assert services.cutoffs(after_easter).book_until.isoformat() == "2027-03-19"
    after_easter.booking_cutoff_days = 0
    after_easter.save()
    assert services.cutoffs(after_easter).book_until.isoformat() == "2027-03-30"


def test_a_session_that_has_started_cannot_be_booked(after_easter, people):
    after_easter.booking_cutoff_days = 0
    after_easter.save()
    with time_machine.travel(london(2027, 3, 30, 10, 0), tick=False):
        with pytest.raises(services.BookingError, match="already started"):
            services.request_place(people["practitioner"], after_easter)


def test_delegates_cancel_until_the_cut_off_and_then_are_told_to_contact_the_trainer(
    after_easter, people
):
    after_easter.trainers.add(people["trainer"])
    # Default cancellation cut-off: 3 working days, so the end of Tuesday 23 March.
    with time_machine.travel(london(2027, 3, 1), tick=False):
        first = services.request_place(people["practitioner"], after_easter)
        second = services.request_place(people["agencylead"], after_easter)
    with time_machine.travel(london(2027, 3, 23, 17, 0), tick=False):
        services.cancel(first, people["practitioner"])
    with time_machine.travel(london(2027, 3, 24, 9, 0), tick=False):
        with pytest.raises(services.BookingError) as refused:
            services.cancel(second, people["agencylead"])
    assert "cut-off was Tuesday 23 March 2027" in refused.value.message
    assert "contact the trainer (trainer@example.org)" in refused.value.message
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (BookingState.CANCELLED, BookingState.BOOKED)


def test_only_the_delegate_cancels_their_booking(frozen, session, people):
    booking = services.request_place(people["practitioner"], session)
    with pytest.raises(services.NotYours):
        services.cancel(booking, people["agencylead"])


# The waiting list --------------------------------------------------------------------------------


@pytest.fixture
def full(frozen, course, make_session, make_person, run_commits):
    """A session of two places, both taken, and three people waiting in order."""
    session = make_session(course, capacity=2)
    people = [make_person(f"p{i}.person") for i in range(5)]
    for person in people:
        frozen.shift(timedelta(minutes=1))
        run_commits(services.request_place, person, session)
    return session, people


def test_when_full_people_join_the_waiting_list_in_order(full):
    session, people = full
    states = [Booking.objects.get(user=p).state for p in people]
    assert states == ["booked", "booked", "waiting", "waiting", "waiting"]
    queue = session.bookings.filter(state="waiting").order_by("waiting_since")
    assert [b.user for b in queue] == people[2:]
    assert (
        subjects().count(
            "Waiting list: Working together: essentials, Wednesday 14 April 2027, 09:30 to 12:30"
        )
        == 3
    )


def test_cancelling_offers_the_place_to_the_first_waiting_then_the_next_when_declined(
    full, frozen, run_commits
):
    session, people = full
    mail.outbox.clear()
    run_commits(services.cancel, Booking.objects.get(user=people[0]), people[0])
    offered = Booking.objects.get(user=people[2])
    assert offered.state == BookingState.OFFERED
    assert offered.offer_expires_at == timezone.now() + timedelta(hours=48)
    assert mail.outbox[0].to == [people[2].email]
    assert mail.outbox[0].subject.startswith("A place is free for you")
    assert "before 12:05 on Wednesday 3 March 2027" in mail.outbox[0].body

    # A newcomer joins the queue even though a place is held for the offer.
    newcomer_booking = services.request_place(people[0], session)
    assert newcomer_booking.state == BookingState.WAITING

    run_commits(services.decline_offer, offered, people[2])
    assert Booking.objects.get(user=people[3]).state == BookingState.OFFERED
    assert Booking.objects.filter(state__in=BookingState.holding_a_place()).count() == 2


def test_an_accepted_offer_is_a_place(full, run_commits):
    session, people = full
    run_commits(services.cancel, Booking.objects.get(user=people[1]), people[1])
    offered = Booking.objects.get(user=people[2])
    mail.outbox.clear()
    run_commits(services.accept_offer, offered, people[2])
    offered.refresh_from_db()
    assert offered.state == BookingState.BOOKED
    assert mail.outbox[0].subject.startswith("Place confirmed")


def test_an_expired_offer_goes_to_the_next_person_and_cannot_be_accepted(full, frozen, run_commits):
    session, people = full
    run_commits(services.cancel, Booking.objects.get(user=people[0]), people[0])
    offered = Booking.objects.get(user=people[2])

    frozen.shift(timedelta(hours=47))
    assert services.expire_offers() == 0
    frozen.shift(timedelta(hours=1, seconds=1))
    assert run_commits(services.expire_offers) == 1
    assert services.expire_offers() == 0  # a second run changes nothing
    offered.refresh_from_db()
    assert offered.state == BookingState.OFFER_EXPIRED
    assert Booking.objects.get(user=people[3]).state == BookingState.OFFERED
    with pytest.raises(services.BookingError, match="no offer to accept"):
        services.accept_offer(offered, people[2])


def test_an_offer_not_yet_expired_by_the_job_still_cannot_be_accepted_late(full, frozen):
    session, people = full
    services.cancel(Booking.objects.get(user=people[0]), people[0])
    frozen.shift(timedelta(hours=49))
    with pytest.raises(services.BookingError, match="offer has expired"):
        services.accept_offer(Booking.objects.get(user=people[2]), people[2])


def test_offers_follow_the_partnerships_offer_hours_and_never_outlive_the_session(
    full, frozen, wirral
):
    session, people = full
    terms = TrainingTerms.objects.for_partnership(wirral)
    terms.offer_hours = 24 * 14
    terms.save()
    session.starts_at = london(2027, 3, 8)
    session.ends_at = london(2027, 3, 8, 12)
    session.save()
    services.cancel(Booking.objects.get(user=people[0]), people[0])
    assert Booking.objects.get(user=people[2]).offer_expires_at == session.starts_at


def test_more_places_are_offered_to_the_people_waiting(full):
    session, people = full
    session.capacity = 4
    session.save()
    offered = services.offer_next(session)
    assert [b.user for b in offered] == people[2:4]


# Line manager approval ---------------------------------------------------------------------------


@pytest.fixture
def needs_approval(session):
    session.requires_manager_approval = True
    session.save()
    return session


def test_a_session_needing_approval_asks_for_the_line_managers_address(
    frozen, needs_approval, people
):
    with pytest.raises(services.LineManagerError, match="line manager's email address"):
        services.request_place(people["practitioner"], needs_approval)
    with pytest.raises(services.LineManagerError, match="correct format"):
        services.request_place(people["practitioner"], needs_approval, "not-an-address")
    with pytest.raises(services.LineManagerError, match="not your own"):
        services.request_place(people["practitioner"], needs_approval, "Practitioner@example.org")


def test_the_line_manager_approves_through_the_signed_link(
    frozen, needs_approval, people, run_commits
):
    booking = run_commits(
        services.request_place, people["practitioner"], needs_approval, "boss@example.org"
    )
    assert booking.state == BookingState.REQUESTED and booking.holds_a_place
    request_mail = mail.outbox[0]
    assert request_mail.to == ["boss@example.org"]
    assert "Pat Okafor (Wirral Early Help)" in request_mail.body
    token = services.approval_token(booking)
    assert f"/training/approval/{token}/" in request_mail.body
    assert "http" not in needs_approval.online_link  # nothing to leak here, but see test_ical

    found = services.booking_for_token(token)
    run_commits(services.approve, found)
    booking.refresh_from_db()
    assert booking.state == BookingState.BOOKED
    assert mail.outbox[-1].subject.startswith("Place confirmed")
    with pytest.raises(services.BookingError, match="already been decided"):
        services.refuse(booking)


def test_a_refusal_releases_the_place_to_the_first_waiting(
    frozen, needs_approval, people, run_commits
):
    needs_approval.capacity = 1
    needs_approval.save()
    booking = services.request_place(people["practitioner"], needs_approval, "boss@example.org")
    waiting = services.request_place(people["agencylead"], needs_approval, "boss2@example.org")
    assert waiting.state == BookingState.WAITING
    mail.outbox.clear()
    run_commits(services.refuse, booking)
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.state == BookingState.REFUSED
    assert waiting.state == BookingState.OFFERED
    assert sorted(m.to[0] for m in mail.outbox) == [
        "agencylead@example.org",
        "practitioner@example.org",
    ]
    # Accepting an offer on a session needing approval asks the line manager now.
    run_commits(services.accept_offer, waiting, people["agencylead"])
    waiting.refresh_from_db()
    assert waiting.state == BookingState.REQUESTED
    assert mail.outbox[-1].to == ["boss2@example.org"]


def test_approval_links_are_refused_when_forged_expired_or_for_another_address(
    frozen, needs_approval, people
):
    booking = services.request_place(people["practitioner"], needs_approval, "boss@example.org")
    token = services.approval_token(booking)
    with pytest.raises(services.BookingError, match="not valid"):
        services.booking_for_token(token[:-2] + "xx")
    Booking.objects.filter(pk=booking.pk).update(line_manager_email="other@example.org")
    with pytest.raises(services.BookingError, match="not valid any more"):
        services.booking_for_token(token)
    Booking.objects.filter(pk=booking.pk).update(line_manager_email="boss@example.org")
    frozen.shift(timedelta(days=15))
    with pytest.raises(services.BookingError, match="expired"):
        services.booking_for_token(token)


# Reminders ---------------------------------------------------------------------------------------


def test_the_reminder_goes_two_working_days_before_once(session, people, run_commits):
    from training.tasks import send_session_reminders_task

    with time_machine.travel(london(2027, 3, 1), tick=False):
        run_commits(services.request_place, people["practitioner"], session)
    mail.outbox.clear()
    # Wednesday 14 April 2027: two working days before is Monday 12 April.
    with time_machine.travel(london(2027, 4, 9, 7, 30), tick=False):
        assert send_session_reminders_task.delay("2027-04-09").get() == 0
    with time_machine.travel(london(2027, 4, 12, 7, 30), tick=False):
        assert send_session_reminders_task.delay("2027-04-12").get() == 1
        assert send_session_reminders_task.delay("2027-04-12").get() == 0
    with time_machine.travel(london(2027, 4, 13, 7, 30), tick=False):
        assert send_session_reminders_task.delay("2027-04-13").get() == 0
    assert subjects() == [
        "Reminder: Working together: essentials, Wednesday 14 April 2027, 09:30 to 12:30"
    ]
    assert mail.outbox[0].attachments


def test_a_notice_whose_booking_moved_on_is_not_sent(frozen, session, people):
    booking = services.request_place(people["practitioner"], session)
    services.cancel(booking, people["practitioner"])
    assert send_notice(booking.pk, "confirmed") is False
    assert mail.outbox == []
