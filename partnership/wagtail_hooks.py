from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_scoping import OwnPartnershipForm, PartnershipScopedViewSet
from .documents import VisibleDocumentsAdminAPIViewSet
from .models import Agency, Membership, Partnership, Region, Theme


class ThemeViewSet(SnippetViewSet):
    """The region's shared vocabulary: every partnership tags with the same themes."""

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


class PartnershipViewSet(PartnershipScopedViewSet):
    model = Partnership
    partnership_lookup = "pk"
    icon = "group"
    list_display = ["short_name", "name", "region", "website"]
    list_filter = ["region"]
    search_fields = ["name", "short_name"]


class AgencyViewSet(PartnershipScopedViewSet):
    model = Agency
    icon = "site"
    menu_label = "Agencies"
    list_display = ["name", "short_name", "sector", "partnership"]
    list_filter = ["partnership", "sector"]
    list_export = ["name", "short_name", "sector", "partnership"]
    search_fields = ["name", "short_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("partnership"),
            FieldPanel("name"),
            FieldPanel("short_name"),
            FieldPanel("sector"),
        ],
        base_form_class=OwnPartnershipForm,
    )


class MembershipViewSet(PartnershipScopedViewSet):
    model = Membership
    icon = "user"
    menu_label = "People"
    list_display = ["user", "partnership", "agency", "job_title"]
    list_filter = ["partnership"]
    search_fields = ["job_title"]
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("partnership"),
            FieldPanel("agency"),
            FieldPanel("job_title"),
        ],
        base_form_class=OwnPartnershipForm,
    )


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "globe"


class PartnershipGroup(SnippetViewSetGroup):
    menu_label = "Partnership"
    menu_icon = "group"
    menu_order = 250
    items = (ThemeViewSet, PartnershipViewSet, AgencyViewSet, MembershipViewSet, RegionViewSet)


register_snippet(PartnershipGroup)


@hooks.register("insert_global_admin_js")
def admin_accessibility_js():
    return format_html(
        '<script src="{}" defer></script>', static("partnership/js/admin-accessibility.js")
    )


@hooks.register("construct_admin_api", order=100)
def narrow_admin_api_documents(router):
    """After Wagtail's own hook (order 0), which registers an endpoint that asks no policy."""
    router.register_endpoint("documents", VisibleDocumentsAdminAPIViewSet)
