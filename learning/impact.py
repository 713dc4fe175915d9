"""Evidence towards embedding that other apps hold about an action, counted for its page, the
evidence pack and the "learning embedded" report.

Dependencies point one way (learning <- training), so learning never imports the apps that
count: each registers a function with the Wagtail hook `hub_action_impact` that returns an
`ImpactCounter`, which counts over a queryset of actions, per action and for all of them
together, each with one query however many actions there are.

These are signals for the people who answer for an action and for quality assurance, shown next
to the evidence. They never move an action: its impact is evidenced only when someone records
evidence of impact through `learning.actions`, and only quality assurance embeds it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from wagtail import hooks

HOOK = "hub_action_impact"


@dataclass(frozen=True)
class ImpactSignal:
    label: str  # "Training follow-up"
    count: int  # the headline number ("12 delegates said practice changed")
    text: str  # the sentence to show


class ImpactCounter(Protocol):
    """What an app registers (the hook function returns one): each counts with one query."""

    def per_action(self, actions) -> dict[int, ImpactSignal]: ...

    def total(self, actions) -> ImpactSignal | None: ...


def counters() -> list[ImpactCounter]:
    return [hook() for hook in hooks.get_hooks(HOOK)]


def for_action(action) -> list[ImpactSignal]:
    from .models import Action

    one = Action._base_manager.filter(pk=action.pk)
    return [s for c in counters() if (s := c.per_action(one).get(action.pk)) is not None]


def for_actions(actions) -> dict[int, list[ImpactSignal]]:
    found: dict[int, list[ImpactSignal]] = {}
    for counter in counters():
        for action_id, signal in counter.per_action(actions).items():
            found.setdefault(action_id, []).append(signal)
    return found


def totals(actions) -> list[ImpactSignal]:
    return [s for c in counters() if (s := c.total(actions)) is not None]
