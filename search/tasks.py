"""Keeping the index current: thin, idempotent tasks that take record keys ("finding:12"), read
the records as they are now, and tell the engine. Indexing a key twice, or removing one already
gone, changes nothing, so a retry or a redelivery is harmless. Enqueued after the transaction
commits (`search.signals`), so a task never reads a record that is not saved yet."""

from celery import shared_task

from . import engines, sources

# An unreachable engine (Elasticsearch restarting, a database failover) is retried with backoff.
RETRY = {
    "autoretry_for": (OSError, ConnectionError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(**RETRY)
def index_records(keys: list[str]) -> dict[str, int]:
    """Index these records as they are now; those no longer searchable (deleted, unpublished,
    back in draft) are removed."""
    documents, gone = sources.documents_for(sources.with_dependants(keys))
    engine = engines.get_engine()
    engine.index(documents)
    engine.remove(gone)
    return {"indexed": len(documents), "removed": len(gone)}


@shared_task(**RETRY)
def remove_records(keys: list[str]) -> dict[str, int]:
    engines.get_engine().remove(list(keys))
    return {"removed": len(keys)}


@shared_task(**RETRY)
def theme_changed(theme_id: int) -> dict[str, int]:
    """A theme's name or synonyms changed: the engine's synonyms, and the theme words indexed
    with every record tagged with it."""
    engines.get_engine().synonyms_changed()
    keys = sources.keys_tagged(theme_id)
    for start in range(0, len(keys), 500):
        index_records(keys[start : start + 500])
    return {"reindexed": len(keys)}


@shared_task(**RETRY)
def synonyms_changed() -> None:
    """A theme went: its synonyms leave the engine (its records' tags follow their tag rows)."""
    engines.get_engine().synonyms_changed()
