from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .serving import HubPage

STANDARD_FEATURES = ["h2", "h3", "bold", "italic", "link", "ul", "ol"]


class StandardPage(HubPage, Page):
    """A plain page of text (the accessibility statement, privacy, about): a heading and a rich
    text body, nothing that differs between readers, so the page cache may hold it."""

    body = RichTextField(features=STANDARD_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("body")]

    parent_page_types = ["learning.HomePage", "learning.StandardPage"]
    routed_in_one_query = True
    subpage_types = ["learning.StandardPage"]

    class Meta:
        verbose_name = "standard page"
