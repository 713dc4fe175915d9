"""The register: who came to a session, and what their agency is charged when they did not.

A session's trainers and its course's partnership managers mark each delegate who held a place
attended, did not attend, or cancelled late, once the session has started. Marking fixes the
charge from the partnership's training terms in force then (the fee for the course's duration;
a late cancellation only if the terms say so), against the agency the delegate booked with;
marking someone attended clears it. Who marked and when is kept on the booking and in Wagtail's
audit log, so a disputed charge can be traced.

Views and admin hooks call these functions; none repeats their rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from partnership.access import has_role, membership_of, sees_everything
from partnership.models import Role

from .models import Booking, BookingState, Session, TrainingTerms

MARKED = "hub.training.register_marked"

# Everyone who held a place when the session began: booked, or already marked.
ON_REGISTER = [
    BookingState.BOOKED,
    BookingState.ATTENDED,
    BookingState.DID_NOT_ATTEND,
    BookingState.CANCELLED_LATE,
]


class RegisterError(Exception):
    """A register change that is refused, with the reason as a sentence to show the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RegisterPermissionError(RegisterError):
    """Refused because of who is asking: views answer 403."""


def _manages(user, partnership_id) -> bool:
    membership = membership_of(user)
    return bool(
        membership
        and membership.partnership_id == partnership_id
        and has_role(user, Role.PARTNERSHIP_MANAGER)
    )


def may_see_bookings(user, session: Session) -> bool:
    """A session's delegates (its bookings, their access needs, its export, sign-in sheet and
    emails) are for its trainers and the managers of the partnership that runs the course."""
    if sees_everything(user):
        return True
    if _manages(user, session.course.partnership_id):
        return True
    return session.trainers.filter(pk=user.pk).exists()


def may_keep_register(user, session: Session) -> bool:
    """The people who see the session's delegates, with an active account and a membership.
    Other trainers of the partnership are not enough: the register is evidence for a charge,
    so it is kept by the people who were in the room or who answer for the charges."""
    if not getattr(user, "is_active", False):
        return False
    if not sees_everything(user) and membership_of(user) is None:
        return False
    return may_see_bookings(user, session)


def has_started(session: Session, now=None) -> bool:
    return (now or timezone.now()) >= session.starts_at


def registers_for(user, now=None):
    """Sessions that have started whose register `user` may keep, most recent first."""
    now = now or timezone.now()
    sessions = Session.objects.filter(starts_at__lte=now, cancelled_at__isnull=True)
    if sees_everything(user):
        return sessions.order_by("-starts_at")
    membership = membership_of(user)
    if membership is None:
        return sessions.none()
    mine = Q(pk__in=Session.trainers.through.objects.filter(user_id=user.pk).values("session_id"))
    if has_role(user, Role.PARTNERSHIP_MANAGER):
        mine |= Q(course__partnership_id=membership.partnership_id)
    return sessions.filter(mine).order_by("-starts_at")


def delegates(session: Session):
    """The bookings on the register, by surname."""
    return (
        session.bookings.filter(state__in=ON_REGISTER)
        .select_related("user", "agency", "marked_by")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def charge_for(state: str, terms: TrainingTerms, duration: str) -> Decimal | None:
    """What the agency is charged for a delegate marked `state`; None means no charge."""
    if state == BookingState.DID_NOT_ATTEND:
        return terms.fee_for(duration)
    if state == BookingState.CANCELLED_LATE and terms.charge_late_cancellation:
        return terms.fee_for(duration)
    return None


@dataclass
class MarkResult:
    changed: int = 0
    unchanged: int = 0


def mark(session: Session, user, marks: dict[int, str], now=None) -> MarkResult:
    """Record the register: `marks` maps booking ids to attended / did not attend / cancelled
    late. All or nothing: one bad entry and nothing is saved."""
    now = now or timezone.now()
    allowed = set(BookingState.register())
    for state in marks.values():
        if state not in allowed:
            raise RegisterError(f"{state!r} is not a mark the register takes")
    with transaction.atomic():
        # Lock the session first, so that two trainers saving at once queue behind each other
        # and the log holds each change once.
        session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        if not may_keep_register(user, session):
            raise RegisterPermissionError(
                "Only the session's trainers and its partnership's managers can keep its register"
            )
        if session.cancelled_at is not None:
            raise RegisterError("This session was cancelled, so it has no register")
        if not has_started(session, now):
            raise RegisterError("The register opens when the session starts")
        bookings = {
            b.pk: b
            for b in Booking.objects.select_for_update()
            .filter(session=session, pk__in=list(marks), state__in=ON_REGISTER)
            .order_by("pk")
        }
        missing = set(marks) - set(bookings)
        if missing:
            raise RegisterError(
                "Someone on the form is no longer on this session's register: reload the page"
            )
        terms = TrainingTerms.objects.for_partnership(session.course.partnership_id)
        result = MarkResult()
        for booking_id in sorted(marks):
            booking = bookings[booking_id]
            state = marks[booking_id]
            charge = charge_for(state, terms, session.course.duration)
            if booking.state == state and booking.charge == charge:
                result.unchanged += 1
                continue
            before = booking.state
            booking.state = state
            booking.charge = charge
            booking.marked_by = user
            booking.marked_at = now
            booking.save(update_fields=["state", "charge", "marked_by", "marked_at"])
            log(
                booking,
                MARKED,
                user=user,
                # Named without the delegate: the log is read more widely than the register.
                title=f"Register of {session}, booking {booking.pk}",
                data={
                    "session": session.pk,
                    "from_state": before,
                    "to_state": state,
                    "charge": str(charge) if charge is not None else None,
                },
            )
            result.changed += 1
    return result
