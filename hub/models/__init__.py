"""The core's models: what every domain stores the same way."""

from .notice import Notice, NoticeQuerySet  # noqa: F401
