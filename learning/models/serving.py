"""What the Hub's page types share when Wagtail serves them: fewer queries per request.

- View restrictions: Wagtail asks, on every page served, for the restrictions of the page and its
  ancestors (two queries). The Hub decides who reads what with its access policy, and view
  restrictions are rare, so whether any exists at all is kept in the cache (dropped when one is
  saved or deleted) and the two queries are made only when one does.
- Routing: Wagtail walks the tree a level at a time, two queries a level (the child, then its
  specific page). `HomePage.route` finds the page at the end of the path in one query instead,
  for the page types whose place in the tree is fixed by `parent_page_types` (a library under
  the home page, a briefing under a library, standard pages under the home page or each other)
  and none of which route further themselves; anything else takes Wagtail's way.
"""

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction
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
    """A mixin for the Hub's page models (before `Page` in the bases)."""

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# The page types routed in one query, and what each one's template reads through a foreign key.
ROUTED_IN_ONE = {
    "librarypage": ("librarypage__partnership",),
    "learningbriefing": ("learningbriefing__partnership",),
    "standardpage": (),
}


def route_in_one_query(home, request, path_components):
    """The live page at `path_components` under `home`, specific, in one query; None when the
    path leads anywhere else (Wagtail's own routing then decides, 404 included)."""
    url_path = home.url_path + "/".join(path_components) + "/"
    related = [name for names in ROUTED_IN_ONE.values() for name in names] + [
        name for name, names in ROUTED_IN_ONE.items() if not names
    ]
    page = (
        Page.objects.descendant_of(home)
        .filter(Q(url_path=url_path))
        .select_related(*related)
        .first()
    )
    if page is None:
        return None
    name = page.specific_class._meta.model_name if page.specific_class else None
    if name not in ROUTED_IN_ONE or not page.live:
        return None
    specific = getattr(page, name)
    return RouteResult(specific)
