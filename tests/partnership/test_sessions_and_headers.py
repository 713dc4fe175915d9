"""How long a sign-in lasts and what the Hub's responses tell browsers and caches
(partnership/sessions.py, partnership/csp.py and the settings), through the real URLs."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection

PASSWORD = "correct-horse-battery"


@pytest.fixture
def start():
    return timezone.now()


def signed_in(client) -> bool:
    return client.get("/").wsgi_request.user.is_authenticated


def at(moment):
    return time_machine.travel(moment, tick=False)


# Idle expiry -------------------------------------------------------------------------------------


def test_staff_are_signed_out_after_thirty_idle_minutes(client, people, start, settings):
    assert settings.HUB_STAFF_IDLE_MINUTES == 30
    with at(start):
        client.force_login(people["reviewer"])
        assert client.get("/admin/").status_code == 200
    with at(start + timedelta(minutes=31)):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
        assert not signed_in(client)


def test_activity_keeps_a_staff_session_alive(client, people, start):
    with at(start):
        client.force_login(people["reviewer"])
    for minutes in (20, 45, 70):
        with at(start + timedelta(minutes=minutes)):
            assert client.get("/admin/").status_code == 200
    with at(start + timedelta(minutes=101)):
        assert client.get("/admin/").status_code == 302


def test_site_readers_have_the_longer_idle_limit_and_are_told_why_they_were_signed_out(
    client, people, start, settings
):
    assert settings.HUB_SITE_IDLE_MINUTES > settings.HUB_STAFF_IDLE_MINUTES
    with at(start):
        client.force_login(people["practitioner"])
    with at(start + timedelta(minutes=31)):
        assert signed_in(client)
    with at(start + timedelta(minutes=31 + settings.HUB_SITE_IDLE_MINUTES + 1)):
        response = client.get("/")
        assert not response.wsgi_request.user.is_authenticated
        assert "You were signed out because you had not used the Hub for a while." in (
            response.content.decode()
        )


def test_no_sign_in_outlives_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


# Shared computers ---------------------------------------------------------------------------------


def test_the_sign_in_page_offers_a_shared_computer_checkbox(client, db):
    html = client.get("/sign-in/").content.decode()
    assert 'type="checkbox"' in html and 'name="shared_computer"' in html
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_shared_computer">' in html


def test_on_a_shared_computer_the_sign_in_ends_with_the_browser(client, people):
    client.post(
        "/sign-in/", {"username": "practitioner", "password": PASSWORD, "shared_computer": "on"}
    )
    cookie = client.cookies["sessionid"]
    assert cookie.value and not cookie["max-age"] and not cookie["expires"]
    assert client.session.get_expire_at_browser_close()


def test_otherwise_the_sign_in_cookie_lasts_the_session_age(client, people, settings):
    client.post("/sign-in/", {"username": "practitioner", "password": PASSWORD})
    assert client.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    assert not client.session.get_expire_at_browser_close()


# Cache-Control ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/my-actions/", "/my-training/", "/", "/admin/"])
def test_every_page_for_a_signed_in_person_is_no_store(client, people, url):
    client.force_login(people["reviewer"])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_for_anonymous_visitors_stay_cacheable(client, world):
    # The first visit starts the cache's generation, the second is stored, the third served.
    responses = [client.get("/") for _ in range(3)]
    assert not any("no-store" in r.get("Cache-Control", "") for r in responses)
    assert responses[-1]["X-Hub-Cache"] == "hit"


def test_document_downloads_are_no_store_even_for_anonymous_visitors(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = Document.objects.create(
        title="Leaflet",
        collection=Collection.get_first_root_node(),
        file=ContentFile(b"leaflet", name="leaflet.txt"),
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# Content-Security-Policy and Gravatar -------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in response["Content-Security-Policy"].split(";"))
    return {d[0]: d[1:] for d in directives if d}


def test_the_site_sends_a_strict_policy_even_from_the_page_cache(client, world):
    cached = [client.get("/") for _ in range(3)][-1]
    assert cached["X-Hub-Cache"] == "hit"
    for response in (cached, client.get("/search/")):
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert "'unsafe-inline'" in policy["style-src"]


def test_the_admin_policy_adds_only_what_wagtail_needs(client, people):
    client.force_login(people["reviewer"])
    policy = _policy(client.get("/admin/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["default-src"] == ["'self'"]


def test_the_site_writes_no_inline_script(client, world):
    html = client.get("/").content.decode()
    assert "<script>" not in html


@pytest.mark.parametrize("url", ["/admin/", "/admin/account/", "/admin/users/"])
def test_the_admin_loads_no_gravatar(client, people, url):
    client.force_login(people["admin"])
    response = client.get(url)
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode().lower()
