"""/health/: each configured service's check, 200 when all pass and 503 when one fails, open to
anyone and telling them nothing beyond ok or unavailable."""

import json

import pytest

from operations import health

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_with_each_check(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.ELASTICSEARCH_URL = ""

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_configured_broker_and_search_engine_that_are_down_answer_503_without_detail(
    client, settings
):
    # Nothing listens on port 9 (discard): both fail fast, as a real outage would.
    settings.CELERY_BROKER_URL = "redis://secret-host.internal:9/0"
    settings.ELASTICSEARCH_URL = "http://secret-host.internal:9"

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"] == "unavailable"
    assert body["checks"]["search"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    text = response.content.decode()
    assert "secret-host" not in text and "9" not in json.dumps(body["checks"])


def test_a_failing_check_is_unavailable_and_its_error_stays_in_the_log(client, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database at db.internal:5432 refused, version 15.2")

    monkeypatch.setattr(health, "check_database", broken)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    assert b"db.internal" not in response.content and b"15.2" not in response.content
    assert "db.internal" in caplog.text


def test_health_needs_no_sign_in_and_takes_no_writes(client):
    assert client.get("/health/").status_code == 200
    assert client.post("/health/").status_code == 405
