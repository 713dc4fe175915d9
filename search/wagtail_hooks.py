"""The admin's search offers the Hub's search too: the admin's own search finds pages, snippets
and reviews through Wagtail's backend (unchanged); "Learning search" takes the same words to the
one search service, with its synonyms, facets and access rules."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.search import SearchArea


@hooks.register("register_admin_search_area")
def register_learning_search_area():
    return SearchArea(
        "Learning search", reverse("search"), name="learning-search", icon_name="search", order=900
    )
