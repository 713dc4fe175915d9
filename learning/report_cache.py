"""What the action reports count, kept per reader until the actions change.

The actions report's summary tables and its row count, and the "learning embedded" funnel, read
every action a reader may see: at 100,000 actions that is most of each page's time, and the
same reader asks again with each page of rows, each sort and each return to the report. So each
is kept in Django's cache, per reader (who they are, where they work, their roles: as the filter
choices are) and per filter and day, under a *generation* that any save or deletion of what the
reports count renews (actions and their history, evidence, recommendations, reviews, agencies,
themes, partnerships, memberships), as does any bulk write that says so
(`hub.signals.written_in_bulk`), and for `SECONDS` at most besides, for a change that sends no
signal at all.

Only counts are kept, never rows: the rows of a report page are always read afresh through
`partnership.access.visible_to`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from hub import generations
from partnership.access import reader_key

GENERATION_KEY = "hub:action-reports:generation"
SECONDS = 300
T = TypeVar("T")


def invalidate(**kwargs) -> None:
    """Start a new generation: every cached count and choice is stale. Also a signal receiver."""
    generations.renew_now_and_at_commit(GENERATION_KEY)


def remember(name: str, user, params, build: Callable[[], T], *, seconds: int = SECONDS) -> T:
    """`build()`'s answer for this report part, reader and parameters (anything with a stable
    `repr`: the filters and the day), under the reports' generation. Off where the page cache
    is off (HUB_PAGE_CACHE_SECONDS=0), as every generation cache is."""
    key = generations.key(f"hub:action-reports:{name}:", reader_key(user), params)
    return generations.remember(GENERATION_KEY, key, seconds, build)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from hub.signals import written_in_bulk
    from partnership.models import Agency, Membership, Partnership, Theme
    from reviews.models import Recommendation, Review

    from .models import Action, ActionEvent, ActionTheme, Evidence

    counted = (Agency, Theme, Partnership, Membership, Action, ActionEvent, ActionTheme, Evidence)
    for model in (*counted, Recommendation, Review):
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate,
                sender=model,
                dispatch_uid=f"hub-action-reports-{signal is post_save}-{model.__name__}",
            )
    # The theme filter counts through the actions' themes, which taggit changes with m2m signals.
    m2m_changed.connect(invalidate, sender=ActionTheme, dispatch_uid="hub-action-reports-themes")
    written_in_bulk.connect(invalidate, dispatch_uid="hub-action-reports-bulk")
