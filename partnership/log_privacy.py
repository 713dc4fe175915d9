"""Log lines never carry record content.

The Hub's own log lines name records by id only. The libraries under it do not: Wagtail writes
`Page published: "<title>" id=7` and `Edited: "<str(review)>" pk=3` at INFO, where a review's
title carries the subject's pseudonym; Django's SQL logger writes every query with its values;
Celery writes each task's return value. Logs are read by people and systems that may not read
reviews (hosting support, log shippers), so this filter rewrites those records before any handler
formats them: strings in a library's message become "[withheld]", numbers (ids) stay, so that a
line still says what happened to which row.

It is a handler filter, not a logger filter: a logger's filters see only the records logged at
that very logger, and Wagtail logs at a dozen names. Every handler in LOGGING carries it, which
`tests/partnership/test_log_privacy.py` checks, so a handler added later cannot forget it.
"""

import logging
import re

WITHHELD = "[withheld]"

# The libraries whose messages may quote record content, by logger name prefix.
# Celery's trace and request loggers print a task's arguments, result and exception; its others
# say which worker connected where, which is wanted.
LIBRARY_LOGGERS = (
    "wagtail",
    "celery.app.trace",
    "celery.worker.request",
    "celery.worker.strategy",
    "django.db.backends",
    "django_tasks",
    "modelcluster",
)

_QUOTED = re.compile(r"""(["'])(?:(?!\1).)*\1""")
# SQL string literals, with '' as an escaped quote inside.
_SQL_LITERAL = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Named arguments that say which task ran, never with what (Celery's "Task %(name)s[%(id)s]
# succeeded in %(runtime)ss: %(return_value)s").
_SAFE_KEYS = frozenset({"name", "id", "runtime", "hostname", "eta", "expires", "alias"})


def _safe(value):
    """What a library's argument may say in a log: numbers, and strings that are only a number."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return value
    return WITHHELD


def _from_library(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in LIBRARY_LOGGERS)


class WithholdRecordContent(logging.Filter):
    """Rewrites library log records so that they say what happened to which id, and nothing of
    what the record says. Never drops a record: a line that something happened is still wanted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _from_library(record.name) or getattr(record, "_hub_withheld", False):
            return True
        if record.name.startswith("django.db.backends"):
            self._withhold_sql(record)
        else:
            self._withhold_arguments(record)
        record._hub_withheld = True
        return True

    def _withhold_arguments(self, record: logging.LogRecord) -> None:
        if isinstance(record.args, dict):
            args = {
                key: value if key in _SAFE_KEYS else _safe(value)
                for key, value in record.args.items()
            }
        elif record.args:
            args = tuple(_safe(value) for value in record.args)
        else:
            args = record.args
        msg = str(record.msg)
        if not args:
            # An f-string message (Wagtail's redirects) has its content in the text itself.
            msg = _QUOTED.sub(f'"{WITHHELD}"', msg)
        try:
            if args:
                msg % args
        except (TypeError, ValueError, KeyError):
            # A "%d" given something that was not a number: say so rather than fail the line.
            msg, args = f"{msg} [arguments withheld]", None
        record.msg, record.args = msg, args
        if hasattr(record, "data"):  # Celery's copy of a task's context, args included
            record.data = WITHHELD

    def _withhold_sql(self, record: logging.LogRecord) -> None:
        # Django logs (duration, sql, params, alias), with the values interpolated into sql, and
        # the same again as `extra`, which a formatter may print.
        if isinstance(record.args, tuple) and len(record.args) == 4:
            duration, sql, _params, alias = record.args
            record.args = (duration, _SQL_LITERAL.sub("'…'", str(sql)), WITHHELD, alias)
        else:
            self._withhold_arguments(record)
        if hasattr(record, "sql"):
            record.sql = _SQL_LITERAL.sub("'…'", str(record.sql))
        if hasattr(record, "params"):
            record.params = WITHHELD
