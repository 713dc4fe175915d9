"""The register: only once the session has started, only its trainers and its partnership's
managers, all or nothing, and who marked it recorded on the booking and in the audit log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from training import register
from training.models import BookingState

from .factories_register import make_booking, make_delegate, make_session

S = BookingState


def marks_for(rw, *states):
    return {b.pk: s for b, s in zip(rw.bookings, states, strict=False)}


def test_the_sessions_trainer_marks_the_register(register_world):
    rw = register_world
    result = register.mark(rw.session, rw.trainer, marks_for(rw, S.ATTENDED, S.DID_NOT_ATTEND))
    assert (result.changed, result.unchanged) == (2, 0)
    first, second, third = (type(b).objects.get(pk=b.pk) for b in rw.bookings)
    assert first.state == S.ATTENDED and first.marked_by == rw.trainer
    assert first.marked_at is not None
    assert second.state == S.DID_NOT_ATTEND
    assert third.state == S.BOOKED and third.marked_by is None

    entries = ModelLogEntry.objects.filter(action=register.MARKED)
    assert entries.count() == 2
    entry = entries.get(object_id=str(second.pk))
    assert entry.user_id == rw.trainer.pk
    assert entry.data["to_state"] == "did_not_attend" and entry.data["charge"] == "100.00"
    assert "ben" not in entry.label.lower()

    # Saving the same marks again changes nothing and logs nothing.
    again = register.mark(rw.session, rw.trainer, marks_for(rw, S.ATTENDED, S.DID_NOT_ATTEND))
    assert (again.changed, again.unchanged) == (0, 2)
    assert ModelLogEntry.objects.filter(action=register.MARKED).count() == 2


def test_the_register_opens_only_when_the_session_starts(register_world):
    rw = register_world
    later = make_session(rw.course, timezone.now() + timedelta(days=2), trainers=[rw.trainer])
    booking = make_booking(later, rw.delegates[0])
    with pytest.raises(register.RegisterError, match="opens when the session starts"):
        register.mark(later, rw.trainer, {booking.pk: S.ATTENDED})
    booking.refresh_from_db()
    assert booking.state == S.BOOKED
    # At the start it opens.
    register.mark(later, rw.trainer, {booking.pk: S.ATTENDED}, now=later.starts_at)


def test_only_its_trainers_and_its_partnerships_managers_keep_it(register_world, other_trainer):
    rw = register_world
    people = rw.world.people
    assert register.may_keep_register(rw.trainer, rw.session)
    assert register.may_keep_register(people["manager"], rw.session)
    assert register.may_keep_register(people["admin"], rw.session)
    for outsider in (
        other_trainer,
        people["liverpool.manager"],
        people["qa"],
        people["practitioner"],
        rw.delegates[0],
    ):
        assert not register.may_keep_register(outsider, rw.session), outsider
        with pytest.raises(register.RegisterPermissionError):
            register.mark(rw.session, outsider, marks_for(rw, S.ATTENDED))
    rw.trainer.is_active = False
    assert not register.may_keep_register(rw.trainer, rw.session)


def test_all_or_nothing(register_world):
    rw = register_world
    with pytest.raises(register.RegisterError, match="is not a mark"):
        register.mark(rw.session, rw.trainer, marks_for(rw, S.ATTENDED, S.WAITING))
    elsewhere = make_session(rw.course, timezone.now() - timedelta(days=3))
    stranger = make_booking(elsewhere, make_delegate(rw.world, "dee.other"))
    with pytest.raises(register.RegisterError, match="no longer on this session"):
        register.mark(
            rw.session, rw.trainer, {rw.bookings[0].pk: S.ATTENDED, stranger.pk: S.ATTENDED}
        )
    assert {type(b).objects.get(pk=b.pk).state for b in rw.bookings} == {S.BOOKED}


def test_cancelled_and_waiting_people_are_not_on_the_register(register_world):
    rw = register_world
    make_booking(rw.session, make_delegate(rw.world, "eve.waiting"), S.WAITING)
    make_booking(rw.session, make_delegate(rw.world, "fay.cancelled"), S.CANCELLED)
    late = make_booking(rw.session, make_delegate(rw.world, "gus.late"), S.CANCELLED_LATE)
    on = list(register.delegates(rw.session))
    assert len(on) == 4 and late in on


def test_registers_listed_for_trainer_and_manager(register_world, other_trainer):
    rw = register_world
    future = make_session(rw.course, timezone.now() + timedelta(days=5), trainers=[rw.trainer])
    mine = list(register.registers_for(rw.trainer))
    assert rw.session in mine and future not in mine
    assert rw.session in register.registers_for(rw.world.people["manager"])
    assert not register.registers_for(other_trainer).exists()
    assert not register.registers_for(rw.world.people["liverpool.manager"]).exists()


# The admin page


def test_the_admin_register_page_saves_every_mark_at_once(client, register_world):
    rw = register_world
    client.force_login(rw.trainer)
    url = reverse("training_register", args=[rw.session.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ada Delegate" in html and f'name="mark-{rw.bookings[0].pk}"' in html
    assert "Mark for Ada Delegate" in html  # each radio group has its own legend

    response = client.post(
        url,
        {
            f"mark-{rw.bookings[0].pk}": S.ATTENDED,
            f"mark-{rw.bookings[1].pk}": S.DID_NOT_ATTEND,
            f"mark-{rw.bookings[2].pk}": S.CANCELLED_LATE,
        },
    )
    assert response.status_code == 302
    states = [type(b).objects.get(pk=b.pk).state for b in rw.bookings]
    assert states == [S.ATTENDED, S.DID_NOT_ATTEND, S.CANCELLED_LATE]

    listing = client.get(reverse("training_registers"))
    assert "Neglect: the graded care profile" in listing.content.decode()


def test_a_bad_mark_keeps_what_was_chosen(client, register_world):
    rw = register_world
    client.force_login(rw.trainer)
    url = reverse("training_register", args=[rw.session.pk])
    response = client.post(
        url, {f"mark-{rw.bookings[0].pk}": S.ATTENDED, f"mark-{rw.bookings[1].pk}": "lost"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a mark the register takes" in html
    assert f'id="mark-{rw.bookings[0].pk}-attended" value="attended" checked' in html


def test_people_who_may_not_keep_it_get_404_or_403(client, register_world, other_trainer):
    rw = register_world
    url = reverse("training_register", args=[rw.session.pk])
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"mark-{rw.bookings[0].pk}": S.ATTENDED}).status_code == 404
    client.force_login(rw.world.people["qa"])
    assert client.get(url).status_code in (302, 403)
    client.force_login(rw.world.people["manager"])
    assert client.get(url).status_code == 200
