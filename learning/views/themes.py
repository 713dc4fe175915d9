"""Theme pages: everything tagged with one theme that the reader may see, with the theme's
description and the other words practitioners use for it."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control

from partnership import vocabulary

from ..library import rendered_listing


# What it lists differs by reader: no shared cache may keep it.
@cache_control(private=True)
def theme_page(request, slug):
    theme = vocabulary.theme_by_slug(slug)
    if theme is None:
        raise Http404("No such theme.")
    listing = rendered_listing(
        request, place=f"theme:{theme.slug}", show_partnership=True, theme=theme
    )
    return TemplateResponse(
        request, "learning/theme_page.html", {"theme": theme, "listing": listing}
    )
