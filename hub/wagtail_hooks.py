"""The core's admin and serving hooks: each import job's page (`hub.importing.views`), marking
pages Wagtail serves as candidates for the anonymous page cache, and the "what needs me" panels
on the admin's home (`hub.home`)."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from hub.importing import urls

from . import guide
from .home import AdminHomePanel
from .page_cache import mark_cacheable


@hooks.register("before_serve_page")
def allow_anonymous_page_cache(page, request, serve_args, serve_kwargs):
    """Only responses that went through Wagtail's page serving may be cached for visitors."""
    mark_cacheable(page, request)


@hooks.register("register_admin_urls")
def register_import_job_urls():
    return [
        path("imports/", include(urls, namespace="hub_imports")),
        path("guide/", guide.GuideIndexView.as_view(), name="hub_guide"),
        path("guide/<slug:slug>/", guide.GuideView.as_view(), name="hub_guide_page"),
    ]


@hooks.register("construct_help_menu")
def the_hubs_guide_in_the_help_menu(request, menu_items):
    """Wagtail's editor guide and release notes describe a CMS; the Hub's guide describes the
    partnership's work."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in {"editor-guide"} and not item.name.startswith("whats-new-in-wagtail")
    ]
    menu_items.insert(
        0,
        MenuItem(
            "The Hub's guide", reverse("hub_guide"), icon_name="help", name="hub-guide", order=0
        ),
    )


@hooks.register("construct_homepage_panels")
def add_what_needs_me(request, panels):
    panels.insert(0, AdminHomePanel())


@hooks.register("insert_global_admin_css")
def hub_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("hub/admin.css"))


# Last, after the apps that add their own counts.
@hooks.register("construct_homepage_summary_items", order=1000)
def no_site_summary(request, summary_items):
    """Counts of pages, images and documents tell no one in a partnership what to do next; the
    "what needs me" panels take their place (and their queries)."""
    summary_items.clear()
