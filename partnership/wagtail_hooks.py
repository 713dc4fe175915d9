from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Agency, Membership, Partnership, Region, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Themes"
    list_display = ["name", "slug", "synonyms"]
    list_export = ["name", "slug", "synonyms", "description"]
    search_fields = ["name", "synonyms"]
    ordering = ["name"]
    panels = [
        HelpPanel(
            content="Themes are the partnership's shared vocabulary: reviews, findings, actions, "
            "briefings and courses are tagged with them, and search treats synonyms as the theme."
        ),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("synonyms"),
    ]


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    icon = "group"
    list_display = ["short_name", "name", "region", "website"]
    list_filter = ["region"]
    search_fields = ["name", "short_name"]


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "site"
    menu_label = "Agencies"
    list_display = ["name", "short_name", "sector", "partnership"]
    list_filter = ["partnership", "sector"]
    list_export = ["name", "short_name", "sector", "partnership"]
    search_fields = ["name", "short_name"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = "People"
    list_display = ["user", "partnership", "agency", "job_title"]
    list_filter = ["partnership"]
    search_fields = ["job_title"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "globe"


class PartnershipGroup(SnippetViewSetGroup):
    menu_label = "Partnership"
    menu_icon = "group"
    menu_order = 250
    items = (ThemeViewSet, PartnershipViewSet, AgencyViewSet, MembershipViewSet, RegionViewSet)


register_snippet(PartnershipGroup)
