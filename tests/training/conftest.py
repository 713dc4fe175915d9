"""A small training world: courses under the course list page the migrations made, sessions at
fixed dates around England's bank holidays, and people in and out of the owning partnership."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from partnership.access import SharingLevel
from partnership.models import Membership, Role
from training.models import Course, CourseIndexPage, Session

_numbers = itertools.count(1)

# Monday 1 March 2027, noon in London (GMT). Easter 2027: Good Friday 26 March, Easter Monday
# 29 March; the early May bank holiday is Monday 3 May.
NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


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
