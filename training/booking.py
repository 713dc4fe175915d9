"""Booking a place on a training session: the use-cases, one function each.

Who may book is the session's eligibility (see `Session`) and the course's access policy; when is
the partnership's training terms (cut-offs in working days, England bank holidays excluded), which
a session may override. Capacity is never exceeded: every change that takes or frees a place
locks the session's row first (`select_for_update()` inside `transaction.atomic()`), so on
PostgreSQL concurrent requests for one session queue behind each other and each counts the places
its predecessors took; on SQLite the database's single writer does the same.

Each function checks its preconditions and raises `BookingError` with a sentence to show the
person, writes inside one transaction, records an audit entry, and enqueues its email after the
commit (`training.tasks`): an email about a change that rolled back is never sent.

The line manager's approval is asked by email with a signed link that expires (see
`approval_token`). The link itself is the proof: line managers are often not Hub users, and asking
them to sign in would either shut them out or tell whoever holds the link whether an address has
an account. It only ever shows the delegate's name and the course, and a GET never decides: the
page asks the manager to press Approve or Refuse (a POST), so a mail scanner following the link
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core import signing
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.log_actions import log

from hub.formats import long_date
from hub.working_days import subtract_working_days
from partnership.access import can_view, membership_of

from .models import Booking, BookingState, Session, TrainingNoticeKind, TrainingTerms
from .models.booking import ACCESS_NEEDS_MAX

APPROVAL_SALT = "training.approval"
# The longest an approval link lives; it dies sooner if the session starts first.
APPROVAL_MAX_AGE = timedelta(days=14)

# States whose delegate has a confirmed place: only they see the online link.
CONFIRMED = (BookingState.BOOKED, BookingState.ATTENDED)
# What the delegate may still withdraw from on the site.
CANCELLABLE = (
    BookingState.REQUESTED,
    BookingState.BOOKED,
    BookingState.WAITING,
    BookingState.OFFERED,
)


class BookingError(Exception):
    """A booking change refused, with the reason as a sentence to show the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LineManagerError(BookingError):
    """The line manager's address is missing or wrong: the form shows it by that field."""


class AlreadyBooked(BookingError):
    """The person holds an active booking of the session already: that one is theirs to use."""

    def __init__(self, booking: Booking):
        super().__init__(already_message(booking))
        self.booking = booking


class NotYours(BookingError):
    """Refused because of who is asking: views answer 404, as for a booking they cannot see."""


# Rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cutoffs:
    """The last days on which a place may be booked and cancelled online (both inclusive)."""

    book_until: date
    cancel_until: date


def terms_for(session: Session) -> TrainingTerms:
    cached = getattr(session, "_terms", None)
    if cached is None:
        cached = session._terms = TrainingTerms.objects.for_partnership(
            session.course.partnership_id
        )
    return cached


def cutoffs(session: Session, terms: TrainingTerms | None = None) -> Cutoffs:
    """N working days before the session's day: bookings close at the end of that day.

    Counted back as reviews count deadlines (hub.working_days): day 1 is the first working day
    before the session, so a Monday session with a 2-day cut-off closes at the end of the
    Thursday before, and a bank holiday in between pushes it a day earlier."""
    terms = terms or terms_for(session)
    day = timezone.localtime(session.starts_at).date()
    book_days = session.booking_cutoff_days
    cancel_days = session.cancellation_cutoff_days
    return Cutoffs(
        book_until=subtract_working_days(
            day, terms.booking_cutoff_days if book_days is None else book_days
        ),
        cancel_until=subtract_working_days(
            day, terms.cancellation_cutoff_days if cancel_days is None else cancel_days
        ),
    )


def eligible_partnership_ids(session: Session) -> set[int]:
    """Uses the prefetched eligibility when there is one (the course page lists many)."""
    listed = {p.pk for p in session.eligible_partnerships.all()}
    return listed or {session.course.partnership_id}


