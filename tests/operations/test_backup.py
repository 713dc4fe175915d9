"""Backup and restore: everything comes back, byte for byte, on SQLite and on PostgreSQL; an
archive that is damaged, tampered with, or sealed with another key is refused whole."""

import os
import shutil

import pytest
from cryptography.fernet import Fernet
from django.db import connection, connections

from operations import backup as backups
from operations.backup import BackupError, back_up, restore
from tests.services import need

from .conftest import inventory

# Committed data, so that pg_dump (another connection) sees it; serialized rollback puts back
# what the migrations made for the tests that follow.
restoring = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _counts(found):
    return {name: len(rows) for name, rows in found.items()}


@pytest.fixture
def restore_database(tmp_path):
    """An empty database beside the test database, reachable as a connection alias: the
    restore goes there, never over the database the test runner stands on. SQLite: a file of
    the test's own; PostgreSQL: a database named after the test database and this process, so
    that CI's two passes and other runs side by side never share one."""
    default = connections["default"]
    alias = "hub_restore"
    if default.vendor == "postgresql":
        name = f"{default.settings_dict['NAME']}_restore_{os.getpid()}"[:63]
        with default._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    connections.settings[alias] = {**default.settings_dict, "NAME": name}
    # Opened by hand: the test runner lets only the databases it set up connect on their own.
    connections[alias].connect()
    yield alias
    connections[alias].close()
    del connections[alias]
    del connections.settings[alias]
    if default.vendor == "postgresql":
        with default._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restores_everything(estate, media, tmp_path, restore_database, key):
    before = inventory()
    assert all(_counts(before).values()), _counts(before)

    made = back_up(tmp_path / "backups", key=key)
    assert made.encrypted is bool(key) and made.engine == connection.vendor
    if key:
        assert estate.evidence_bytes[:64] not in made.path.read_bytes()
    shutil.rmtree(media)

    done = restore(made.path, using=restore_database, key=key)
    connections[restore_database].connect()  # pg_restore needed it closed

    assert inventory(restore_database) == before
    assert (media / estate.evidence_path).read_bytes() == estate.evidence_bytes
    assert done.engine == connection.vendor and done.files == made.files >= 1


@restoring
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_restore_brings_back_every_record_and_file(
    estate, media, tmp_path, restore_database, encrypted
):
    key = Fernet.generate_key().decode() if encrypted else ""
    _restores_everything(estate, media, tmp_path, restore_database, key)


@pytest.mark.postgres
@restoring
def test_a_postgresql_restore_brings_back_every_record_and_file(
    estate, media, tmp_path, restore_database
):
    need(connection.vendor == "postgresql", "PostgreSQL only", "postgresql")
    _restores_everything(estate, media, tmp_path, restore_database, Fernet.generate_key().decode())


# Serialized rollback, as every other transactional test here: a plain flush re-creates the
# content types, and the next serialized test then cannot load its own.
@pytest.fixture
def small(django_db_serialized_rollback, transactional_db, media):
    """A database with its migrations' content and one private file."""
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "minutes.txt").write_bytes(b"panel minutes")
    return media


def _refused(archive, **kwargs):
    """Restore is refused and nothing is changed: the private file stays as it was."""
    with pytest.raises(BackupError) as refused:
        restore(archive, **kwargs)
    return str(refused.value)


def test_a_damaged_archive_is_refused(small, tmp_path):
    made = back_up(tmp_path, key="")
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    made.path.write_bytes(bytes(data))
    (small / "documents" / "minutes.txt").write_bytes(b"changed since")

    _refused(made.path, key="")

    assert (small / "documents" / "minutes.txt").read_bytes() == b"changed since"


def test_a_checksum_that_fails_is_refused(small, tmp_path, monkeypatch):
    """An archive whose file does not match the manifest's checksum is refused whole."""
    original = backups._add

    def tamper(tar, name, path):
        entry = original(tar, name, path)
        if name.startswith("media/"):
            entry = {**entry, "sha256": "0" * 64}
        return entry

    monkeypatch.setattr(backups, "_add", tamper)
    made = back_up(tmp_path, key="")
    (small / "documents" / "minutes.txt").unlink()

    assert "checksum mismatch" in _refused(made.path, key="")
    assert not (small / "documents" / "minutes.txt").exists()


def test_an_encrypted_archive_is_refused_without_its_key_or_cut_short(small, tmp_path):
    key = Fernet.generate_key().decode()
    made = back_up(tmp_path, key=key)

    assert "encrypted" in _refused(made.path, key="")
    assert "cannot be decrypted" in _refused(made.path, key=Fernet.generate_key().decode())
    made.path.write_bytes(made.path.read_bytes()[:-200])
    assert "cut short" in _refused(made.path, key=key) or "cannot be" in _refused(
        made.path, key=key
    )


def test_an_unencrypted_archive_is_refused_when_a_key_is_set_unless_allowed(small, tmp_path):
    made = back_up(tmp_path, key="")
    key = Fernet.generate_key().decode()

    (small / "documents" / "minutes.txt").unlink()

    assert "not encrypted" in _refused(made.path, key=key)
    assert not (small / "documents" / "minutes.txt").exists()
    restore(made.path, key=key, allow_unencrypted=True)
    assert (small / "documents" / "minutes.txt").read_bytes() == b"panel minutes"


def test_a_backup_is_private_to_its_owner(small, tmp_path):
    made = back_up(tmp_path, key="")
    assert made.path.stat().st_mode & 0o077 == 0


def test_a_backup_refuses_to_run_inside_a_transaction(db, media, tmp_path):
    with pytest.raises(BackupError, match="inside a transaction"):
        back_up(tmp_path, key="")
