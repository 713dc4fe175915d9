"""The outbox: every email the Hub must send once, and only once, goes through here.

A domain builds the notice's unique `key` (everything that makes it one of its kind: what, about
which record, to whom, for which occasion) and the message (from shareable fields only: the
outbox sends what it is given), and calls `send_once` for one notice or `send_batch` for
thousands. The core knows nothing of actions or bookings; a notice is about a content type and an
object id, and its kind is the domain's word.

The guarantee. A notice is claimed by inserting its `Notice` row, which the unique key allows
once, and the claim, the send and the mark "sent" are one database transaction:

- two senders at once (two Celery workers, a retried task beside the first, the command beside
  the worker): on PostgreSQL the second's insert of the same key waits on the first's
  uncommitted row, then finds it committed and skips; exactly one email goes. (SQLite, for
  development, lets one writer at a time: the second waits, or fails "database is locked" and
  sends nothing.)
- a sender killed mid-send, or whose mail server fails: its transaction never commits, so its
  claim rolls back with it and a retry (the task's, or the next run's) sends the notice; a notice
  is never lost, and a committed row always means the email went;
- the one window left: a sender that dies after the mail server accepted a message but before
  the transaction commits. That notice goes again on the retry: the choice that never loses one.
  `send_once` holds one message in that window; `send_batch` a chunk (`CHUNK`) at most. A send
  that fails with an error (rather than dying) commits what went out and releases the rest, so
  the retry sends only what is missing.

Call them outside any transaction of your own (after commit, from a task): inside one, the claim
commits only with it, and the window grows to the rest of your transaction.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import Notice

logger = logging.getLogger(__name__)

# A chunk is claimed, sent and committed together: small enough that a crash resends little,
# large enough that the three queries a chunk costs vanish beside its emails.
CHUNK = 200


def send_once(
    key: str,
    message: EmailMessage,
    *,
    kind: str,
    about: models.Model,
    recipient=None,
    occasion: str = "",
) -> bool:
    """Claim `key` and send `message` in one transaction; True if this call sent it, False if
    the notice was already sent (or is being sent by a sender that will commit it)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    key=key,
                    kind=kind,
                    content_type=ContentType.objects.get_for_model(about),
                    object_id=about.pk,
                    recipient=recipient,
                    occasion=occasion,
                )
        except IntegrityError:
            return False
        message.send()
        Notice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return True


@dataclasses.dataclass(slots=True)
class Letter:
    """One notice for `send_batch`: its ledger row, and whatever its domain needs (`data`) to
    build the message once the notice is claimed."""

    key: str
    kind: str
    about: type[models.Model]
    about_id: int
    recipient_id: int | None = None
    occasion: str = ""
    data: Any = None


Build = Callable[[list[Letter]], Iterable[tuple[Letter, EmailMessage | None]]]


def send_batch(letters: list[Letter], build: Build, *, chunk: int = CHUNK) -> list[Letter]:
    """Claim and send `letters`, a chunk at a time, each chunk in one transaction, over one mail
    connection; return those this call sent.

    `build(held)` is given the letters of a chunk this call holds (the others are sent or being
    sent elsewhere) and yields (letter, message) pairs: messages are built only for notices
    claimed, and a message of None drops that claim (nothing to say after all). Letters are
    claimed in key order, so two senders inserting overlapping keys wait on each other in one
    order and cannot deadlock."""
    sent: list[Letter] = []
    if not letters:
        return sent
    letters = sorted(letters, key=lambda letter: letter.key)
    mail = _LazyConnection()
    try:
        for start in range(0, len(letters), chunk):
            sent += _send_chunk(letters[start : start + chunk], build, mail)
    finally:
        mail.close()
    logger.info("outbox batch sent: %s", len(sent))
    return sent


def _send_chunk(letters: list[Letter], build: Build, mail: _LazyConnection) -> list[Letter]:
    token = uuid.uuid4()
    types = {
        model: ContentType.objects.get_for_model(model) for model in {x.about for x in letters}
    }
    sent: list[Letter] = []
    failure = None
    with transaction.atomic():
        Notice.objects.bulk_create(
            [
                Notice(
                    key=letter.key,
                    kind=letter.kind,
                    content_type=types[letter.about],
                    object_id=letter.about_id,
                    recipient_id=letter.recipient_id,
                    occasion=letter.occasion,
                    claim=token,
                )
                for letter in letters
            ],
            ignore_conflicts=True,
        )
        mine = set(Notice.objects.filter(claim=token).values_list("key", flat=True))
        held = [letter for letter in letters if letter.key in mine]
        try:
            for letter, message in build(held) if held else ():
                if message is not None:
                    mail.send(message)
                    sent.append(letter)
        except Exception as error:
            # Keep what went out; release the rest, so a retry sends only what is missing.
            failure = error
        if sent:
            Notice.objects.filter(claim=token, key__in=[x.key for x in sent]).update(
                sent_at=timezone.now()
            )
        if len(sent) < len(held):
            Notice.objects.filter(claim=token, sent_at__isnull=True).delete()
    if failure is not None:
        raise failure
    return sent


class _LazyConnection:
    """One mail connection for a whole batch, opened only when there is something to send."""

    def __init__(self):
        self.connection = None

    def send(self, message: EmailMessage) -> None:
        if self.connection is None:
            self.connection = get_connection()
            self.connection.open()
        self.connection.send_messages([message])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
