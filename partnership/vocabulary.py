"""The region's shared vocabularies, read on every library page (the filters' choices, theme
names for the links under each entry): themes, and agencies with their partnerships.

They change a few times a year and are read on every request, so they are kept in Django's cache
and dropped whenever a theme, an agency or a partnership is saved or deleted (signals, connected
in `PartnershipConfig.ready`). The timeout bounds how stale another process's copy can be where
the cache is per process (locmem in development)."""

from django.core.cache import cache

THEMES_KEY = "hub:vocabulary:themes"
AGENCIES_KEY = "hub:vocabulary:agencies"
TIMEOUT = 300


def themes() -> list:
    """Every theme, by name."""
    found = cache.get(THEMES_KEY)
    if found is None:
        from .models import Theme

        found = list(Theme.objects.order_by("name"))
        cache.set(THEMES_KEY, found, TIMEOUT)
    return found


def themes_by_id() -> dict:
    return {theme.pk: theme for theme in themes()}


def theme_by_slug(slug: str):
    return next((theme for theme in themes() if theme.slug == slug), None)


def agencies() -> list:
    """Every agency with its partnership, by partnership name then agency name."""
    found = cache.get(AGENCIES_KEY)
    if found is None:
        from .models import Agency

        found = list(
            Agency.objects.select_related("partnership").order_by("partnership__name", "name")
        )
        cache.set(AGENCIES_KEY, found, TIMEOUT)
    return found


def agencies_by_id() -> dict:
    return {agency.pk: agency for agency in agencies()}


def invalidate(**kwargs) -> None:
    """A signal receiver: the next read loads the vocabularies afresh."""
    cache.delete_many([THEMES_KEY, AGENCIES_KEY])
