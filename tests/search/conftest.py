"""Search fixtures. Behaviour tests take `engine`, parametrised over ENGINES, so that every engine
passes the same tests: the database engine always runs; another engine is added by appending a
`pytest.param` to ENGINES and a constructor to ENGINE_FACTORIES (the constructor may
`pytest.skip` when its service is not configured)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from config.celery import app as celery_app
from search import engines, sources
from search.engines.database import DatabaseEngine
from search.service import forget_labels
from search.synonyms import forget_synonyms

from .es_fixtures import make_elasticsearch_engine

ENGINES = [
    pytest.param("database", id="database"),
    # Skipped unless ELASTICSEARCH_URL names a live cluster.
    pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.elasticsearch),
]
# name -> a constructor taking the fixture's request (to clean up after itself, or to skip).
ENGINE_FACTORIES = {
    "database": lambda request: DatabaseEngine(),
    "elasticsearch": make_elasticsearch_engine,
}


def make_engine(name, request):
    return ENGINE_FACTORIES[name](request)


def use(monkeypatch, engine):
    """Make `engine` the one the service and the tasks use."""
    monkeypatch.setattr(engines, "get_engine", lambda: engine)


@pytest.fixture(autouse=True)
def _index_in_this_process(monkeypatch):
    """The index tasks run here, in the test's own transaction: with a broker (the services
    pass of .ci/run) they would go to a worker, which cannot see a test's uncommitted rows and
    would answer for an index the test never sees. tests/test_celery_worker.py proves the
    broker path itself."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    forget_synonyms()
    forget_labels()
    yield


@pytest.fixture(params=ENGINES)
def engine(request, db, monkeypatch):
    """An empty index in the engine under test, used by the service and the tasks."""
    chosen = make_engine(request.param, request)
    chosen.rebuild([])
    use(monkeypatch, chosen)
    return chosen


def rebuild(engine) -> int:
    return engine.rebuild(sources.all_documents())


@pytest.fixture(scope="module", params=ENGINES)
def demo_engine(request, django_db_setup, django_db_blocker):
    """The whole demo (load_demo at scale 1) indexed by the engine under test, made once per module
    and engine inside a transaction that is rolled back afterwards, so no other test sees it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            chosen = make_engine(request.param, request)  # may skip: before the demo is built
            call_command("load_demo", scale=1, stdout=StringIO())
            rebuild(chosen)
            yield chosen
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_engine, db, monkeypatch):
    use(monkeypatch, demo_engine)
    return demo_engine
