"""How long a sign-in lasts, and keeping personal pages out of caches.

People sign in on shared and hot-desk computers: a session left open is someone else's way into
case records. So a session ends after a spell without activity (HUB_STAFF_IDLE_MINUTES for
people who use the admin, HUB_SITE_IDLE_MINUTES for everyone else), and, on the sign-in page's
"This is a shared computer" (or HUB_SESSION_EXPIRE_AT_BROWSER_CLOSE), when the browser closes.
Every page served to a signed-in person, and every document download, is marked `no-store` so
that neither the browser's cache nor a proxy keeps a copy for the next person."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.utils.cache import patch_cache_control

from .roles import uses_admin

LAST_SEEN = "hub:last-seen"
# Recording activity is a session write (a database write, behind the cache): once a minute is
# precise enough for limits counted in tens of minutes.
SEEN_RESOLUTION_SECONDS = 60
# Document downloads hold chronologies and minutes: never stored, whoever asks.
NO_STORE_URL_NAMES = {"wagtaildocs_serve", "wagtaildocs_authenticate_with_password"}


def idle_limit_seconds(user) -> int:
    if uses_admin(user):
        return settings.HUB_STAFF_IDLE_MINUTES * 60
    return settings.HUB_SITE_IDLE_MINUTES * 60


def stamp(sender, request, user, **kwargs) -> None:
    """A fresh sign-in starts its idle clock."""
    request.session[LAST_SEEN] = int(time.time())


def connect() -> None:
    user_logged_in.connect(stamp, dispatch_uid="hub-session-stamp")


class IdleSessionMiddleware:
    """Sign out anyone idle past their limit, saying why; note activity otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(LAST_SEEN)
            if seen is not None and now - seen > idle_limit_seconds(user):
                logout(request)
                messages.info(
                    request, "You were signed out because you had not used the Hub for a while."
                )
            elif seen is None or now - seen >= SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on everything a signed-in person is sent, and on every
    document download. Anonymous pages are left alone, so hub.page_cache still shares them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (user is not None and user.is_authenticated) or (
            match is not None and match.url_name in NO_STORE_URL_NAMES
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