def ineligibility(user, session: Session, *, course_visible: bool = False) -> str | None:
    """Why `user` may not book `session`, or None if they may.

    People of the listed partnerships (the course's own when none are listed) and, if agencies are
    listed, only of those agencies; and only if they may see the course at all (the course page
    says `course_visible`, having asked the policy already)."""
    membership = membership_of(user)
    if membership is None:
        return "Only people who work in a safeguarding partnership can book training."
    if not course_visible and not can_view(user, session.course):
        return "This course is not open to you."
    if membership.partnership_id not in eligible_partnership_ids(session):
        return (
            f"This session is for people working in "
            f"{_names(session.eligible_partnerships.all()) or session.course.partnership}."
        )
    agencies = list(session.eligible_agencies.all())
    if agencies and membership.agency_id not in {a.pk for a in agencies}:
        return f"This session is for people working in {_names(agencies, 'short_name')}."
    return None


def _names(records, attribute: str = "short_name") -> str:
    names = sorted(str(getattr(r, attribute)) for r in records)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def booking_closed(session: Session, now: datetime | None = None) -> str | None:
    """Why bookings are closed, or None while they are open."""
    now = now or timezone.now()
    if session.cancelled_at:
        return "This session has been cancelled."
    if session.starts_at <= now:
        return "This session has already started."
    until = cutoffs(session).book_until
    if timezone.localdate(now) > until:
        return f"Bookings for this session closed on {long_date(until, weekday=True)}."
    return None


def shows_online_link(booking: Booking) -> bool:
    """The online joining link is for delegates with a confirmed place, nobody else."""
    return bool(booking.session.online_link) and booking.state in CONFIRMED


# Use-cases -----------------------------------------------------------------------------------


def _lock(session: Session) -> Session:
    """The session's row, locked until the transaction ends: the one place capacity is guarded."""
    # `of=("self",)`: lock the session only, not the course page joined in, so that bookings
    # for other sessions of the course and the course's publishing never wait on this one.
    locked = (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    )
    # What was read of the session before the lock (its terms, its eligible partnerships and
    # agencies, when prefetched) is kept, not read again: none of it guards capacity.
    locked._terms = getattr(session, "_terms", None)
    prefetched = getattr(session, "_prefetched_objects_cache", None)
    if prefetched:
        locked._prefetched_objects_cache = dict(prefetched)
    return locked


def places_taken(session: Session) -> int:
    return session.bookings.filter(state__in=BookingState.holding_a_place()).count()


@dataclass(frozen=True)
class Occupancy:
    """A session's places as one query reads them, with the asking person's own active booking."""

    taken: int
    waiting: bool
    mine: bool

    @classmethod
    def of(cls, session: Session, user) -> Occupancy:
        counts = session.bookings.aggregate(
            taken=Count("pk", filter=Q(state__in=BookingState.holding_a_place())),
            waiting=Count("pk", filter=Q(state=BookingState.WAITING)),
            mine=Count("pk", filter=Q(user=user, state__in=BookingState.active())),
        )
        return cls(counts["taken"], counts["waiting"] > 0, counts["mine"] > 0)

    def free(self, session: Session) -> bool:
        """A free place goes to a newcomer only when nobody is waiting for one."""
        return self.taken < session.capacity and not self.waiting


def active_booking(user, session: Session) -> Booking | None:
    return session.bookings.filter(user=user, state__in=BookingState.active()).first()


def _audit(booking: Booking, verb: str, user) -> None:
    log(
        booking,
        f"hub.training.{verb}",
        user=user if getattr(user, "is_authenticated", False) else None,
        data={"session": booking.session_id, "state": booking.state},
    )


def _notify(booking: Booking, kind: str, key: str = "") -> None:
    from .tasks import send_booking_notice_task

    send_booking_notice_task.delay_on_commit(booking.pk, kind, key)


def request_place(
    user, session: Session, line_manager_email: str = "", access_needs: str = ""
) -> Booking:
    """Book `user` a place, ask their line manager's approval, or put them on the waiting list.

    A free place goes to the newcomer only when nobody is waiting: places freed while people
    wait are offered to them in turn (`offer_next`), never taken by whoever asks next."""
    line_manager_email = (line_manager_email or "").strip()
    now = timezone.now()
    try:
        with transaction.atomic():
            session = _lock(session)
            reason = ineligibility(user, session) or booking_closed(session, now)
            if reason:
                raise BookingError(reason)
            occupancy = Occupancy.of(session, user)
            if occupancy.mine:
                raise AlreadyBooked(active_booking(user, session))
            if session.requires_manager_approval:
                _check_line_manager(user, line_manager_email)
            booking = _new_booking(user, session, occupancy, line_manager_email, now)
            booking.access_needs = (access_needs or "").strip()[:ACCESS_NEEDS_MAX]
            # Under the session's lock a second active booking of the same person can only come
            # from a writer that did not take it; the unique constraint refuses that one and the
            # whole transaction rolls back (no savepoint needed: nothing was written before).
            booking.save()
            verb = {"booked": "booked", "requested": "requested"}.get(booking.state, "waiting")
            _audit(booking, verb, user)
            _after_place_change(booking)
    except IntegrityError:
        raise BookingError("You already have a booking for this session.") from None
    return booking


