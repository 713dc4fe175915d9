"""What the Hub's page types share when Wagtail serves them: fewer queries per request.

- View restrictions: Wagtail asks, on every page served, for the restrictions of the page and its
  ancestors (two queries). The Hub decides who reads what with its access policy, and view
  restrictions are rare, so whether any exists at all is kept in the cache (dropped when one is
  saved or deleted) and the two queries are made only when one does.
- Routing: Wagtail walks the tree a level at a time, two queries a level (the child, then its
  specific page). `HomePage.route` finds the page at the end of the path in one query instead,
  for the page types marked `routed_in_one_query` (a library under the home page, a briefing
  under a library, standard pages, the course list and its courses): their place in the tree is
  fixed by `parent_page_types` and none routes further itself; anything else takes Wagtail's
  way.
"""

import functools

from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.url_routing import RouteResult

ANY_RESTRICTION_KEY = "hub:view-restrictions:any"


def any_view_restrictions() -> bool:
    found = cache.get(ANY_RESTRICTION_KEY)
    if found is None:
        found = PageViewRestriction.objects.exists()
        cache.set(ANY_RESTRICTION_KEY, found, 300)
    return found


def forget_view_restrictions(**kwargs) -> None:
    cache.delete(ANY_RESTRICTION_KEY)


class HubPage:
    """A mixin for the Hub's page models (before `Page` in the bases).

    `routed_in_one_query`: the page is found by `HomePage.route` in one query (see the module's
    note); set it only on a page type whose place in the tree is fixed by `parent_page_types`
    and which routes no further itself. `route_select_related`: what its template reads
    through a foreign key, fetched in that same query."""

    routed_in_one_query = False
    route_select_related: tuple[str, ...] = ()

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


@functools.cache
def _routed_in_one() -> tuple[frozenset[str], tuple[str, ...]]:
    """The model names of the page types routed in one query, and the select_related that
    reads each one's specific page (and what it reads through a foreign key) with it."""
    names, related = set(), []
    for model in get_page_models():
        if getattr(model, "routed_in_one_query", False):
            name = model._meta.model_name
            names.add(name)
            related += [f"{name}__{field}" for field in model.route_select_related] or [name]
    return frozenset(names), tuple(related)


def route_in_one_query(home, request, path_components):
    """The live page at `path_components` under `home`, specific, in one query; None when the
    path leads anywhere else (Wagtail's own routing then decides, 404 included)."""
    names, related = _routed_in_one()
    if not path_components:
        return None
    url_path = home.url_path + "/".join(path_components) + "/"
    # Found by its slug and depth, which are indexed (url_path is not: a scan of every page),
    # then checked against the whole path.
    page = (
        Page.objects.filter(
            slug=path_components[-1],
            depth=home.depth + len(path_components),
            path__startswith=home.path,
            url_path=url_path,
        )
        .select_related(*related)
        .first()
    )
    if page is None:
        return None
    name = page.specific_class._meta.model_name if page.specific_class else None
    if name not in names or not page.live:
        return None
    specific = getattr(page, name)
    return RouteResult(specific)
