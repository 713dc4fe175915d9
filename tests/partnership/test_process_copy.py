"""partnership.process_copy: a value held per process, rebuilt when its shared version changes."""

import pytest

from partnership import process_copy
from partnership.process_copy import ProcessCopy

# forget() asks the database connection whether a transaction is open.
pytestmark = pytest.mark.django_db


@pytest.fixture
def counted():
    built = []

    def build():
        built.append(len(built) + 1)
        return len(built)

    copy = ProcessCopy("tests:process-copy-version", build)
    yield copy, built
    ProcessCopy.instances.remove(copy)


def test_the_value_is_built_once_while_its_version_holds(counted):
    copy, built = counted
    assert copy.get() == copy.get() == 1
    assert built == [1]


def test_forget_inside_a_transaction_retires_what_was_built_before_the_commit(
    counted, django_capture_on_commit_callbacks
):
    copy, built = counted
    copy.get()
    with django_capture_on_commit_callbacks(execute=True):
        copy.forget()
        # A use before the commit builds from what the database still holds...
        assert copy.get() == 2
    # ...and the commit retires that copy: the next use builds again.
    assert copy.get() == 3


def test_another_process_sees_the_change_at_its_next_check(counted, monkeypatch):
    copy, built = counted
    other = ProcessCopy(copy.version_key, copy.build)  # as another process holds it
    try:
        assert other.get() == 1
        copy.forget()
        assert other.get() == 1  # within CHECK_EVERY it asks nobody
        monkeypatch.setattr(process_copy, "CHECK_EVERY", 0.0)
        assert other.get() == 2
    finally:
        ProcessCopy.instances.remove(other)
