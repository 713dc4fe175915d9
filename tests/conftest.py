"""Fixtures shared by the whole suite: the demo partnership world and its people."""

import pytest
from django.core.cache import cache

from partnership.demo import World, build
from partnership.process_copy import ProcessCopy
from tests.live_gate import gate_of


@pytest.fixture(autouse=True)
def _empty_cache():
    """The in-memory cache outlives a test's database: start each test with none of it."""
    cache.clear()
    ProcessCopy.drop_all()
    yield
    cache.clear()
    ProcessCopy.drop_all()


@pytest.fixture(autouse=True)
def _live_server_gate(request):
    """For a test that uses the live server: it answers only inside the test's database window
    and the test waits for its last requests to end (see tests/live_gate.py)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    gate = gate_of(request.getfixturevalue("live_server"))
    gate.open()
    yield
    unfinished = gate.close()
    assert not unfinished, f"{unfinished} live-server requests still running after the test"


@pytest.fixture
def tasks_in_this_process(request, monkeypatch):
    """What the code under test enqueues runs here, in the test's own transaction: with a broker
    (the services pass of .ci/run) a worker would take it and could not see the test's
    uncommitted rows. Tests marked `services` prove the real worker path and keep the broker."""
    if request.node.get_closest_marker("services"):
        return
    from config.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


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
