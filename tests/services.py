"""Skip or fail tests that need a real service, in one place.

Locally a missing service skips the test with a plain reason. `.ci/run` sets
HUB_REQUIRE_SERVICES=1 for its services pass, where a missing service is a failure: a green CI
run must mean the worker, broker and database were really exercised."""

import os

import pytest


def services_required() -> bool:
    return os.environ.get("HUB_REQUIRE_SERVICES") == "1"


def need(available: bool, reason: str) -> None:
    """Go on if the service is there; otherwise skip, or fail when services are required."""
    if available:
        return
    if services_required():
        pytest.fail(f"HUB_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def celery_broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL", "")
