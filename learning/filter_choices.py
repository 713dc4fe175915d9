"""The choices of the action filters (owner agency, theme, partnership), cached.

The actions report and the action list show these lists on every request. Built afresh, they
cost a query each, and the owner agencies one that reads every action the reader may see: at
100,000 actions, most of the page's time. So each list is kept in Django's cache under a
*generation* that any save or deletion of an agency, theme, partnership, membership or action
renews (as the anonymous page cache does), and for `SECONDS` at most besides, for changes that
send no signal (bulk updates and imports).

The lists only offer choices. The rows shown are always those `partnership.access.visible_to`
lets the reader see, whatever is chosen, so a list a minute stale can hide a choice for a
minute but never show a row it should not. That is why the filters accept any id (see
`IdChoiceField`) rather than refusing one a stale list does not hold yet.
"""

import uuid

from django.core.cache import cache

from partnership.access import membership_of, roles_of, visible_to
from partnership.models import Agency, Partnership, Theme

GENERATION_KEY = "hub:action-filter-choices:generation"
SECONDS = 600


def invalidate(**kwargs) -> None:
    """Start a new generation: every cached list is stale. Also a signal receiver."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        invalidate()
        generation = cache.get(GENERATION_KEY, "none")
    return generation


def _reader_key(user) -> str:
    """What the owner agencies a reader may see depend on: who they are, where they work and
    the roles they hold (a changed role changes the key, so no signal is needed for it)."""
    membership = membership_of(user)
    where = f"{membership.partnership_id}.{membership.agency_id}" if membership else "-"
    roles = ".".join(sorted(str(role) for role in roles_of(user)))
    return f"{user.pk}:{where}:{roles}:{int(bool(user.is_superuser))}"


def action_filter_choices(user) -> dict[str, list[tuple[str, str]]]:
    """`(id, label)` pairs for the owner agency, theme and partnership filters, from the cache
    in one round trip when warm."""
    generation = _generation()
    keys = {
        "owner_agency": f"hub:action-filter-choices:{generation}:agencies:{_reader_key(user)}",
        "theme": f"hub:action-filter-choices:{generation}:themes",
        "partnership": f"hub:action-filter-choices:{generation}:partnerships",
    }
    found = cache.get_many(keys.values())
    builders = {"owner_agency": _agencies, "theme": _themes, "partnership": _partnerships}
    choices = {}
    for name, key in keys.items():
        if key in found:
            choices[name] = found[key]
        else:
            choices[name] = builders[name](user)
            cache.set(key, choices[name], SECONDS)
    return choices


def _agencies(user) -> list[tuple[str, str]]:
    """The agencies that own an action the reader may see: one query, names only."""
    from .models import Action

    owners = visible_to(user, Action.objects.all()).values("owner_agency")
    rows = (
        Agency.objects.filter(pk__in=owners)
        .order_by("partnership__short_name", "name")
        .values_list("pk", "name", "partnership__short_name")
    )
    # As `Agency.__str__` reads, so the list matches the rest of the admin.
    return [(str(pk), f"{name} ({short_name})") for pk, name, short_name in rows]


def _themes(user) -> list[tuple[str, str]]:
    return [
        (str(pk), name) for pk, name in Theme.objects.order_by("name").values_list("pk", "name")
    ]


def _partnerships(user) -> list[tuple[str, str]]:
    rows = Partnership.objects.order_by("short_name").values_list("pk", "short_name")
    return [(str(pk), short_name) for pk, short_name in rows]


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from partnership.models import Membership

    from .models import Action

    for model in (Agency, Theme, Partnership, Membership, Action):
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate,
                sender=model,
                dispatch_uid=f"hub-action-filter-choices-{signal is post_save}-{model.__name__}",
            )
