"""Search indexing of what an import saved: once, after it is saved, not after every save."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db.models.signals import post_save

from ..models import Finding, Recommendation, Review

_deferral = threading.local()
_deferral_lock = threading.Lock()
_deferral_users = 0
DEFERRED_MODELS = (Review, Finding, Recommendation)


def _deferring_post_save(sender, instance, **kwargs):
    """Stands in for the search index's post_save handler while an import runs: the importing
    thread notes what to index later; every other thread indexes at once, as usual."""
    from modelsearch.signal_handlers import post_save_signal_handler

    pending = getattr(_deferral, "pending", None)
    if pending is not None and sender in pending and not kwargs.get("raw", False):
        pending[sender].add(instance.pk)
        return
    post_save_signal_handler(instance=instance, sender=sender, **kwargs)


def _swap(old, new) -> None:
    for model in DEFERRED_MODELS:
        if post_save.disconnect(old, sender=model):
            post_save.connect(new, sender=model)


@contextmanager
def search_index_deferred():
    """Index what the import saved once, after it is saved, instead of after every save.

    Saving a review through Wagtail's publish re-saves it and each of its findings and
    recommendations; indexing each save inside one long transaction makes a PostgreSQL index
    table rewrite the same rows thousands of times (minutes for a few hundred rows). The design
    wants index updates after the data is written anyway."""
    from modelsearch.signal_handlers import post_save_signal_handler

    global _deferral_users
    with _deferral_lock:
        if _deferral_users == 0:
            _swap(post_save_signal_handler, _deferring_post_save)
        _deferral_users += 1
    pending = {model: set() for model in DEFERRED_MODELS}
    _deferral.pending = pending
    try:
        yield pending
    finally:
        _deferral.pending = None
        with _deferral_lock:
            _deferral_users -= 1
            if _deferral_users == 0:
                _swap(_deferring_post_save, post_save_signal_handler)


class IndexingDeferred:
    """An importer's `writing` context: search indexing deferred while its rows are written,
    what was saved noted on `plan.pending` for its `written` to index."""

    def __init__(self, plan):
        self.plan = plan
        self._context = search_index_deferred()

    def __enter__(self):
        self.plan.pending = self._context.__enter__()

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)
