"""Fixtures shared by the whole suite: the demo partnership world and its people."""

import pytest
from django.core.cache import cache

from partnership.demo import World, build
from partnership.process_copy import ProcessCopy


@pytest.fixture(autouse=True)
def _empty_cache():
    """The in-memory cache outlives a test's database: start each test with none of it."""
    cache.clear()
    ProcessCopy.drop_all()
    yield
    cache.clear()
    ProcessCopy.drop_all()


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
