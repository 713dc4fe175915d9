"""Per-address limits on guessing the secrets the Hub accepts without a sign-in: partnership API
tokens, feed addresses, line managers' approval links, and password reset requests and links.

django-axes guards the sign-in forms, where a username says whose account is under attack; these
secrets name no one, so the limit is per client address. Only failures count (an unknown token,
an invalid link, a reset request that sends mail), so a feed reader polling a good address is
never held back. A fixed window in the cache (Redis in production) is enough: the point is to make
a guess at a 256-bit token pointless, not to meter honest use."""

import ipaddress
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Scope:
    name: str
    # The setting holding how many failures an address may make in one window.
    limit_setting: str
    # What there were too many of, for the person refused.
    too_many: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)


API_TOKEN = Scope("api-token", "HUB_TOKEN_GUESS_LIMIT", "Too many attempts with a wrong API token")
FEED_TOKEN = Scope(
    "feed-token", "HUB_TOKEN_GUESS_LIMIT", "Too many attempts with a wrong feed address"
)
APPROVAL_LINK = Scope(
    "approval-link",
    "HUB_TOKEN_GUESS_LIMIT",
    "Too many attempts with an approval link that is not valid",
)
PASSWORD_RESET = Scope(
    "password-reset", "HUB_PASSWORD_RESET_LIMIT", "Too many password reset requests or links"
)


def window_seconds() -> int:
    return settings.HUB_RATE_LIMIT_WINDOW_MINUTES * 60


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with HUB_PROXY_COUNT proxies in front, the address
    the outermost trusted proxy saw (counting from the right, since a client can write anything
    at the left of X-Forwarded-For). Axes uses it too (AXES_CLIENT_IP_CALLABLE)."""
    proxies = settings.HUB_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Only an address: axes stores it in an address column, where a forged "unknown" in
        # X-Forwarded-For would be an error on PostgreSQL.
        if len(forwarded) >= proxies and _valid(forwarded[-proxies]):
            return _valid(forwarded[-proxies])
    return _valid(request.META.get("REMOTE_ADDR", ""))


def _key(scope: Scope, request, subject: str = "") -> str:
    key = f"hub:rate-limit:{scope.name}:{client_ip(request) or 'unknown'}"
    return f"{key}:{subject}" if subject else key


def blocked(request, scope: Scope, subject: str = "") -> bool:
    """`subject` narrows the count to one account from the address (a second factor's codes,
    where the person is known), as axes does for passwords."""
    return (cache.get(_key(scope, request, subject)) or 0) >= scope.limit


def record_failure(request, scope: Scope, subject: str = "") -> None:
    key = _key(scope, request, subject)
    # add() starts the window; incr() keeps its expiry, so the window is fixed, not sliding.
    cache.add(key, 0, window_seconds())
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls: start again
        cache.set(key, 1, window_seconds())


def too_many(request, scope: Scope, *, json: bool = False):
    """429, saying plainly what happened and when to try again."""
    minutes = settings.HUB_RATE_LIMIT_WINDOW_MINUTES
    message = f"{scope.too_many} from your network. Wait {minutes} minutes, then try again."
    if json:
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(window_seconds())
    response["Cache-Control"] = "private, no-store"
    return response


def _failed_by_status(request, response) -> bool:
    return response.status_code in (400, 401, 403, 404)


def limit_failures(scope: Scope, failed=_failed_by_status):
    """Decorate a view so that an address that failed `scope.limit` times in the window gets 429
    before the view runs; `failed(request, response)` says which responses count."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if blocked(request, scope):
                return too_many(request, scope)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                record_failure(request, scope)
                raise
            if failed(request, response):
                record_failure(request, scope)
            return response

        return wrapper

    return decorate


def every_post(request, response) -> bool:
    """Each reset request may send an email: every one counts, whoever it names."""
    return request.method == "POST"


def invalid_reset_link(request, response) -> bool:
    context = getattr(response, "context_data", None) or {}
    return context.get("validlink") is False