def _new_booking(user, session, occupancy: Occupancy, line_manager_email: str, now) -> Booking:
    if not occupancy.free(session):
        state = BookingState.WAITING
    elif session.requires_manager_approval:
        state = BookingState.REQUESTED
    else:
        state = BookingState.BOOKED
    membership = membership_of(user)
    return Booking(
        session=session,
        user=user,
        agency_id=membership.agency_id,
        partnership_id=membership.partnership_id,
        state=state,
        line_manager_email=line_manager_email,
        created_at=now,
        waiting_since=now if state == BookingState.WAITING else None,
        booked_at=now if state == BookingState.BOOKED else None,
    )


@dataclass(frozen=True)
class Outcome:
    """What asking for a place did: `booking` made (booked, waiting or awaiting approval), or the
    person's existing `booking` (`already`), or refused with the `reason` (on `field` when the
    form field it belongs to should say it)."""

    booking: Booking | None = None
    already: bool = False
    reason: str = ""
    field: str = ""

    @property
    def state(self) -> str:
        if self.already:
            return "already"
        return self.booking.state if self.booking else "refused"


def book_place(
    user, session: Session, line_manager_email: str = "", access_needs: str = ""
) -> Outcome:
    """The site's booking form in one call: never raises for a refusal, says what happened."""
    try:
        return Outcome(booking=request_place(user, session, line_manager_email, access_needs))
    except AlreadyBooked as error:
        return Outcome(booking=error.booking, already=True, reason=error.message)
    except LineManagerError as error:
        return Outcome(reason=error.message, field="line_manager_email")
    except BookingError as error:
        return Outcome(reason=error.message)


@dataclass(frozen=True)
class Offer:
    """What the booking form shows before anyone presses Confirm."""

    existing: Booking | None
    reason: str | None
    places_left: int
    joins_waiting_list: bool
    message: str = ""


def offer_for(user, session: Session) -> Offer:
    """Whether `user` may ask for a place on `session` (a course page they may see) and what they
    would get: a place, the waiting list, or the booking they already hold."""
    occupancy = Occupancy.of(session, user)
    existing = active_booking(user, session) if occupancy.mine else None
    reason = booking_closed(session) or ineligibility(user, session, course_visible=True)
    return Offer(
        existing=existing,
        reason=reason,
        places_left=max(session.capacity - occupancy.taken, 0),
        joins_waiting_list=not occupancy.free(session),
        message=already_message(existing) if existing else "",
    )


def already_message(booking: Booking) -> str:
    if booking.state == BookingState.WAITING:
        return "You are already on the waiting list for this session."
    if booking.state == BookingState.OFFERED:
        return "You have been offered a place on this session: accept it on My training."
    if booking.state == BookingState.REQUESTED:
        return "You have already asked for a place on this session."
    return "You already have a place on this session."


def _check_line_manager(user, email: str) -> None:
    if not email:
        raise LineManagerError(
            "Enter your line manager's email address: this session needs their approval."
        )
    try:
        validate_email(email)
    except Exception:
        raise LineManagerError(
            "Enter your line manager's email address in the correct format, like name@example.org."
        ) from None
    if user.email and email.casefold() == user.email.casefold():
        raise LineManagerError("Enter your line manager's email address, not your own.")


