"""Sign-in throttling (django-axes, configured in settings and partnership/lockouts.py), through
the site's sign-in page and the admin's, and the partnership manager's list of lock-outs."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

PASSWORD = "correct-horse-battery"
SIGN_IN = "/sign-in/"
ADMIN_LOGIN = "/admin/login/"
LIMIT = 5  # the default HUB_SIGN_IN_FAILURE_LIMIT


def attempt(client, url, password, username="practitioner"):
    return client.post(url, {"username": username, "password": password})


def fail_until_locked(client, url, username="practitioner"):
    responses = [attempt(client, url, "wrong", username) for _ in range(LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (LIMIT - 1)
    return responses[-1]


def signed_in(client) -> bool:
    return client.get("/").wsgi_request.user.is_authenticated


def test_the_settings_lock_after_five_failures_for_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_site_locks_out_after_the_failure_limit_and_says_why(client, people):
    locked = fail_until_locked(client, SIGN_IN)
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    assert "You have tried to sign in too many times" in html
    assert "Wait 15 minutes and try again" in html
    # Even the right password is refused while locked out.
    right = attempt(client, SIGN_IN, PASSWORD)
    assert right.status_code == 429
    assert not signed_in(client)


def test_the_lock_out_ends_after_the_cool_off(client, people):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail_until_locked(client, SIGN_IN)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert attempt(client, SIGN_IN, PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = attempt(client, SIGN_IN, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_the_lock_out_is_for_that_username_from_that_address(client, people):
    fail_until_locked(client, SIGN_IN)
    # Another person at the same address signs in.
    assert attempt(Client(), SIGN_IN, PASSWORD, "agencylead").status_code == 302
    # The same person from another address signs in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert attempt(elsewhere, SIGN_IN, PASSWORD).status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, people):
    for _ in range(LIMIT - 1):
        attempt(client, SIGN_IN, "wrong")
    assert attempt(client, SIGN_IN, PASSWORD).status_code == 302
    client.post(reverse("sign-out"))
    assert attempt(client, SIGN_IN, "wrong").status_code == 200


def test_the_admin_sign_in_locks_out_too(client, people):
    locked = fail_until_locked(client, ADMIN_LOGIN, "reviewer")
    assert locked.status_code == 429
    assert "You have tried to sign in too many times" in locked.content.decode()
    assert attempt(client, ADMIN_LOGIN, PASSWORD, "reviewer").status_code == 429
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_a_partnership_manager_sees_and_unlocks_their_own_people(client, people):
    fail_until_locked(Client(), SIGN_IN)  # practitioner: Wirral
    fail_until_locked(Client(), SIGN_IN, "liverpool.manager")
    fail_until_locked(Client(), SIGN_IN, "nobody-of-that-name")

    client.force_login(people["manager"])  # Wirral
    listing = client.get(reverse("partnership_sign_in_lockouts"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "practitioner" in html and "Locked out" in html
    assert "liverpool.manager" not in html
    assert "nobody-of-that-name" not in html

    theirs = AccessAttempt.objects.get(username="liverpool.manager")
    refused = client.post(reverse("partnership_sign_in_unlock", args=[theirs.pk]))
    assert refused.status_code == 404
    assert AccessAttempt.objects.filter(username="liverpool.manager").exists()

    own = AccessAttempt.objects.get(username="practitioner")
    response = client.post(reverse("partnership_sign_in_unlock", args=[own.pk]), follow=True)
    assert "practitioner can sign in again." in response.content.decode()
    assert attempt(Client(), SIGN_IN, PASSWORD).status_code == 302


@pytest.mark.parametrize("username", ["reviewer", "practitioner"])
def test_only_managers_see_the_lock_outs(client, people, username):
    """Wagtail answers a refusal with a redirect to its dashboard (or, for someone who may not
    use the admin, to the sign-in); either way no list, and no unlocking."""
    fail_until_locked(Client(), SIGN_IN)
    client.force_login(people[username])
    response = client.get(reverse("partnership_sign_in_lockouts"))
    assert response.status_code == 302
    assert "practitioner" not in response.content.decode()
    own = AccessAttempt.objects.get(username="practitioner")
    assert client.post(reverse("partnership_sign_in_unlock", args=[own.pk])).status_code == 302
    assert AccessAttempt.objects.filter(username="practitioner").exists()


def test_the_administrators_command_unlocks(people):
    fail_until_locked(Client(), SIGN_IN)
    call_command("axes_reset_username", "practitioner", stdout=open("/dev/null", "w"))
    assert attempt(Client(), SIGN_IN, PASSWORD).status_code == 302
