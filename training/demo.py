"""Demo training: courses across themes with past and future sessions, bookings and waiting
lists (training.demo_courses), then the register, evaluations and follow-ups of the past
sessions (training.demo_outcomes). Re-runnable like every demo module."""

import importlib

from partnership.demo import World

PARTS = ["training.demo_courses", "training.demo_outcomes"]


def build(world: World, scale: int) -> None:
    for name in PARTS:
        try:
            part = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        part.build(world, scale)