def _after_place_change(booking: Booking) -> None:
    """The email that goes with the booking's new state, once."""
    kind = {
        BookingState.BOOKED: TrainingNoticeKind.CONFIRMED,
        BookingState.WAITING: TrainingNoticeKind.WAITING,
        BookingState.REQUESTED: TrainingNoticeKind.APPROVAL,
        BookingState.OFFERED: TrainingNoticeKind.OFFER,
        BookingState.REFUSED: TrainingNoticeKind.REFUSED,
    }.get(booking.state)
    if kind is None:
        return
    # An offer may rightly come twice for one session only through a new booking, but a request
    # may be asked again after an offer is accepted: key both by when they happened.
    key = ""
    if kind == TrainingNoticeKind.OFFER:
        key = booking.offered_at.isoformat()
    _notify(booking, kind, key)


def cancel(booking: Booking, user) -> Booking:
    """The delegate withdraws: a place before the cancellation cut-off, a request, an offer or
    a place in the queue at any time. A place freed is offered to the first person waiting.

    After the cut-off it is a late cancellation, which the trainer records on the register (it
    may be charged): the delegate is told to contact the trainer instead."""
    now = timezone.now()
    with transaction.atomic():
        session = _lock(booking.session)
        booking = _own(booking, user, session)
        if booking.state not in CANCELLABLE:
            raise BookingError("This booking can no longer be cancelled.")
        if booking.state == BookingState.BOOKED:
            until = cutoffs(session).cancel_until
            if timezone.localdate(now) > until or session.starts_at <= now:
                raise BookingError(
                    "It is too late to cancel online: the cut-off was "
                    f"{long_date(until, weekday=True)}. "
                    f"Please contact the trainer{_trainer_contact(session)}."
                )
        held = booking.holds_a_place
        booking.state = BookingState.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["state", "cancelled_at"])
        _audit(booking, "cancelled", user)
        if held:
            _offer_places(session, now)
    return booking


def _trainer_contact(session: Session) -> str:
    emails = [t.email for t in session.trainers.all() if t.email]
    return f" ({', '.join(emails)})" if emails else ""


def _own(booking: Booking, user, session: Session) -> Booking:
    fresh = Booking.objects.select_for_update().get(pk=booking.pk)
    if fresh.user_id != getattr(user, "pk", None):
        raise NotYours("This is not your booking.")
    fresh.session = session
    return fresh


def offer_next(session: Session, now: datetime | None = None) -> list[Booking]:
    """Offer each free place to the first person waiting, by when they joined the queue."""
    with transaction.atomic():
        return _offer_places(_lock(session), now or timezone.now())


def _offer_places(session: Session, now: datetime) -> list[Booking]:
    """With the session locked: offer free places in queue order. Nothing is offered once the
    session has started or been cancelled; an offer never outlives the session's start."""
    if session.cancelled_at or session.starts_at <= now:
        return []
    free = session.capacity - places_taken(session)
    if free <= 0:
        return []
    hours = terms_for(session).offer_hours
    expires = min(now + timedelta(hours=hours), session.starts_at)
    offered = []
    queue = session.bookings.filter(state=BookingState.WAITING).order_by("waiting_since", "pk")
    for booking in queue.select_for_update()[:free]:
        booking.state = BookingState.OFFERED
        booking.offered_at = now
        booking.offer_expires_at = expires
        booking.save(update_fields=["state", "offered_at", "offer_expires_at"])
        booking.session = session
        _audit(booking, "offered", None)
        _after_place_change(booking)
        offered.append(booking)
    return offered


def accept_offer(booking: Booking, user) -> Booking:
    """Take the place offered, before the offer expires; with approval needed, the line manager
    is asked now, and the place stays held while they decide."""
    now = timezone.now()
    with transaction.atomic():
        session = _lock(booking.session)
        booking = _own(booking, user, session)
        if booking.state != BookingState.OFFERED:
            raise BookingError("There is no offer to accept on this booking.")
        if booking.offer_expires_at and booking.offer_expires_at <= now:
            raise BookingError(
                "This offer has expired: the place has been offered to the next person waiting."
            )
        if session.requires_manager_approval:
            booking.state = BookingState.REQUESTED
        else:
            booking.state = BookingState.BOOKED
            booking.booked_at = now
        booking.save(update_fields=["state", "booked_at"])
        _audit(booking, "accepted", user)
        _after_place_change(booking)
    return booking


