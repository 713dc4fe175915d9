"""iCalendar files: one for each booking (for its delegate) and a feed of upcoming sessions.

Times are written in UTC (the `Z` form), which every calendar program reads and converts to
the reader's zone, so no VTIMEZONE is needed and British Summer Time cannot be got wrong. UIDs
are stable, so importing an updated file moves the event instead of duplicating it. The online
joining link goes only into the file of a delegate with a confirmed place, never into the feed.
"""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from hub.formats import site_host, site_url

from .models import Booking, BookingState, Delivery, Session

PRODID = "-//Safeguarding Learning Hub//Training//EN"


def _domain() -> str:
    return site_host().split(":", 1)[0] or "hub"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _location(session: Session) -> str:
    if session.delivery == Delivery.ONLINE:
        return "Online"
    return " ".join(session.venue.split())


def _event(session: Session, uid: str, url: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.course.title)
    event.add("location", _location(session))
    if url:
        event.add("url", url)
    return event


def _absolute(path: str) -> str:
    return site_url(path) if path else ""


def booking_calendar(booking: Booking) -> bytes:
    """The delegate's own event: confirmed, tentative while it awaits approval, or cancelled so
    that a calendar which imported it before takes it out."""
    from .booking import shows_online_link

    session = booking.session
    course = session.course
    event = _event(
        session,
        f"training-booking-{booking.pk}@{_domain()}",
        _absolute(course.url or ""),
    )
    if booking.state in (BookingState.BOOKED, BookingState.ATTENDED):
        event.add("status", "CONFIRMED")
    elif booking.state in BookingState.holding_a_place():
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CANCELLED")
    lines = [strip_tags(course.summary)]
    if shows_online_link(booking):
        lines.append(f"Join online: {session.online_link}")
    elif session.delivery == Delivery.IN_PERSON:
        lines.append(f"Venue: {_location(session)}")
    event.add("description", "\n\n".join(line for line in lines if line))
    calendar = _calendar(course.title)
    calendar.add_component(event)
    return calendar.to_ical()


def sessions_feed(sessions) -> bytes:
    """Upcoming sessions of public courses: when and where, never an online link."""
    calendar = _calendar("Multi-agency safeguarding training")
    for session in sessions:
        event = _event(
            session,
            f"training-session-{session.pk}@{_domain()}",
            _absolute(session.course.url or ""),
        )
        event.add("description", strip_tags(session.course.summary))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
