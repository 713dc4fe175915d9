"""Two factors for everyone who uses the admin (partnership/two_factor.py), with enforcement on
as in production: the test settings keep the development bypass for the rest of the suite, and
every test here turns it off through the autouse `enforced` fixture."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from partnership import two_factor
from tests.test_settings import PRODUCTION, _run, _settings
from tests.url_routes import routes

PASSWORD = "correct-horse-battery"
SET_UP = "/sign-in/two-factor/set-up/"
VERIFY = "/sign-in/two-factor/"
RECOVERY_CODES = "/sign-in/two-factor/recovery-codes/"
ADMIN_API = "/admin/api/main/pages/"


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.HUB_TWO_FACTOR_REQUIRED = True


def code_for(device, at=None) -> str:
    """The code the person's phone would show, computed from the device's own key."""
    kwargs = {"step": device.step, "t0": device.t0, "digits": device.digits}
    if at is not None:
        with time_machine.travel(at, tick=False):
            return f"{totp(device.bin_key, **kwargs):06d}"
    return f"{totp(device.bin_key, **kwargs):06d}"


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def recovery_codes(user, *codes) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def sign_in(client, user):
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def verified(client, user) -> Client:
    """A session signed in with the password and verified with a real code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or authenticator(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302, response.content
    assert client.get("/admin/").status_code == 200
    return client


def refused(response) -> bool:
    """Sent to a two-factor step, or refused outright: never the page."""
    if response.status_code == 302:
        return response["Location"].startswith((SET_UP, VERIFY))
    return response.status_code == 403


def admin_urls():
    """Every admin address with no parameter, from the URL resolver: a view added later is in
    this list without anyone adding it."""
    found = {
        "/" + route.path
        for route in routes()
        if route.exact
        and "<" not in route.path
        and route.path.startswith("admin/")
        and route.pattern.name not in two_factor.EXEMPT_URL_NAMES
    }
    return sorted(found)


def test_two_factors_are_on_by_default_with_device_throttling():
    values = _settings(
        "HUB_TWO_FACTOR_REQUIRED", "OTP_TOTP_THROTTLE_FACTOR", "OTP_STATIC_THROTTLE_FACTOR"
    )
    assert values["HUB_TWO_FACTOR_REQUIRED"] is True
    assert values["OTP_TOTP_THROTTLE_FACTOR"] >= 1
    assert values["OTP_STATIC_THROTTLE_FACTOR"] >= 1


def test_production_refuses_to_start_with_the_bypass(tmp_path):
    done = _run(
        ["manage.py", "check"], **PRODUCTION, HUB_TWO_FACTOR_REQUIRED="0", HUB_VAR_DIR=str(tmp_path)
    )

    assert done.returncode != 0
    assert "HUB_TWO_FACTOR_REQUIRED=0 is a development bypass" in done.stderr


def test_the_system_check_refuses_the_bypass_from_a_settings_module_with_debug_off():
    with override_settings(DEBUG=False, HUB_TWO_FACTOR_REQUIRED=False):
        errors = two_factor.check_two_factor_required(None)
    assert [e.id for e in errors] == ["hub.E001"]
    with override_settings(DEBUG=True, HUB_TWO_FACTOR_REQUIRED=False):
        assert two_factor.check_two_factor_required(None) == []
    with override_settings(DEBUG=False, HUB_TWO_FACTOR_REQUIRED=True):
        assert two_factor.check_two_factor_required(None) == []


def test_no_admin_address_answers_a_password_only_session(client, people):
    urls = admin_urls()
    assert "/admin/" in urls and ADMIN_API in urls and len(urls) > 40
    authenticator(people["admin"])
    client.force_login(people["admin"])

    answered = {url: client.get(url) for url in urls}

    assert [url for url, response in answered.items() if not refused(response)] == []
    assert answered["/admin/"]["Location"] == f"{VERIFY}?next=/admin/"
    # The same session, verified, opens them: the refusals above were the second factor's.
    verified(client, people["admin"])
    assert client.get("/admin/snippets/reviews/review/").status_code == 200


def test_a_person_with_no_device_is_sent_to_set_up_from_any_admin_page(client, people):
    client.force_login(people["reviewer"])

    response = client.get("/admin/snippets/reviews/review/")

    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP}?next=/admin/snippets/reviews/review/"


