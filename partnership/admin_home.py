"""The admin home's page panels that Wagtail ships, narrowed by the access policy: each lists only
pages the reader may see (`partnership.admin_visibility`), as the reports do. Wagtail's workflow
panels give way to the reviews' own sign-off section (`reviews.home`)."""

from wagtail.admin.views.home import LockedPagesPanel, RecentEditsPanel
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .admin_visibility import narrow_pages


class HubRecentEditsPanel(RecentEditsPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        edited = [page.pk for _, page in context["last_edits"]]
        shown = set(
            narrow_pages(user, Page.objects.filter(pk__in=edited)).values_list("pk", flat=True)
        )
        context["last_edits"] = [(w, page) for w, page in context["last_edits"] if page.pk in shown]
        return context


class HubLockedPagesPanel(LockedPagesPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["locked_pages"] = narrow_pages(user, context["locked_pages"])
        return context


page_permission_policy = PagePermissionPolicy()

NARROWED = {
    RecentEditsPanel: HubRecentEditsPanel,
    LockedPagesPanel: HubLockedPagesPanel,
}


# Panels about editing pages, and the page permissions without which they can show nothing:
# left out for people without them (the scrutineer and statutory partners edit no page; no Hub
# role may lock one), with their queries.
PAGE_EDITING_PANELS = {RecentEditsPanel: ["change", "publish"], LockedPagesPanel: ["lock"]}


def narrow_home_panels(request, panels):
    """`construct_homepage_panels`: swap each of Wagtail's panels for its narrowed subclass,
    and leave out the page-editing panels for people who could have nothing in them."""
    user = request.user
    panels[:] = [
        panel
        for panel in panels
        if type(panel) not in PAGE_EDITING_PANELS
        or page_permission_policy.user_has_any_permission(user, PAGE_EDITING_PANELS[type(panel)])
    ]
    for position, panel in enumerate(panels):
        if type(panel) in NARROWED:
            panels[position] = NARROWED[type(panel)]()
