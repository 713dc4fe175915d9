"""Fixtures shared by the whole suite: the demo partnership world and its people."""

import pytest

from partnership.demo import World, build


@pytest.fixture
def world(db) -> World:
    """The demo partnerships, agencies and one person per role (see partnership/demo.py)."""
    w = World(password="correct-horse-battery")
    build(w, scale=1)
    return w


@pytest.fixture
def people(world):
    return world.people


@pytest.fixture
def wirral(world):
    return world.partnerships["Wirral"]


@pytest.fixture
def liverpool(world):
    return world.partnerships["Liverpool"]
