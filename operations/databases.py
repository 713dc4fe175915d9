"""One database dumped to a file and loaded back, with each engine's own tool: SQLite's online
backup API (a consistent copy while the Hub runs) and PostgreSQL's pg_dump custom format,
restored by pg_restore in one transaction."""

import os
import sqlite3
import subprocess
import time

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# SQLite's backup retries for as long as another connection holds a write lock: give up with a
# clear error after this long rather than hang the backup (and whoever waits on it) for ever.
SQLITE_LOCK_WAIT_SECONDS = 60


class DatabaseError(Exception):
    pass


def dump_name(connection) -> str:
    try:
        return DUMP_NAMES[connection.vendor]
    except KeyError:
        raise DatabaseError(
            f"backups support SQLite and PostgreSQL, not {connection.vendor}"
        ) from None


def _libpq_environment(settings_dict) -> dict:
    """The connection for pg_dump and pg_restore, passed in the environment so that the
    password never shows in a process list."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(command, settings_dict):
    try:
        done = subprocess.run(
            command, env=_libpq_environment(settings_dict), capture_output=True, text=True
        )
    except FileNotFoundError as exc:
        raise DatabaseError(f"{command[0]} is not installed") from exc
    if done.returncode:
        raise DatabaseError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def dump(connection, path) -> None:
    """Dump what is committed. Refused inside a transaction: SQLite would wait forever on the
    connection's own write lock, and PostgreSQL's pg_dump could not see the uncommitted rows."""
    if connection.in_atomic_block:
        raise DatabaseError("a backup cannot run inside a transaction")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target, pages=1024, progress=_give_up_after_waiting())
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        settings_dict = connection.settings_dict
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)]
            + ["--dbname", settings_dict["NAME"]],
            settings_dict,
        )
    else:
        dump_name(connection)


def _give_up_after_waiting(seconds: float | None = None):
    """A backup progress callback that stops a copy kept waiting on a lock past `seconds`."""
    deadline = time.monotonic() + (SQLITE_LOCK_WAIT_SECONDS if seconds is None else seconds)

    def progress(status, remaining, total):
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise DatabaseError(
                "the database stayed locked by another writer: try the backup again later"
            )

    return progress


def load(connection, path) -> None:
    """Replace the database's content with the dump at `path`. Refused inside a transaction:
    a restore is not something to roll back halfway."""
    if connection.in_atomic_block:
        raise DatabaseError("a restore cannot run inside a transaction")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        # pg_restore drops and recreates every table: Django must hold no lock on them.
        connection.close()
        settings_dict = connection.settings_dict
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
            + ["--single-transaction", "--exit-on-error", "--dbname", settings_dict["NAME"]]
            + [str(path)],
            settings_dict,
        )
    else:
        dump_name(connection)
