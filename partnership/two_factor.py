"""Two factors for everyone who may use the admin: a password, then a code from an authenticator
app (TOTP, django-otp's `otp_totp`) or one of ten one-time recovery codes (`otp_static`).

People who use the admin read and change restricted case records, so a stolen password alone
must not open them: neither in the admin nor on the site, where the same people see restricted
records too. Site readers who never use the admin sign in with a password only.

A person with no confirmed device is sent to set one up at their first sign-in; anyone with one
is asked for a code before any page. Until then `TwoFactorMiddleware` redirects pages to those
steps and refuses everything else (the admin API, forms, scripts' requests) with 403. A
partnership manager resets their own people's devices (as they unlock them, see
`partnership.lockouts`); the person then sets up again at their next sign-in.

HUB_TWO_FACTOR_REQUIRED=0 is a development bypass (`make run`'s demo accounts, the test
settings); settings refuse it with DEBUG off and the system check `hub.E001` refuses it wherever
else it comes from."""

import base64
import re

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from . import rate_limits
from .access import is_partnership_manager, membership_of, sees_everything
from .roles import admin_group_names, uses_admin

ENROLLED = "hub.two_factor.enrolled"
RECOVERY_CODE_USED = "hub.two_factor.recovery_code_used"
RECOVERY_CODES_RENEWED = "hub.two_factor.recovery_codes_renewed"
RESET = "hub.two_factor.reset"

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
# New recovery codes wait here between the step that made them and the page that shows them,
# which takes them out: they are shown once.
NEW_CODES_SESSION_KEY = "hub:two-factor:new-recovery-codes"

GUESSES = rate_limits.Scope("two-factor", "HUB_TWO_FACTOR_GUESS_LIMIT", "Too many wrong codes")

# Reachable signed in with a password only: the two steps themselves, signing in and out, the
# password reset flow, the health check, and the admin's icons and translations that its sign-in
# style pages load. Static files are served before any of this (WhiteNoise).
EXEMPT_URL_NAMES = frozenset(
    {
        "two-factor-verify",
        "two-factor-set-up",
        "sign-in",
        "sign-out",
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        "health",
    }
)


class TwoFactorError(Exception):
    def __init__(self, message: str, *, status: int = 200):
        super().__init__(message)
        self.message = message
        self.status = status


def required() -> bool:
    return settings.HUB_TWO_FACTOR_REQUIRED


def needs_second_factor(user, *, admin: bool = False) -> bool:
    """Whether `user` must give a second factor: anyone offered the admin (staff, or a role
    whose group may use it) everywhere, and on the admin's own addresses anyone Wagtail would let
    in (`wagtailadmin.access_admin`, however granted)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return uses_admin(user) or (admin and user.has_perm("wagtailadmin.access_admin"))


def is_verified(user) -> bool:
    # Without django-otp's middleware nobody is verified: a missing middleware fails closed.
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up: the same secret however often the page is loaded, until
    it is confirmed with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The setup address as an inline SVG QR code: markup, not a script or a data: image, so
    that the Content-Security-Policy has nothing to allow. Decorative for screen readers, who
    get the secret as text beside it."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=4, light="#fff")
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def _concrete(user):
    """The user model instance behind request.user's lazy wrappers (Django's, then
    django-otp's): Wagtail's log finds the action's model by the instance's own type."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _normalised(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _is_app_code(code: str) -> bool:
    """An authenticator's code is 6 digits; a recovery code is 10 letters and digits."""
    return code.isdigit() and len(code) <= 8


def _subject(user) -> str:
    return f"user-{user.pk}"


def _refuse_if_guessing(request) -> None:
    if rate_limits.blocked(request, GUESSES, _subject(request.user)):
        minutes = settings.HUB_RATE_LIMIT_WINDOW_MINUTES
        raise TwoFactorError(
            f"You have entered too many wrong codes. Wait {minutes} minutes and try again, or "
            "ask your partnership's business unit for help.",
            status=429,
        )


def _refuse_if_throttled(device) -> None:
    allowed, data = device.verify_is_allowed()
    if not allowed and data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        seconds = max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))
        raise TwoFactorError(
            "You have entered too many wrong codes in a row. "
            f"Wait {seconds} second{'' if seconds == 1 else 's'} and try again.",
            status=429,
        )


def _wrong_code(request, message: str):
    rate_limits.record_failure(request, GUESSES, _subject(request.user))
    raise TwoFactorError(message)


