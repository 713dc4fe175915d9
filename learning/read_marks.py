"""Read and new, for a signed-in reader, on lists of briefings that everyone in an audience shares.

The library's list is rendered once per audience (`hub.audience_cache`), so it cannot hold one
person's marks. Each briefing in it carries a placeholder instead (`<!--hub-read:<id>:<date>-->`,
written by `briefing_card.html`), and `mark` fills them in for the reader on each request: "Read"
for a briefing they marked read and understood (one query over the briefings on the page), "New"
for one dated on or after the day of their last visit. Visitors get the placeholders removed.

The last visit is kept in the cache for 90 days, per person: a visit starts after 30 minutes away,
so paging through the list in one sitting keeps the same "new". Losing it (a cache flush) only
means nothing is marked new until the next visit."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import Acknowledgement

PLACEHOLDER = re.compile(r"<!--hub-read:(\d+):(\d{4}-\d{2}-\d{2})-->")
VISIT_KEY = "hub:library-visit:{}"
VISIT_SECONDS = 90 * 24 * 3600
A_NEW_VISIT_AFTER = timedelta(minutes=30)

TAG = (
    ' <strong class="govuk-tag govuk-tag--{}">{}<span class="govuk-visually-hidden"> {}'
    "</span></strong>"
)
READ = format_html(TAG, "green", "Read", "by you")
NEW = format_html(TAG, "blue", "New", "since your last visit")


def previous_visit(user, now: datetime | None = None) -> datetime | None:
    """When the reader's previous visit to the library began, and note this one."""
    now = now or timezone.now()
    key = VISIT_KEY.format(user.pk)
    before, last = cache.get(key, (None, None))
    if last is None or now - last > A_NEW_VISIT_AFTER:
        before = last
    cache.set(key, (before, now), VISIT_SECONDS)
    return before


def mark(request, html: str) -> str:
    """`html` with each briefing's placeholder replaced by the reader's mark (or nothing)."""
    found = PLACEHOLDER.findall(html)
    user = request.user
    if not found or not user.is_authenticated:
        return mark_safe(PLACEHOLDER.sub("", html))  # noqa: S308 - removes comments only
    read = set(
        Acknowledgement.objects.filter(
            user=user, briefing_id__in={int(pk) for pk, _ in found}
        ).values_list("briefing_id", flat=True)
    )
    since = previous_visit(user)
    since_day = timezone.localdate(since) if since else None

    def replace(match):
        pk, day = int(match.group(1)), date.fromisoformat(match.group(2))
        if pk in read:
            return READ
        if since_day is not None and day >= since_day:
            return NEW
        return ""

    return mark_safe(PLACEHOLDER.sub(replace, html))  # noqa: S308 - our own tags only
