"""A small training world: courses under the course list page the migrations made, sessions at
fixed dates around England's bank holidays, and people in and out of the owning partnership."""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from partnership.access import SharingLevel
from partnership.models import Membership, Role
from training.models import Course, CourseIndexPage, Duration, Session

from . import factories_register as reg_factories

_numbers = itertools.count(1)

# Monday 1 March 2027, noon in London (GMT). Easter 2027: Good Friday 26 March, Easter Monday
# 29 March; the early May bank holiday is Monday 3 May.
NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _tasks_in_this_process(tasks_in_this_process):
    """Every training test runs its tasks here (see tests/conftest.py)."""


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def london(year, month, day, hour=9, minute=30):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def course_list(db):
    return CourseIndexPage.objects.get()


@pytest.fixture
def make_course(course_list, world):
    def make(partnership="Wirral", sharing_level=SharingLevel.PUBLIC, **fields):
        n = next(_numbers)
        fields.setdefault("title", f"Fictional course {n}")
        fields.setdefault("slug", f"course-{n}")
        course = Course(
            partnership=world.partnerships[partnership],
            sharing_level=sharing_level,
            summary=fields.pop("summary", "A fictional course."),
            description="<p>About it.</p>",
            learning_outcomes="<ul><li>Know what to do</li></ul>",
            audience="Practitioners in every agency.",
            level=fields.pop("level", "foundation"),
            duration=fields.pop("duration", "half_day"),
            **fields,
        )
        course_list.add_child(instance=course)
        course.save_revision().publish()
        return course

    return make


@pytest.fixture
def make_session():
    def make(course, starts_at=None, capacity=10, hours=3, **fields):
        starts_at = starts_at or london(2027, 4, 14)
        return Session.objects.create(
            course=course,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            capacity=capacity,
            venue=fields.pop("venue", "Wallasey Town Hall, Brighton Street"),
            **fields,
        )

    return make


@pytest.fixture
def make_person(world):
    def make(username, partnership="Wirral", agency="Early help", role=Role.PRACTITIONER):
        user = get_user_model().objects.create_user(
            username,
            email=f"{username}@example.org",
            password="correct-horse-battery",
            first_name=username.split(".")[0].title(),
            last_name="Fictional",
        )
        user.groups.add(Group.objects.get(name=role.label))
        Membership.objects.create(
            user=user,
            partnership=world.partnerships[partnership],
            agency=world.agencies[(partnership, agency)] if agency else None,
        )
        return user

    return make


@pytest.fixture
def course(make_course):
    return make_course(title="Working together: essentials", slug="working-together")


@pytest.fixture
def session(course, make_session):
    return make_session(course)


# The register, charges, evaluation and report tests' fixtures (named register_* so that they
# never clash with the booking tests' ones).


@dataclass
class RegisterWorld:
    world: object
    course: object
    session: object
    trainer: object
    delegates: list = field(default_factory=list)
    bookings: list = field(default_factory=list)


@pytest.fixture
def register_world(world):
    """A Wirral full-day course whose session began an hour ago, trained by the demo trainer,
    with three booked delegates from three agencies (early help, police, Liverpool's NHS trust)."""
    trainer = world.people["trainer"]
    course = reg_factories.make_course(
        world.partnerships["Wirral"], "Neglect: the graded care profile"
    )
    session = reg_factories.make_session(
        course, timezone.now() - timedelta(hours=1), trainers=[trainer], capacity=12
    )
    delegates = [
        reg_factories.make_delegate(world, "ada.early", "Wirral", "Early help"),
        reg_factories.make_delegate(world, "ben.police", "Wirral", "Police"),
        reg_factories.make_delegate(world, "cal.health", "Liverpool", "NHS trust"),
    ]
    bookings = [reg_factories.make_booking(session, user) for user in delegates]
    return RegisterWorld(world, course, session, trainer, delegates, bookings)


@pytest.fixture
def register_half_day(register_world):
    return reg_factories.make_course(
        register_world.world.partnerships["Wirral"],
        "Neglect: a half-day refresher",
        duration=Duration.HALF_DAY,
    )


@pytest.fixture
def other_trainer(world):
    """A Wirral trainer who does not train the session."""
    from django.contrib.auth import get_user_model

    from partnership.models import Membership

    user = get_user_model().objects.create_user(
        "other.trainer",
        "other.trainer@example.org",
        "correct-horse-battery",
        first_name="Olive",
        last_name="Trainer",
    )
    Membership.objects.create(
        user=user,
        partnership=world.partnerships["Wirral"],
        agency=world.agencies[("Wirral", "Business unit")],
    )
    user.groups.add(Group.objects.get(name=Role.TRAINER.label))
    return user
