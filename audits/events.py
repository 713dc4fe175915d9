"""Challenge and support events: recorded by quality assurance for one or several of a cycle's
returns; a challenge may name the event it was made at (`audits.cycles.challenge`)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from wagtail.log_actions import log

from .cycles import may_challenge_cycle, require
from .models import ChallengeEvent, Cycle

LOG_ACTIONS = {"hub.audit.event_recorded": "Challenge and support event recorded"}


def record_event(
    cycle: Cycle, user, *, title: str, held_on: date, returns, notes: str = ""
) -> ChallengeEvent:
    require(
        may_challenge_cycle(user, cycle),
        "Only the partnership's quality assurance records challenge and support events.",
    )
    returns = list(returns)
    require(bool(returns), "Choose the agencies the event covered")
    require(all(r.cycle_id == cycle.pk for r in returns), "Every return must belong to the cycle")
    title = " ".join((title or "").split())
    require(bool(title), "Enter a title for the event")
    with transaction.atomic():
        event = ChallengeEvent.objects.create(
            cycle=cycle, title=title, held_on=held_on, notes=notes.strip(), recorded_by=user
        )
        event.returns.set(returns)
        log(cycle, "hub.audit.event_recorded", user=user, data={"returns": len(returns)})
    return event
