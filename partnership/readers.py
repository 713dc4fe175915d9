"""Who is reading when nobody signs in through a browser: a person through their feed address, or
a partner system through its partnership's API token (it then reads as a member of that
partnership would). The core keeps only digests of the secrets (`hub.tokens`); the rules on who
may make and revoke them, and the gate of every JSON endpoint, live here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from hub.tokens import digest, new_secret

from . import rate_limits
from .access import (
    is_partnership_manager,
    membership_of,
    sees_everything,
    visible_to,
    visible_to_partnership,
)
from .models import FeedToken, Partnership, PartnershipApiToken

SCHEMES = ("bearer", "token")


class TokenError(Exception):
    """A rule on feed addresses or API tokens was broken: say which, in the partnership's words."""


@dataclass(frozen=True)
class Reader:
    """Who is reading: a person, or a partnership through its API token (then `user` is None)."""

    user: object = None
    partnership: Partnership | None = None
    api_token: PartnershipApiToken | None = None

    def visible(self, queryset):
        if self.api_token is not None:
            return visible_to_partnership(self.partnership, queryset)
        return visible_to(self.user, queryset)


def regenerate_feed_token(user) -> str:
    """Give `user` a new feed address, which revokes the old one; return its secret, which is
    shown once. Only members may have one: a feed shows what a signed-in member may see."""
    if membership_of(user) is None and not sees_everything(user):
        raise TokenError("Only members of a partnership have a feed address.")
    secret = new_secret()
    FeedToken.objects.update_or_create(
        user=user, defaults={"token_hash": digest(secret), "created_at": timezone.now()}
    )
    return secret


def user_for_feed_token(secret: str):
    """The active person whose feed address carries `secret`, or None."""
    token = FeedToken.objects.matching(secret).select_related("user").first()
    if token is None or not token.user.is_active:
        return None
    return token.user


def may_manage_api_tokens(user, partnership: Partnership) -> bool:
    if sees_everything(user):
        return True
    membership = membership_of(user)
    return (
        membership is not None
        and membership.partnership_id == partnership.pk
        and is_partnership_manager(user)
    )


def create_api_token(partnership: Partnership, name: str, user) -> tuple[PartnershipApiToken, str]:
    """Make a key for a partner system of `partnership`; return it with its secret, which is
    shown once and never stored."""
    if not may_manage_api_tokens(user, partnership):
        raise TokenError("Only the partnership's managers can make its API tokens.")
    if not name.strip():
        raise TokenError("Name the system the token is for.")
    key = new_secret()
    token = PartnershipApiToken.objects.create(
        partnership=partnership,
        name=name.strip(),
        key_hash=digest(key),
        prefix=key[:8],
        created_by=user,
    )
    return token, key


def revoke_api_token(token: PartnershipApiToken, user) -> None:
    if not may_manage_api_tokens(user, token.partnership):
        raise TokenError("Only the partnership's managers can revoke its API tokens.")
    with transaction.atomic():
        PartnershipApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token.refresh_from_db(fields=["revoked_at"])


def reader_for_api_key(key: str) -> Reader | None:
    """The partnership a live API key reads for, or None; notes when the key was used."""
    token = PartnershipApiToken.objects.active().matching(key).select_related("partnership").first()
    if token is None:
        return None
    PartnershipApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return Reader(partnership=token.partnership, api_token=token)


def _unauthorised(detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def api_view(view):
    """The gate of every JSON endpoint: find who is reading (an API token in `Authorization:
    Bearer <key>` or `Token <key>`, else the signed-in person), answer 401 for anyone else, and
    keep responses out of shared caches (each is one reader's view). The view is called with
    the `Reader`."""

    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            scheme, _, key = header.partition(" ")
            if scheme.lower() not in SCHEMES or not key.strip():
                return _unauthorised("Send 'Authorization: Bearer <key>'.")
            # Checked before the key is: an address that has guessed too often learns nothing.
            if rate_limits.blocked(request, rate_limits.API_TOKEN):
                return rate_limits.too_many(request, rate_limits.API_TOKEN, json=True)
            reader = reader_for_api_key(key.strip())
            if reader is None:
                rate_limits.record_failure(request, rate_limits.API_TOKEN)
                return _unauthorised("That API token is unknown or revoked.")
        elif request.user.is_authenticated:
            reader = Reader(user=request.user)
        else:
            return _unauthorised("Sign in, or send a partnership's API token.")
        response = view(request, reader, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    return wrapper
