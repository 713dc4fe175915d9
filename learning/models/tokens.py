"""The keys that let readers outside a browser session follow shared learning: a person's feed
token (in the feed's URL, for a feed reader) and a partnership's API token (for a partner system).

Only a SHA-256 digest of each secret is stored, so a copy of the database or a backup hands
nobody a working feed address or API key; the secret is shown once, when it is made."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class FeedTokenQuerySet(models.QuerySet):
    def matching(self, secret: str):
        """The token with this secret, looked up by digest: the database never compares the
        secret itself, so a slow comparison leaks nothing about it."""
        return self.filter(token_hash=digest(secret or ""))


class FeedToken(models.Model):
    """A person's feed address: one a person, replaced (and so revoked) by regenerating."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FeedTokenQuerySet.as_manager()

    def __str__(self):
        return f"Feed token of {self.user}"


class PartnershipApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def matching(self, key: str):
        return self.filter(key_hash=digest(key or ""))


class PartnershipApiToken(models.Model):
    """A partner system's key to the read-only API: it reads as a member of its partnership.

    Made and revoked by the partnership's managers; revoked rather than deleted so that who made
    a key, and when it was last used, stays on record."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="Which system uses it, e.g. 'Sefton intranet'."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=8, editable=False, help_text="The key's first characters, to tell keys apart."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_api_tokens",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__short_name", "-created_at"]
        verbose_name = "partnership API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
