"""Admin menu and URLs for importing and exporting reviews, and the import kinds the core's
pipeline runs as jobs (`hub.importing.register`).

Kept apart from `reviews/wagtail_hooks.py`, which the review admin owns; `ReviewsConfig.ready`
imports this module so that its hooks are registered before Wagtail reads them."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from hub.admin_menu import MenuItemFor
from hub.importing import ImportKind, register

from . import urls_admin
from .exporting import may_export_reviews
from .imports import FindingsImport, ReviewsImport, may_import_reviews

register(
    ImportKind(
        "reviews",
        "Reviews",
        ReviewsImport,
        may_import_reviews,
        upload_url_name="reviews_transfer:import_reviews",
    )
)
register(
    ImportKind(
        "findings",
        "Findings",
        FindingsImport,
        may_import_reviews,
        upload_url_name="reviews_transfer:import_findings",
    )
)


@hooks.register("register_admin_urls")
def register_transfer_urls():
    return [path("reviews/transfer/", include(urls_admin, namespace="reviews_transfer"))]


@hooks.register("register_admin_menu_item")
def register_transfer_menu():
    menu = Menu(
        items=[
            MenuItemFor(
                "Import reviews",
                reverse("reviews_transfer:import_reviews"),
                icon_name="upload",
                order=100,
                shown_to=may_import_reviews,
            ),
            MenuItemFor(
                "Import findings",
                reverse("reviews_transfer:import_findings"),
                icon_name="upload",
                order=200,
                shown_to=may_import_reviews,
            ),
            MenuItemFor(
                "Export reviews (CSV / XLSX)",
                reverse("reviews_transfer:export_reviews"),
                icon_name="download",
                order=300,
                shown_to=may_export_reviews,
            ),
        ]
    )
    return SubmenuMenuItem(
        "Import and export", menu, name="reviews-transfer", icon_name="table", order=310
    )
