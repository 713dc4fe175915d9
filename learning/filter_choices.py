"""The choices of the action filters (owner agency, theme, partnership), cached.

The actions report and the action list show these lists on every request. Built afresh, they
cost a query each, and the owner agencies one that reads every action the reader may see: at
100,000 actions, most of the page's time. So each list is kept in Django's cache under a
*generation*, the action reports' own (`learning.report_cache`), which any change to what they
count renews, and for `SECONDS` at most besides, for changes that send no signal.

The lists only offer choices. The rows shown are always those `partnership.access.visible_to`
lets the reader see, whatever is chosen, so a list a minute stale can hide a choice for a
minute but never show a row it should not. That is why the filters accept any id (see
`IdChoiceField`) rather than refusing one a stale list does not hold yet.
"""

from partnership.access import visible_to
from partnership.models import Agency, Partnership, Theme

from . import report_cache

SECONDS = 600


def action_filter_choices(user) -> dict[str, list[tuple[str, str]]]:
    """`(id, label)` pairs for the owner agency, theme and partnership filters: built together
    per reader and kept under the reports' generation, so one cache round trip when warm."""
    return report_cache.remember(
        "filter-choices",
        user,
        (),
        lambda: {
            "owner_agency": _agencies(user),
            "theme": _themes(),
            "partnership": _partnerships(),
        },
        seconds=SECONDS,
    )


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


def _themes() -> list[tuple[str, str]]:
    return [
        (str(pk), name) for pk, name in Theme.objects.order_by("name").values_list("pk", "name")
    ]


def _partnerships() -> list[tuple[str, str]]:
    rows = Partnership.objects.order_by("short_name").values_list("pk", "short_name")
    return [(str(pk), short_name) for pk, short_name in rows]
