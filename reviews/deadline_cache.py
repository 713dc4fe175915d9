"""A reader's deadlines (the dashboard and the admin home's panel), kept until a review or
milestone changes.

The deadlines read every open milestone of every review the reader may see: at 10,000 reviews
that was most of the dashboard's time, and the same reader opens it again with every return to
the admin home. So they are kept per reader (`partnership.access.reader_key`), day and section
size, under a *generation* that any save or deletion of a milestone, review, review timescale,
membership or partnership renews, as do changes to a review's panel or participating
partnerships and any bulk write (`hub.signals.written_in_bulk`, which the milestone services send
after their bulk updates), and for `SECONDS` at most besides.
"""

from __future__ import annotations

from hub import generations
from partnership.access import reader_key

GENERATION_KEY = "hub:deadlines:generation"
SECONDS = 300


def invalidate(**kwargs) -> None:
    """Start a new generation: every reader's kept deadlines are stale. Also a receiver."""
    generations.renew_now_and_at_commit(GENERATION_KEY)


def remember(user, params, build):
    key = generations.key("hub:deadlines:", reader_key(user), params)
    return generations.remember(GENERATION_KEY, key, SECONDS, build)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from hub.signals import written_in_bulk
    from partnership.models import Membership, Partnership

    from .models import Milestone, Review, ReviewTimescale

    for model in (Milestone, Review, ReviewTimescale, Membership, Partnership):
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate,
                sender=model,
                dispatch_uid=f"hub-deadlines-{signal is post_save}-{model.__name__}",
            )
    for through in (Review.panel.through, Review.participating_partnerships.through):
        m2m_changed.connect(
            invalidate, sender=through, dispatch_uid=f"hub-deadlines-{through._meta.label}"
        )
    written_in_bulk.connect(invalidate, dispatch_uid="hub-deadlines-bulk")
