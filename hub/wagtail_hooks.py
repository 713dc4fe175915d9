"""The core's admin pages: each import job's page (`hub.importing.views`)."""

from django.urls import include, path
from wagtail import hooks

from hub.importing import urls


@hooks.register("register_admin_urls")
def register_import_job_urls():
    return [path("imports/", include(urls, namespace="hub_imports"))]
