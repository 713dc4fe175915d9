"""The Elasticsearch engine for tests that need a live cluster, on a throwaway index prefix.

Tests using it are skipped unless ELASTICSEARCH_URL names a cluster (CI or a developer's
machine); each gets its own alias and indices, deleted when it ends, so tests never see each
other's documents and never touch the site's own index."""

import os
import uuid

import pytest

from search.engines.elasticsearch import ElasticsearchEngine


def elasticsearch_url() -> str:
    return os.environ.get("ELASTICSEARCH_URL", "")


def make_elasticsearch_engine(request) -> ElasticsearchEngine:
    """An engine on a fresh `test-<random>` prefix, dropped at the end of the test. Writes wait
    for a refresh, so a search right after an index or remove sees it."""
    url = elasticsearch_url()
    if not url:
        pytest.skip("needs a live Elasticsearch at ELASTICSEARCH_URL")
    engine = ElasticsearchEngine(url, f"test-{uuid.uuid4().hex[:12]}", refresh="wait_for")
    request.addfinalizer(engine.delete_all)
    return engine


@pytest.fixture
def es_engine(request, db) -> ElasticsearchEngine:
    """The engine reads the theme taxonomy for its synonyms, hence the database."""
    return make_elasticsearch_engine(request)
