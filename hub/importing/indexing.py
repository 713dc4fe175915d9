"""Search indexing after a bulk write, which sends no save signals: the Wagtail search index
(modelsearch) is brought up to date here, in batches; the Hub's own search app hears
`hub.signals.written_in_bulk`."""

import logging

logger = logging.getLogger(__name__)


def index_saved(pending: dict) -> None:
    """Index, in one batch per model, the records an import saved."""
    from modelsearch.backends import get_search_backends

    for model, pks in pending.items():
        pks = sorted(pks)
        # In batches: a database bounds the parameters of one query (SQLite's IN list), and
        # tens of thousands of records need not be in memory at once.
        for start in range(0, len(pks), 2000):
            objects = list(model.get_indexed_objects().filter(pk__in=pks[start : start + 2000]))
            for backend in get_search_backends(with_auto_update=True):
                try:
                    backend.add_bulk(model, objects)
                except Exception:
                    # As the search index's own handler does: an external engine being down
                    # must not undo an import that has been saved; a database engine's error
                    # must.
                    logger.exception("Could not index imported %s", model._meta.verbose_name_plural)
                    if not backend.catch_indexing_errors:
                        raise
