from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup

from .admin_access import GuardedDeleteBulkAction
from .admin_home import narrow_home_panels
from .admin_scoping import OwnPartnershipForm, PartnershipScopedViewSet
from .documents import VisibleDocumentsAdminAPIViewSet
from .models import Agency, Membership, Partnership, Region, Theme
from .page_access import AccessPagePermissionPolicy, visible_pages
from .retention import deactivate_instead_of_delete, describe, holdings
from .uploads import ContentMismatch, check_content


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
    list_display = ["short_name", "name", "kind", "region", "website"]
    list_filter = ["region", "kind"]
    search_fields = ["name", "short_name"]


class AgencyDeleteView(DeleteView):
    """An agency that records name is retired, not deleted: the delete is refused, before it
    is confirmed, with what names it and the way to retire it."""

    def run_before_hook(self):
        held = holdings(self.object)
        if not held:
            return super().run_before_hook()
        messages.error(
            self.request,
            f"{self.object} cannot be deleted: {describe(held)} name it. "
            "Retire it instead: untick Active and save. It stays on those records and "
            "leaves the pickers.",
        )
        return redirect(reverse(self.edit_url_name, args=(quote(self.object.pk),)))


class AgencyViewSet(PartnershipScopedViewSet):
    model = Agency
    icon = "site"
    menu_label = "Agencies"
    delete_view_class = AgencyDeleteView
    list_display = ["name", "short_name", "sector", "partnership", "active"]
    list_filter = ["partnership", "sector", "active"]
    list_export = ["name", "short_name", "sector", "partnership", "active"]
    search_fields = ["name", "short_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("partnership"),
            FieldPanel("name"),
            FieldPanel("short_name"),
            FieldPanel("sector"),
            FieldPanel("active"),
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


# After Wagtail's own bulk delete (order 0), which it replaces for records with an access rule.
hooks.register("register_bulk_action", GuardedDeleteBulkAction, order=1)
# Wagtail's reports are narrowed at their own addresses (partnership.admin_reports, routed in
# config/urls.py); its home panels and workflow emails here and in PartnershipConfig.ready().
hooks.register("construct_homepage_panels", narrow_home_panels)

# Before any page view asks: Wagtail's page lists (explorer, admin API, chooser) leave out the
# pages the access policy hides.
register_permission_policy(Page, AccessPagePermissionPolicy(Page))


@hooks.register("construct_explorer_page_queryset")
def hide_pages_in_the_explorer(parent_page, pages, request):
    return visible_pages(request.user, pages)


@hooks.register("construct_page_chooser_queryset")
def hide_pages_in_the_chooser(pages, request):
    return visible_pages(request.user, pages)


@hooks.register("before_move_page")
def refuse_moves_the_page_tester_refuses(request, page, destination):
    """Wagtail's move confirmation renders before it asks the page's permissions: ask first."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied("You may not move this page.")


@hooks.register("construct_admin_api", order=100)
def narrow_admin_api_documents(router):
    """After Wagtail's own hook (order 0), which registers an endpoint that asks no policy."""
    router.register_endpoint("documents", VisibleDocumentsAdminAPIViewSet)


@hooks.register("before_delete_user")
def deactivate_people_whom_records_name(request, user):
    """Wagtail's user delete deactivates a person whom records name: their acknowledgements,
    bookings, evidence and history stay theirs. The confirmation page says so first."""
    if request.method != "POST":
        held = holdings(user)
        if held:
            messages.warning(
                request,
                f"{user.get_username()} holds {describe(held)}: deleting will deactivate "
                "them instead, so that those records keep their name.",
            )
        return None
    outcome = deactivate_instead_of_delete(user, by=request.user)
    if outcome.deleted:
        return None
    messages.success(
        request,
        f"{user.get_username()} was deactivated, not deleted: they hold "
        f"{describe(outcome.held)}. They can no longer sign in.",
    )
    return redirect("wagtailusers_users:index")


@hooks.register("register_log_actions")
def register_retention_actions(actions):
    actions.register_action(
        "hub.person.deactivated", "Deactivate", "Deactivated instead of deleted"
    )
    actions.register_action("hub.agency.retired", "Retire", "Retired")


# After every access hook (order 0): only a document the person may have is looked at.
@hooks.register("before_serve_document", order=100)
def serve_unchecked_content_as_bytes(document, request):
    """A document whose content is not what its name says (one stored before uploads were
    checked) is served as bytes to save, never as the type its name claims; every other
    document is left to Wagtail's view, which sends it as the type `partnership.uploads`
    checked, as an attachment, with nosniff."""
    try:
        with document.open_file() as file:
            check_content(file, document.filename)
    except ContentMismatch:
        # Wagtail's view returns a hook's answer only if it is an HttpResponse, which a
        # streaming FileResponse is not: such files are few and at most the upload limit.
        with document.open_file() as file:
            response = HttpResponse(file.read(), content_type="application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=document.filename
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'"
        return response
    return None
