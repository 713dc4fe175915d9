"""Which engine answers: Elasticsearch when ELASTICSEARCH_URL names a cluster, otherwise the
database engine (PostgreSQL full-text search, or SQLite's FTS5 in the embedded default)."""

from __future__ import annotations

from django.conf import settings

from ..types import SearchEngine


def get_engine() -> SearchEngine:
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if url:
        from .elasticsearch import ElasticsearchEngine

        return ElasticsearchEngine(url, getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "hub"))
    from .database import DatabaseEngine

    return DatabaseEngine()
