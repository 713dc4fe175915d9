"""Small, fictional training records for the register, charges, evaluation and report tests:
a course page, its sessions, delegates and their bookings, made directly with the ORM. Plain
functions, so that services, pages and browser tests can share them."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from hub.models import HomePage
from partnership.models import Membership, Role
from training.models import Booking, BookingState, Course, CourseIndexPage, Duration, Session

LONDON = ZoneInfo("Europe/London")
_numbers = itertools.count(1)


def at(year, month, day, hour=9, minute=30) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="Multi-agency training", slug="training-courses")
        HomePage.objects.get().add_child(instance=index)
    return index


def make_course(partnership, title=None, *, duration=Duration.FULL_DAY, actions=()) -> Course:
    n = next(_numbers)
    title = title or f"Working with neglect {n}"
    course = Course(
        title=title,
        slug=f"reg-course-{n}",
        partnership=partnership,
        summary="How to spot and respond to neglect across agencies.",
        description="<p>A day on the graded care profile and the neglect toolkit.</p>",
        learning_outcomes="<ul><li>Use the neglect toolkit with a family.</li></ul>",
        audience="Practitioners in every agency who work with families.",
        level="foundation",
        duration=duration,
    )
    course_index().add_child(instance=course)
    if actions:
        course.actions.set(actions)
        course.save_revision().publish()
    return course


def make_session(course, starts_at=None, *, hours=6, trainers=(), capacity=20) -> Session:
    starts_at = starts_at or timezone.now() - timedelta(days=1)
    session = Session.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        venue="Wallasey Town Hall, Brighton Street",
        capacity=capacity,
    )
    session.trainers.set(trainers)
    return session


def make_delegate(world, username, partnership="Wirral", agency="Early help"):
    user, _ = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": username.split(".")[0].title(),
            "last_name": "Delegate",
            "email": f"{username}@example.org",
        },
    )
    Membership.objects.update_or_create(
        user=user,
        defaults={
            "partnership": world.partnerships[partnership],
            "agency": world.agencies[(partnership, agency)],
        },
    )
    user.groups.add(Group.objects.get(name=Role.PRACTITIONER.label))
    return user


def make_booking(session, user, state=BookingState.BOOKED, **fields) -> Booking:
    membership = user.membership
    return Booking.objects.create(
        session=session,
        user=user,
        agency=membership.agency,
        partnership=membership.partnership,
        state=state,
        booked_at=session.starts_at - timedelta(days=10),
        **fields,
    )


def body(response) -> bytes:
    """A response's bytes, streamed (CSV exports) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
