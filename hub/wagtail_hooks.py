"""The core's admin and serving hooks: each import job's page (`hub.importing.views`), and
marking pages Wagtail serves as candidates for the anonymous page cache."""

from django.urls import include, path
from wagtail import hooks

from hub.importing import urls

from .page_cache import mark_cacheable


@hooks.register("before_serve_page")
def allow_anonymous_page_cache(page, request, serve_args, serve_kwargs):
    """Only responses that went through Wagtail's page serving may be cached for visitors."""
    mark_cacheable(page, request)


@hooks.register("register_admin_urls")
def register_import_job_urls():
    return [path("imports/", include(urls, namespace="hub_imports"))]