def test_the_admin_api_and_form_posts_are_refused_with_403(client, people):
    authenticator(people["manager"])
    client.force_login(people["manager"])

    api = client.get(ADMIN_API, HTTP_ACCEPT="application/json")
    post = client.post("/admin/account/two-factor/")
    script = client.get("/admin/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    assert (api.status_code, post.status_code, script.status_code) == (403, 403, 403)
    assert "second factor" in api.json()["detail"]
    assert StaticToken.objects.count() == 0


def test_admin_users_give_the_second_factor_on_the_site_too_but_site_readers_do_not(client, people):
    client.force_login(people["manager"])
    assert client.get("/")["Location"] == f"{SET_UP}?next=/"

    reader = Client()
    reader.force_login(people["practitioner"])
    assert reader.get("/").status_code == 200


def test_signing_out_and_resetting_a_password_need_no_second_factor(client, people):
    authenticator(people["manager"])
    client.force_login(people["manager"])

    assert client.get("/admin/password_reset/").status_code == 200
    assert client.post("/sign-out/").status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_first_sign_in_sets_up_an_authenticator_with_a_real_code(client, people):
    manager = people["manager"]
    sign_in(client, manager)
    assert client.get("/admin/")["Location"] == f"{SET_UP}?next=/admin/"

    page = client.get(f"{SET_UP}?next=/admin/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<img" not in html
    for attribute in ('autocomplete="one-time-code"', 'inputmode="numeric"', 'for="id_code"'):
        assert attribute in html
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    assert key == TOTPDevice.objects.get(user=manager).bin_key
    code = f"{totp(key):06d}"

    confirmed = client.post(SET_UP, {"code": code, "next": "/admin/"})

    assert confirmed["Location"] == f"{RECOVERY_CODES}?next=%2Fadmin%2F"
    shown = client.get(confirmed["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10 and all(code in shown.content.decode() for code in codes)
    assert "only time the Hub shows these codes" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    # Shown once: the page does not show them again.
    assert client.get(confirmed["Location"]).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action=two_factor.ENROLLED, user=manager).count() == 1

    # At the next sign-in the code is asked for, not a new set-up.
    client.post("/sign-out/")
    sign_in(client, manager)
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"
    assert client.get(SET_UP)["Location"].startswith(VERIFY)


def test_a_wrong_code_is_refused(client, people):
    device = authenticator(people["manager"])
    client.force_login(people["manager"])
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html and 'href="#id_code"' in html
    assert "That code is not right" in html
    assert "<title>Error: " in html
    assert client.get("/admin/").status_code == 302


def test_a_code_is_refused_during_the_devices_back_off_and_accepted_after(client, people):
    device = authenticator(people["manager"])
    client.force_login(people["manager"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        right = code_for(device)
        client.post(VERIFY, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
        held = client.post(VERIFY, {"code": right})
    assert held.status_code == 429
    assert "Wait 1 second and try again" in held.content.decode()
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0, HUB_TWO_FACTOR_GUESS_LIMIT=10)
def test_many_wrong_codes_are_refused_with_a_clear_message_until_the_window_ends(client, people):
    device = authenticator(people["manager"])
    client.force_login(people["manager"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        answers = [client.post(VERIFY, {"code": wrong}).status_code for _ in range(10)]
        refused_right = client.post(VERIFY, {"code": code_for(device)})
    assert answers == [200] * 10
    assert refused_right.status_code == 429
    assert "You have entered too many wrong codes. Wait 15 minutes" in (
        refused_right.content.decode()
    )
    # Another person at the same desk is not held back.
    colleague = Client()
    verified(colleague, people["reviewer"])


def test_a_recovery_code_works_once_only(client, people):
    user = people["manager"]
    authenticator(user)
    recovery_codes(user, "abcde23456", "fghij23456")
    client.force_login(user)

    used = client.post(VERIFY, {"code": "ABCDE 23456", "use": "recovery-code"})
    assert used.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action=two_factor.RECOVERY_CODE_USED).count() == 1

    again = Client()
    again.force_login(user)
    reused = again.post(VERIFY, {"code": "abcde23456", "use": "recovery-code"})
    assert reused.status_code == 200
    assert "That recovery code is not right, or it has been used" in reused.content.decode()
    assert again.get("/admin/").status_code == 302
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["fghij23456"]


def test_the_recovery_code_page_offers_a_plain_text_box(client, people):
    authenticator(people["manager"])
    client.force_login(people["manager"])

    html = client.get(f"{VERIFY}?use=recovery-code").content.decode()

    assert "Enter a recovery code" in html
    assert 'inputmode="numeric"' not in html


def test_going_on_only_to_the_hubs_own_pages(client, people):
    device = authenticator(people["manager"])
    client.force_login(people["manager"])

    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})

    assert response["Location"] == "/admin/"


def test_replacing_the_app_needs_the_code_from_the_one_in_use(client, people):
    authenticator(people["manager"])
    client.force_login(people["manager"])

    assert client.get(SET_UP)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(confirmed=False).count() == 0


def test_a_verified_person_replaces_their_app_and_renews_their_codes(client, people):
    user = people["manager"]
    old = authenticator(user)
    recovery_codes(user, "oldcode234")
    verified(client, user)

    client.get(SET_UP)
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SET_UP, {"code": code_for(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()

    account = client.get("/admin/account/")
    assert "/admin/account/two-factor/" in account.content.decode()
    renewed = client.post("/admin/account/two-factor/")
    assert renewed["Location"].startswith(RECOVERY_CODES)
    codes = client.get(renewed["Location"]).context["codes"]
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert tokens == set(codes) and "oldcode234" not in tokens
    assert ModelLogEntry.objects.filter(action=two_factor.RECOVERY_CODES_RENEWED).count() == 1


def test_a_manager_resets_their_own_colleague_who_then_sets_up_again(client, people):
    manager, reviewer = people["manager"], people["reviewer"]
    colleague = verified(Client(), reviewer)
    recovery_codes(reviewer, "keepsafe23")
    verified(client, manager)

    listing = client.get("/admin/two-factor/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert reviewer.username in html and "liverpool.manager" not in html
    response = client.post(f"/admin/two-factor/{reviewer.pk}/reset/")

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticToken.objects.filter(device__user=reviewer).exists()
    entry = ModelLogEntry.objects.get(action=two_factor.RESET)
    assert (entry.object_id, entry.user_id) == (str(reviewer.pk), manager.pk)
    # Their session verified with the old app no longer counts: they set up again.
    assert colleague.get("/admin/")["Location"] == f"{SET_UP}?next=/admin/"


def test_a_manager_cannot_reset_another_partnerships_person_or_an_administrator(client, people):
    verified(client, people["manager"])
    for other in (people["liverpool.manager"], people["admin"]):
        device = authenticator(other)
        assert client.post(f"/admin/two-factor/{other.pk}/reset/").status_code == 404
        assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not ModelLogEntry.objects.filter(action=two_factor.RESET).exists()


def test_only_managers_reset(client, people):
    """Wagtail answers a refusal with a redirect to its dashboard: no list, and no reset."""
    verified(client, people["reviewer"])
    manager_device = authenticator(people["manager"])

    listing = client.get("/admin/two-factor/")
    assert (listing.status_code, listing["Location"]) == (302, "/admin/")
    assert client.post(f"/admin/two-factor/{people['manager'].pk}/reset/").status_code == 302
    assert TOTPDevice.objects.filter(pk=manager_device.pk).exists()


def test_the_development_bypass_lets_the_demo_accounts_straight_in(client, people, settings):
    settings.HUB_TWO_FACTOR_REQUIRED = False

    sign_in(client, people["manager"])

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/snippets/reviews/review/").status_code == 200


def test_demo_sign_in_says_whether_the_second_factor_is_bypassed(settings, capsys):
    settings.DEBUG = True
    settings.HUB_TWO_FACTOR_REQUIRED = False
    call_command("demo_sign_in")
    assert "second factor is bypassed in development" in capsys.readouterr().out

    settings.HUB_TWO_FACTOR_REQUIRED = True
    call_command("demo_sign_in")
    assert "set up an authenticator app at their first sign-in" in capsys.readouterr().out


def test_the_bench_signs_in_with_both_factors(live_server, django_db_serialized_rollback, people):
    """`make bench` runs production settings, so its admin pages need a verified session: it
    sets up an authenticator from the page's secret as a phone would."""
    from bench.load import Client as BenchClient
    from bench.load import sign_in as bench_sign_in

    port = int(live_server.url.rsplit(":", 1)[1])
    cookies = bench_sign_in("localhost", port, "manager", PASSWORD)

    client = BenchClient("localhost", port, cookies)
    response, _ = client.request("GET", "/admin/", headers={"Accept": "text/html"})
    client.close()
    assert response.status == 200
    assert TOTPDevice.objects.filter(user=people["manager"], confirmed=True).exists()
