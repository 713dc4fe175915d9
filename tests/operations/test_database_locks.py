"""A backup of a SQLite database that another writer keeps locked stops with a clear error
instead of waiting for ever."""

import sqlite3
import time

import pytest

from operations import databases


def test_a_backup_kept_waiting_on_a_lock_gives_up_and_says_why(tmp_path):
    source_path = tmp_path / "hub.sqlite3"
    source = sqlite3.connect(source_path)
    source.execute("CREATE TABLE review (reference TEXT)")
    source.execute("INSERT INTO review VALUES ('WIR-1')")
    source.commit()
    writer = sqlite3.connect(source_path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another writer, mid-transaction
    target = sqlite3.connect(tmp_path / "copy.sqlite3")
    started = time.monotonic()
    try:
        with pytest.raises(databases.DatabaseError, match="locked by another writer"):
            source.backup(target, pages=1024, progress=databases._give_up_after_waiting(0.3))
    finally:
        writer.execute("ROLLBACK")
        for connection in (writer, target, source):
            connection.close()
    assert time.monotonic() - started < 10


def test_a_backup_with_no_one_writing_copies_everything(tmp_path):
    source = sqlite3.connect(tmp_path / "hub.sqlite3")
    source.execute("CREATE TABLE review (reference TEXT)")
    source.executemany("INSERT INTO review VALUES (?)", [(f"WIR-{n}",) for n in range(500)])
    source.commit()
    target = sqlite3.connect(tmp_path / "copy.sqlite3")
    source.backup(target, pages=1, progress=databases._give_up_after_waiting(0.3))
    assert target.execute("SELECT count(*) FROM review").fetchone() == (500,)
    source.close()
    target.close()
