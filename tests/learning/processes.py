"""Helpers for tests that run the Hub in other processes against the test database."""

import os
import re
from pathlib import Path

from django.db import connection


def database_url() -> str:
    from urllib.parse import quote

    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{quote(db['USER'] or '', safe='')}{password}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )


def process_env(mail_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "HUB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url(),
        EMAIL_URL="filemail://",
        EMAIL_FILE_PATH=str(mail_dir),
        HUB_VAR_DIR=str(mail_dir.parent / "var"),
        HUB_ACTION_DIGEST_WEEKDAY="0",
        WAGTAILADMIN_BASE_URL="http://testserver",
    )
    return env


def mailed(mail_dir) -> list[tuple[str, str]]:
    """(to, subject) of every message the file backend wrote, however many files it used."""
    messages = []
    for path in sorted(Path(mail_dir).glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            to = re.search(r"^To: (.*)$", chunk, re.M)
            subject = re.search(r"^Subject: (.*)$", chunk, re.M)
            if to and subject:
                messages.append((to.group(1), subject.group(1)))
    return messages
