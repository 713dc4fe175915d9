"""The core's models: what every domain stores the same way."""

from .pages import HomePage, StandardPage  # noqa: F401
