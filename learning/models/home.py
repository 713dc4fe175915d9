from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .serving import HubPage, route_in_one_query


class HomePage(HubPage, Page):
    """The front door of the learning hub for practitioners and the public."""

    introduction = models.TextField(
        blank=True,
        help_text="One or two sentences under the heading: what the hub is for.",
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol"])

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        if path_components:
            found = route_in_one_query(self, request, path_components)
            if found is not None:
                return found
        return super().route(request, path_components)
