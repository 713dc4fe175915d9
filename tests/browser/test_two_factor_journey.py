"""Two factors in the browser, by keyboard, with axe on each step and enforcement on as in
production: a manager signs in to the admin, sets up an authenticator app from the secret the
page shows (its QR code drawn with nothing the Content-Security-Policy refuses), sees the
recovery codes once and reaches the dashboard; at the next sign-in she is asked for a code, is
told plainly that a wrong one is wrong, and gets in with a recovery code."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} refused ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.HUB_TWO_FACTOR_REQUIRED = True


def type_into(page, locator, text):
    locator.focus()
    page.keyboard.type(text)


def admin_sign_in(page, username, password="correct-horse-battery"):
    page.goto("/admin/")
    type_into(page, page.get_by_label("Username"), username)
    type_into(page, page.get_by_label("Password"), password)
    page.keyboard.press("Enter")


def test_a_manager_sets_up_two_factors_and_signs_in_with_them(
    people, browser, hub, page, assert_accessible
):
    from playwright.sync_api import expect

    page.add_init_script(LISTEN)
    admin_sign_in(page, "manager")
    page.wait_for_url(re.compile(r"/sign-in/two-factor/set-up/"))
    expect(page.locator(".hub-qr-code svg")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("window.__cspViolations") == []

    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    type_into(page, page.get_by_label("Code from your authenticator app"), f"{totp(key):06d}")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/sign-in/two-factor/recovery-codes/"))
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have kept my codes safe – continue").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The next sign-in, on another computer: the code is asked for.
    context = browser.new_context(base_url=hub.url, locale="en-GB")
    context.set_default_timeout(10_000)
    other = context.new_page()
    admin_sign_in(other, "manager")
    other.wait_for_url(re.compile(r"/sign-in/two-factor/\?"))
    assert_accessible(other)
    wrong = f"{(totp(key) + 1) % 1_000_000:06d}"
    type_into(other, other.get_by_label("Code from your authenticator app"), wrong)
    other.keyboard.press("Enter")
    expect(other.get_by_role("alert").get_by_text("That code is not right")).to_be_visible()
    assert_accessible(other)

    other.get_by_role("link", name="Use a recovery code instead").focus()
    other.keyboard.press("Enter")
    other.wait_for_url(re.compile(r"use=recovery-code"))
    type_into(other, other.get_by_label("Recovery code"), codes[0])
    other.keyboard.press("Enter")
    other.wait_for_url(re.compile(r"/admin/$"))
    context.close()
