"""The actions import as an admin upload: its kind for the core's import jobs, its upload page
and its menu item (under Reports' neighbour, "Import and export" is the reviews app's).

Registered by importing it from `LearningConfig.ready()`."""

from django.urls import path, reverse
from wagtail import hooks

from hub.admin_menu import MenuItemFor
from hub.importing import ImportKind, register
from hub.importing.views import UploadView

from .imports import COLUMNS, ActionsImport, may_import_actions

register(
    ImportKind(
        "actions",
        "Actions",
        ActionsImport,
        may_import_actions,
        upload_url_name="learning_import_actions",
    )
)


class ImportActionsView(UploadView):
    kind = "actions"
    columns = tuple(COLUMNS)
    refusal = "Only quality assurance and partnership managers import actions."


@hooks.register("register_admin_urls")
def register_import_actions_url():
    return [
        path("actions/import/", ImportActionsView.as_view(), name="learning_import_actions"),
    ]


@hooks.register("register_admin_menu_item")
def register_import_actions_menu():
    return MenuItemFor(
        "Import actions",
        reverse("learning_import_actions"),
        icon_name="upload",
        order=320,
        shown_to=may_import_actions,
    )
