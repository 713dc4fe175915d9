"""Signals the core offers every app.

`written_in_bulk` is sent after a bulk write (an import's `bulk_create` and `bulk_update`), which
sends no `post_save`: whoever keeps a copy of records, as search keeps its index, listens here
rather than being imported by the app that wrote them. `records` is a list of (model, pk)."""

from django.dispatch import Signal

written_in_bulk = Signal()
