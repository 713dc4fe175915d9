"""The core's models: what every domain stores the same way."""

from .import_job import ImportJob  # noqa: F401
from .notice import Notice, NoticeQuerySet  # noqa: F401
from .pages import HomePage, StandardPage  # noqa: F401
