"""Secrets that stand in for a sign-in (a feed address, an API key): made here, stored only as a
SHA-256 digest, so a copy of the database or a backup hands nobody a working secret. The secret
is shown once, when it is made."""

import hashlib
import secrets


def digest(secret: str) -> str:
    return hashlib.sha256((secret or "").encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)