def decline_offer(booking: Booking, user) -> Booking:
    now = timezone.now()
    with transaction.atomic():
        session = _lock(booking.session)
        booking = _own(booking, user, session)
        if booking.state != BookingState.OFFERED:
            raise BookingError("There is no offer to decline on this booking.")
        booking.state = BookingState.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["state", "cancelled_at"])
        _audit(booking, "declined", user)
        _offer_places(session, now)
    return booking


def expire_offers(now: datetime | None = None) -> int:
    """Expire the offers not taken in time and offer each place to the next person waiting.
    Safe to run twice at once: each session is handled under its own lock."""
    now = now or timezone.now()
    sessions = (
        Booking.objects.filter(state=BookingState.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    expired = 0
    for session_id in sorted(set(sessions)):
        with transaction.atomic():
            session = _lock(Session(pk=session_id))
            stale = list(
                session.bookings.select_for_update().filter(
                    state=BookingState.OFFERED, offer_expires_at__lte=now
                )
            )
            for booking in stale:
                booking.state = BookingState.OFFER_EXPIRED
                booking.save(update_fields=["state"])
                _audit(booking, "offer_expired", None)
            expired += len(stale)
            _offer_places(session, now)
    return expired


# Line manager approval -----------------------------------------------------------------------


def approval_token(booking: Booking) -> str:
    """A signed link token naming the booking and the address it was sent to."""
    return signing.dumps(
        {"b": booking.pk, "e": booking.line_manager_email.casefold()}, salt=APPROVAL_SALT
    )


def booking_for_token(token: str) -> Booking:
    """The booking a link is about, or BookingError if the link is forged, expired or stale."""
    try:
        data = signing.loads(token, salt=APPROVAL_SALT, max_age=APPROVAL_MAX_AGE.total_seconds())
    except signing.SignatureExpired:
        raise BookingError(
            "This link has expired. The delegate can ask again from My training."
        ) from None
    except signing.BadSignature:
        raise BookingError("This link is not valid. Check that you copied all of it.") from None
    booking = (
        Booking.objects.select_related("session__course", "user", "agency")
        .filter(pk=data.get("b"))
        .first()
    )
    if booking is None or booking.line_manager_email.casefold() != data.get("e"):
        raise BookingError("This link is not valid any more.")
    return booking


def approve(booking: Booking, *, by: str = "") -> Booking:
    return _decide(booking, approved=True, by=by)


def refuse(booking: Booking, *, by: str = "") -> Booking:
    return _decide(booking, approved=False, by=by)


def _decide(booking: Booking, *, approved: bool, by: str) -> Booking:
    now = timezone.now()
    with transaction.atomic():
        session = _lock(booking.session)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        booking.session = session
        if booking.state != BookingState.REQUESTED:
            raise BookingError(
                "This request has already been decided or withdrawn: "
                f"the booking is now “{booking.get_state_display().lower()}”."
            )
        if session.starts_at <= now:
            raise BookingError("This session has already started.")
        if approved:
            booking.state = BookingState.BOOKED
            booking.booked_at = now
            booking.save(update_fields=["state", "booked_at"])
        else:
            booking.state = BookingState.REFUSED
            booking.cancelled_at = now
            booking.save(update_fields=["state", "cancelled_at"])
        log(
            booking,
            f"hub.training.{'approved' if approved else 'refused'}",
            user=None,
            data={"session": session.pk, "by": by or booking.line_manager_email},
        )
        _after_place_change(booking)
        if not approved:
            _offer_places(session, now)
    return booking


# Queries for pages ----------------------------------------------------------------------------


def upcoming_for(user):
    """The person's bookings still to come (and those awaiting a decision), soonest first."""
    return (
        Booking.objects.filter(user=user, session__ends_at__gte=timezone.now())
        .exclude(state__in=[BookingState.OFFER_EXPIRED])
        .select_related("session__course")
        .order_by("session__starts_at", "pk")
    )


def past_for(user):
    return (
        Booking.objects.filter(user=user, session__ends_at__lt=timezone.now())
        .filter(Q(state__in=BookingState.holding_a_place()) | Q(state=BookingState.CANCELLED_LATE))
        # The evaluate / certificate / follow-up links of each past booking read these.
        .select_related("session__course__partnership__training_terms")
        .prefetch_related("evaluations")
        .order_by("-session__starts_at", "pk")
    )
