"""Skip or fail tests that need a real service, in one place.

Locally a missing service skips the test with a plain reason. HUB_REQUIRE_SERVICES turns that
into a failure, so that a green CI run means the services were really exercised: `1` requires
every service, or a comma-separated list names some (`celery,postgresql`), which is what .ci/run
uses when there is no Elasticsearch to require."""

import os

import pytest


def services_required(service: str) -> bool:
    wanted = {s.strip() for s in os.environ.get("HUB_REQUIRE_SERVICES", "").split(",")}
    return "1" in wanted or service in wanted


def need(available: bool, reason: str, service: str) -> None:
    """Go on if the service is there; otherwise skip, or fail if `service` is required."""
    if available:
        return
    if services_required(service):
        pytest.fail(f"HUB_REQUIRE_SERVICES requires {service}, but {reason}", pytrace=False)
    pytest.skip(reason)


def celery_broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL", "")
