"""/health/ for load balancers and monitoring: each service the Hub depends on, ok or not.

Anyone may ask, so the answer names the checks and nothing else: no versions, hostnames or
error text, which would help an attacker more than an operator (the reason goes to the log)."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache():
    key = f"hub-health-{uuid.uuid4().hex}"
    cache.set(key, "ok", TIMEOUT_SECONDS)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


def check_broker():
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT_SECONDS)
        return broker.connected


def check_search():
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=TIMEOUT_SECONDS)
    try:
        return client.ping()
    finally:
        client.close()


def checks() -> dict:
    """The checks that apply to this configuration: the broker and search engine only when
    the Hub is set to use one."""
    found = {"database": check_database, "cache": check_cache}
    if settings.CELERY_BROKER_URL:
        found["broker"] = check_broker
    if settings.ELASTICSEARCH_URL:
        found["search"] = check_search
    return found


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in checks().items():
        try:
            results[name] = bool(check())
        except Exception:
            logger.warning("Health check %s failed", name, exc_info=True)
            results[name] = False
        if not results[name]:
            logger.warning("Health check %s: unavailable", name)
    return results


@never_cache
@require_safe
def health(request):
    results = run_checks()
    healthy = all(results.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if ok else "unavailable" for name, ok in results.items()},
        },
        status=200 if healthy else 503,
    )