def _mark_verified(request, device) -> None:
    # A new session key for the stronger sign-in, as Django's login() does for the password.
    request.session.cycle_key()
    otp_login(request, device)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_authenticator(request, code: str) -> list[str]:
    """Confirm the authenticator being set up with a code it shows; it replaces any earlier
    one, the session counts as verified, and ten new recovery codes are returned to show once."""
    user = _concrete(request.user)
    _refuse_if_guessing(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise TwoFactorError("Your set-up expired. Scan the new QR code and try again.")
    _refuse_if_throttled(device)
    code = _normalised(code)
    if not _is_app_code(code):
        _wrong_code(request, "Enter the 6-digit code from your authenticator app")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = device.verify_token(code)
    if not verified:
        _wrong_code(
            request,
            "That code is not right. Check your phone's time is set automatically, then enter "
            "the code your app shows now",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        log(user, ENROLLED, user=user)
    _mark_verified(request, device)
    return codes


def verify(request, code: str):
    """Verify the session with a code from the person's authenticator app or one of their
    recovery codes (each works once). Raises TwoFactorError saying what to do otherwise."""
    user = _concrete(request.user)
    _refuse_if_guessing(request)
    code = _normalised(code)
    if not code:
        raise TwoFactorError("Enter the 6-digit code from your authenticator app")
    devices = [
        device
        for device in devices_for_user(user, confirmed=True)
        if isinstance(device, TOTPDevice) == _is_app_code(code)
    ]
    for device in devices:
        _refuse_if_throttled(device)
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, TOTPDevice) != _is_app_code(code):
                continue
            if device.verify_token(code):
                verified = device
                break
        else:
            verified = None
    if verified is None and _is_app_code(code):
        _wrong_code(request, "That code is not right. Enter the code your app shows now")
    if verified is None:
        _wrong_code(
            request, "That recovery code is not right, or it has been used. Check it and try again"
        )
    if isinstance(verified, StaticDevice):
        log(user, RECOVERY_CODE_USED, user=user)
    _mark_verified(request, verified)
    return verified


def renew_recovery_codes(user) -> list[str]:
    """Ten new recovery codes in place of the old ones, which stop working."""
    user = _concrete(user)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        log(user, RECOVERY_CODES_RENEWED, user=user)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def keep_new_codes(request, codes: list[str]) -> None:
    request.session[NEW_CODES_SESSION_KEY] = codes


def take_new_codes(request) -> list[str]:
    return request.session.pop(NEW_CODES_SESSION_KEY, [])


def may_reset(user) -> bool:
    return sees_everything(user) or (
        membership_of(user) is not None and is_partnership_manager(user)
    )


def people_visible_to(user):
    """Whose second factor `user` may reset: anyone's for the Hub's administrators; a
    partnership manager's own partnership's people, but not its administrators, whose access
    is wider than the manager's own."""
    people = get_user_model().objects.order_by("last_name", "first_name", "username")
    if sees_everything(user):
        return people
    membership = membership_of(user)
    if membership is None or not is_partnership_manager(user):
        return people.none()
    return people.filter(membership__partnership_id=membership.partnership_id, is_superuser=False)


def admin_people_visible_to(user):
    """The people listed for reset: those who may use the admin, and so sign in with two
    factors."""
    uses = Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=admin_group_names())
    return people_visible_to(user).filter(uses, is_active=True).distinct()


def reset(person, by) -> None:
    """Remove every device and recovery code `person` has, so that they set up again at their
    next sign-in; any session they verified with them stops counting as verified."""
    if not people_visible_to(by).filter(pk=person.pk).exists():
        raise TwoFactorError("You can reset only your own partnership's people.", status=403)
    with transaction.atomic():
        for device in devices_for_user(person, confirmed=None):
            device.delete()
        log(_concrete(person), RESET, user=by)


def _is_admin_path(path: str) -> bool:
    return path.startswith(reverse("wagtailadmin_home"))


def _is_exempt(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in EXEMPT_URL_NAMES


def _wants_a_page(request) -> bool:
    """A person's browser asking for a page, which can be sent to the next step; the admin's
    API, form posts and scripts' requests are refused instead."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(reverse("wagtailadmin_home") + "api/"):
        return False
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return False
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept


class TwoFactorMiddleware:
    """Everyone who must give a second factor and has not in this session is sent to give it
    (or set it up) before any page, and refused anything else (403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request):
        if not required():
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not needs_second_factor(user, admin=_is_admin_path(request.path_info)):
            return None
        if is_verified(user) or _is_exempt(request):
            return None
        if _wants_a_page(request):
            step = "two-factor-verify" if has_second_factor(user) else "two-factor-set-up"
            return redirect_to_login(request.get_full_path(), login_url=reverse(step))
        response = JsonResponse(
            {"detail": "Give your second factor (a code from your authenticator app) first."},
            status=403,
        )
        response["Cache-Control"] = "private, no-store"
        return response


@checks.register(checks.Tags.security)
def check_two_factor_required(app_configs, **kwargs):
    """The bypass may come from a settings module rather than the environment (as the test
    settings' does): refuse it wherever DEBUG is off."""
    if not settings.HUB_TWO_FACTOR_REQUIRED and not settings.DEBUG:
        return [
            checks.Error(
                "HUB_TWO_FACTOR_REQUIRED is off while DEBUG is off.",
                hint="The bypass is for development only: people who use the admin must sign "
                "in with two factors. Remove HUB_TWO_FACTOR_REQUIRED=0.",
                id="hub.E001",
            )
        ]
    return []
