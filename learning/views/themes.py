"""Theme pages: everything tagged with one theme that the reader may see, with the theme's
description and the other words practitioners use for it."""

from django.http import Http404
from django.template.response import TemplateResponse

from hub.page_cache import shared_with_visitors
from partnership import vocabulary

from ..library import rendered_listing


# What it lists differs by reader: visitors share the page cache's copy, signed-in readers
# their audience's list (and their page is private, no-store: partnership.sessions).
@shared_with_visitors
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
