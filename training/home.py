"""Training's part of each person's home page (`hub.home`): what a delegate must do next, and
what a trainer has coming and left to mark. Every answer comes from the services that own the
rules (`training.booking`, `training.evaluations`, `training.register`)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil

from hub import audience_cache
from hub.home import SOON, URGENT, Item, Section
from partnership.access import has_role, membership_of, reader_key
from partnership.models import Role

from . import booking as services
from . import evaluations, register
from .models import BookingState, Session

SHOWN = 5  # items a section lists before "see all"
# An offer this close to expiring is shown in red.
URGENT_HOURS = 48


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "l j F Y, H:i")


def _offer_item(booking, now) -> Item:
    left = booking.offer_expires_at - now
    return Item(
        text=f"Accept your place on {booking.session.course.title}",
        # My training holds the Accept and Decline buttons.
        url=f"{reverse('my-training')}#offer-{booking.pk}",
        detail=f"Session {_when(booking.session.starts_at)}. "
        f"The offer expires {_when(booking.offer_expires_at)}.",
        tag=f"Expires in {timeuntil(booking.offer_expires_at, now, depth=1)}",
        tag_colour=URGENT if left.total_seconds() < URGENT_HOURS * 3600 else SOON,
    )


def _session_item(booking) -> Item:
    session = booking.session
    where = "Online" if session.delivery == "online" else session.venue.partition("\n")[0]
    return Item(
        text=session.course.title,
        url=reverse("training-booking", args=[booking.pk]),
        detail=". ".join(part for part in (_when(session.starts_at), where) if part),
        tag=booking.get_state_display() if booking.state != BookingState.BOOKED else "",
    )


def _next_step(outcome, course: str, day: str) -> Item | None:
    """The one thing to do next about an attended session, in the order My training asks."""
    if outcome.evaluate_url:
        url, text = outcome.evaluate_url, f"Evaluate {course}"
        detail = f"Attended {day}. Your certificate is ready once you evaluate it."
    elif outcome.follow_up_url:
        url, text = outcome.follow_up_url, f"Say how {course} changed your practice"
        detail = f"Attended {day}: the follow-up is open."
    elif outcome.certificate_url:
        return Item(
            text=f"Certificate: {course}", url=outcome.certificate_url, detail=f"Attended {day}."
        )
    else:
        return None
    return Item(text=text, url=url, detail=detail, tag="To do", tag_colour=SOON)


def _next_steps(user, now) -> list[Item]:
    """Evaluations to give (each releases its certificate), follow-ups open, certificates."""
    items = []
    for booking in services.past_for(user)[:20]:
        day = date_format(timezone.localtime(booking.session.starts_at), "j F Y")
        step = _next_step(evaluations.outcome(booking, now), booking.session.course.title, day)
        if step is not None:
            items.append(step)
    return items


def delegate_sections(request):
    """On the site, for everyone signed in: offers, next sessions, evaluations and certificates."""
    user = request.user
    if membership_of(user) is None:
        return None
    now = timezone.now()
    upcoming = list(services.upcoming_for(user)[:50])
    offers = [
        b
        for b in upcoming
        if b.state == BookingState.OFFERED and b.offer_expires_at and b.offer_expires_at > now
    ]
    offers.sort(key=lambda b: b.offer_expires_at)
    coming = [b for b in upcoming if b.state in (BookingState.BOOKED, BookingState.REQUESTED)]
    steps = _next_steps(user, now)
    my_training = reverse("my-training")
    sections = [
        Section(
            key="training-next",
            heading="Your training",
            items=tuple(_session_item(b) for b in coming[:SHOWN]),
            empty="You have no sessions booked.",
            more_url=my_training,
            more_text="All your training",
            order=30,
        ),
    ]
    if offers:
        sections.append(
            Section(
                key="training-offers",
                heading="Places offered to you",
                items=tuple(_offer_item(b, now) for b in offers),
                order=10,
            )
        )
    if steps:
        sections.append(
            Section(
                key="training-after",
                heading="After your training",
                items=tuple(steps[:SHOWN]),
                more_url=my_training,
                more_text="All your evaluations and certificates",
                order=20,
            )
        )
    return sections


def _trains(user) -> bool:
    return has_role(user, Role.TRAINER) or has_role(user, Role.PARTNERSHIP_MANAGER)


def trainer_sections(request):
    """In the admin, for trainers and partnership managers: the next sessions they run with
    places and waiting lists, and the registers still to mark. Kept per reader under the page
    cache's generation, which any session or booking saved (a place taken, a register marked)
    renews, and for the page cache's timeout at most (a session ending moves to the registers
    within it)."""
    user = request.user
    if not _trains(user):
        return None
    # The reader is the whole audience: a trainer's own sessions, a manager's partnership's.
    return audience_cache.remember(
        "home:trainer", [reader_key(user)], {}, lambda: _trainer_sections(user)
    )


def _trainer_sections(user):
    now = timezone.now()
    mine = Session.objects.filter(
        trainers=user, cancelled_at__isnull=True, ends_at__gte=now
    ).select_related("course")
    coming = list(mine.with_place_counts().order_by("starts_at")[:SHOWN])
    to_mark = list(
        register.registers_for(user, now)
        .filter(ends_at__lt=now)
        .select_related("course")
        .annotate(unmarked=Count("bookings", filter=Q(bookings__state=BookingState.BOOKED)))
        .filter(unmarked__gt=0)[:SHOWN]
    )
    trainer = has_role(user, Role.TRAINER)
    sections = []
    # A manager who trains nothing sees registers only when some are left to mark.
    if trainer or to_mark:
        sections.append(
            Section(
                key="trainer-registers",
                heading="Registers to mark",
                items=tuple(
                    Item(
                        text=f"{session.course.title}, {_when(session.starts_at)}",
                        url=reverse("training_register", args=[session.pk]),
                        detail=f"{session.unmarked} delegates not yet marked.",
                        tag="To mark",
                        tag_colour=SOON,
                    )
                    for session in to_mark
                ),
                empty="Every register is marked.",
                more_url=reverse("training_registers"),
                more_text="All registers",
                order=20,
            )
        )
    if trainer or coming:
        sections.append(
            Section(
                key="trainer-sessions",
                heading="Your next sessions",
                items=tuple(
                    Item(
                        text=f"{session.course.title}, {_when(session.starts_at)}",
                        url=reverse("training_session_bookings", args=[session.pk]),
                        detail=f"{session.booked_count} of {session.capacity} places taken"
                        + (f", {session.waiting_count} waiting." if session.waiting_count else "."),
                        tag="Full" if session.booked_count >= session.capacity else "",
                        tag_colour=SOON,
                    )
                    for session in coming
                ),
                empty="You are not down to train any session.",
                order=30,
            )
        )
    return sections
