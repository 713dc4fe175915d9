"""Guesses at secrets that name no one (partnership/rate_limits.py): API tokens, feed addresses,
line managers' approval links and password resets answer 429 once an address has failed too
often, through the real URLs; other addresses, and the same one after the window, go on."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnership import readers

LIMIT = 3
ELSEWHERE = "198.51.100.7"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.HUB_TOKEN_GUESS_LIMIT = LIMIT
    settings.HUB_PASSWORD_RESET_LIMIT = LIMIT


def test_api_token_guesses_get_429_and_then_even_a_good_key_waits(client, world, people):
    _, key = readers.create_api_token(
        world.partnerships["Liverpool"], "Intranet", people["liverpool.manager"]
    )
    url = reverse("api-briefings")
    for n in range(LIMIT):
        guess = client.get(url, HTTP_AUTHORIZATION=f"Bearer guess-{n}")
        assert guess.status_code == 401
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert refused.status_code == 429
    assert "Too many attempts with a wrong API token" in refused.json()["detail"]
    assert refused["Retry-After"] == "900"
    # Another address is not held back; nor this one once the window has passed.
    assert (
        Client(REMOTE_ADDR=ELSEWHERE).get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code
        == 200
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_good_key_used_often_is_never_limited(client, world, people):
    _, key = readers.create_api_token(
        world.partnerships["Liverpool"], "Intranet", people["liverpool.manager"]
    )
    for _ in range(LIMIT * 3):
        assert (
            client.get(reverse("api-briefings"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code
            == 200
        )


def test_feed_address_guesses_get_429(client, world, people):
    secret = readers.regenerate_feed_token(people["practitioner"])
    good = reverse("partnership-feed", args=["wirral", secret])
    for n in range(LIMIT):
        assert (
            client.get(reverse("partnership-feed", args=["wirral", f"guess{n}"])).status_code == 404
        )
    refused = client.get(good)
    assert refused.status_code == 429
    assert "Too many attempts with a wrong feed address" in refused.content.decode()
    assert Client(REMOTE_ADDR=ELSEWHERE).get(good).status_code == 200


def test_approval_link_guesses_get_429(client, world):
    for n in range(LIMIT):
        assert client.get(f"/training/approval/forged-{n}/").status_code == 400
    refused = client.get("/training/approval/forged-again/")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert '<h1 class="govuk-heading-xl">Too many attempts</h1>' in html
    assert "Too many attempts with an approval link that is not valid" in html


def test_password_reset_requests_are_limited(client, people):
    url = reverse("wagtailadmin_password_reset")
    for _ in range(LIMIT):
        assert client.post(url, {"email": "reviewer@example.org"}).status_code == 302
    sent = len(mail.outbox)
    refused = client.post(url, {"email": "reviewer@example.org"})
    assert refused.status_code == 429
    assert "Too many password reset requests or links from your network" in refused.content.decode()
    assert len(mail.outbox) == sent


def test_password_reset_link_guesses_are_limited(client, people):
    for n in range(LIMIT):
        url = reverse("wagtailadmin_password_reset_confirm", args=["MQ", f"guess-{n}"])
        assert client.get(url).status_code == 200  # Wagtail's "invalid link" page
    url = reverse("wagtailadmin_password_reset_confirm", args=["MQ", "guess-again"])
    assert client.get(url).status_code == 429


def test_behind_a_proxy_the_limit_is_per_client_not_per_proxy(client, db, settings):
    """With one trusted proxy, the address it saw (the rightmost entry) is the client's; what the
    client wrote at the left of X-Forwarded-For cannot buy it fresh attempts."""
    settings.HUB_PROXY_COUNT = 1
    for n in range(LIMIT):
        forged = f"203.0.113.{n}, 192.0.2.10"
        client.get(f"/training/approval/forged-{n}/", HTTP_X_FORWARDED_FOR=forged)
    again = client.get("/training/approval/x/", HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.10")
    assert again.status_code == 429
    other = client.get("/training/approval/x/", HTTP_X_FORWARDED_FOR="192.0.2.11")
    assert other.status_code == 400
