"""Evidence towards embedding that other apps hold about an action, counted for its page, the
evidence pack and the "learning embedded" report.

Dependencies point one way (learning <- training), so learning never imports the apps that
count: each registers a function with the Wagtail hook `hub_action_impact`. The function takes a
queryset of actions and returns an `ImpactCounts`: a sentence per action id and one for all of
them together, counted in the database with a fixed number of queries.

These are signals for the people who answer for an action and for quality assurance, shown next
to the evidence. They never move an action: its impact is evidenced only when someone records
evidence of impact through `learning.actions`, and only quality assurance embeds it."""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail import hooks

HOOK = "hub_action_impact"


@dataclass(frozen=True)
class ImpactSignal:
    label: str  # "Training follow-up"
    count: int  # the headline number ("12 delegates said practice changed")
    text: str  # the sentence to show


@dataclass
class ImpactCounts:
    per_action: dict[int, ImpactSignal] = field(default_factory=dict)
    total: ImpactSignal | None = None


def _collect(actions) -> list[ImpactCounts]:
    return [counter(actions) for counter in hooks.get_hooks(HOOK)]


def for_action(action) -> list[ImpactSignal]:
    from .models import Action

    return [
        counts.per_action[action.pk]
        for counts in _collect(Action._base_manager.filter(pk=action.pk))
        if action.pk in counts.per_action
    ]


def for_actions(actions) -> dict[int, list[ImpactSignal]]:
    found: dict[int, list[ImpactSignal]] = {}
    for counts in _collect(actions):
        for action_id, signal in counts.per_action.items():
            found.setdefault(action_id, []).append(signal)
    return found


def totals(actions) -> list[ImpactSignal]:
    return [counts.total for counts in _collect(actions) if counts.total is not None]
