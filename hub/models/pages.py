"""The site's own pages: the home page at the root of the tree and plain pages of text.

They belong to no domain: every domain's pages (libraries, course lists) hang below the home page,
and the home page routes to them in one query (see `hub.pages`)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from hub.home import SITE_HOOK, sections_for
from hub.pages import HubPage, route_in_one_query

PROSE_FEATURES = ["h2", "h3", "bold", "italic", "link", "ul", "ol"]


class HomePage(HubPage, Page):
    """The front door of the Hub for practitioners and the public."""

    introduction = models.TextField(
        blank=True,
        help_text="One or two sentences under the heading: what the hub is for.",
    )
    body = RichTextField(blank=True, features=PROSE_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated:
            # What needs this person, from the apps that own the work (`hub.home`).
            context["home_sections"] = sections_for(request, SITE_HOOK)
        return context

    def route(self, request, path_components):
        if path_components:
            found = route_in_one_query(self, request, path_components)
            if found is not None:
                return found
        return super().route(request, path_components)


class StandardPage(HubPage, Page):
    """A plain page of text (the accessibility statement, privacy, about): a heading and a rich
    text body, nothing that differs between readers, so the page cache may hold it."""

    body = RichTextField(features=PROSE_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("body")]

    parent_page_types = ["hub.HomePage", "hub.StandardPage"]
    routed_in_one_query = True
    subpage_types = ["hub.StandardPage"]

    class Meta:
        verbose_name = "standard page"
