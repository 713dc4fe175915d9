"""Theme pages: everything tagged with one theme that the reader may see, with the theme's
description and the other words practitioners use for it."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control

from partnership import vocabulary

from ..library import library_listing


# What it lists differs by reader: no shared cache may keep it.
@cache_control(private=True)
def theme_page(request, slug):
    theme = vocabulary.theme_by_slug(slug)
    if theme is None:
        raise Http404("No such theme.")
    listing = library_listing(
        request.user, request.GET, theme=theme, page_number=request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "learning/theme_page.html",
        {"theme": theme, "listing": listing, "show_partnership": True},
    )
