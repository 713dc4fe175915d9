"""Caches emptied all at once: a *generation* is a value in Django's cache that every stored
entry is tagged with, and renewing it makes every entry stale in one write.

The Hub's caches are all of this kind: anonymous pages (`hub.page_cache`), what an audience
sees of a listing (`hub.audience_cache`), the site a request is for (`hub.sites`), the action
reports' counts and filter choices (`learning.report_cache`) and a reader's deadlines
(`reviews.deadline_cache`). Each names its generation key and renews it from the signals of the
models it shows. `remember` is the one read-through they share, so that the handshake that keeps
a change made while an entry was built from being served is written once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")


def renew(key: str) -> None:
    """Start a new generation: every entry stored under the old one is stale."""
    cache.set(key, uuid.uuid4().hex, None)


def renew_now_and_at_commit(key: str) -> None:
    """Renew now, and again when the current transaction commits: a change inside a transaction
    is invisible to other requests until then, and an entry built in between (from the old
    data, under the new generation) must not outlive the commit. Outside a transaction the
    change is committed already, and once is enough."""
    from django.db import transaction

    renew(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: renew(key))


def start(key: str) -> None:
    """Start the first generation, unless another request has just done so."""
    cache.add(key, uuid.uuid4().hex, None)


def key(prefix: str, *parts) -> str:
    """A cache key for what `parts` name (anything with a stable `repr`), of fixed length."""
    return prefix + hashlib.sha256(repr(parts).encode()).hexdigest()


def remember(generation_key: str, key: str, seconds: int, build: Callable[[], T]) -> T:
    """`build()`'s answer stored at `key`: the stored one when it was built under the current
    generation, else built now, in one cache round trip when warm.

    It is stored under the generation read *before* building, so a change committed while it
    was built (which renews the generation) leaves it stale rather than served. With no
    generation yet (or an evicted one) nothing is stored: one is started for the next request.
    `seconds` of 0 turns this cache off, and HUB_PAGE_CACHE_SECONDS=0 every cache of this kind."""
    if not seconds or not settings.HUB_PAGE_CACHE_SECONDS:
        return build()
    found = cache.get_many([generation_key, key])
    generation, stored = found.get(generation_key), found.get(key)
    if generation is not None and stored is not None and stored[0] == generation:
        return stored[1]
    value = build()
    if generation is None:
        start(generation_key)
    else:
        cache.set(key, (generation, value), seconds)
    return value
