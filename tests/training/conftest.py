"""Fixtures for the register, charges, evaluation and report tests (named `register_*` so that
they never clash with the booking tests' fixtures)."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from partnership.models import Role
from training.models import Duration

from .factories_register import make_booking, make_course, make_delegate, make_session


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
    course = make_course(world.partnerships["Wirral"], "Neglect: the graded care profile")
    session = make_session(
        course, timezone.now() - timedelta(hours=1), trainers=[trainer], capacity=12
    )
    delegates = [
        make_delegate(world, "ada.early", "Wirral", "Early help"),
        make_delegate(world, "ben.police", "Wirral", "Police"),
        make_delegate(world, "cal.health", "Liverpool", "NHS trust"),
    ]
    bookings = [make_booking(session, user) for user in delegates]
    return RegisterWorld(world, course, session, trainer, delegates, bookings)


@pytest.fixture
def register_half_day(register_world):
    return make_course(
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
