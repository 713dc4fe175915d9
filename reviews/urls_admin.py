"""Admin URLs for importing and exporting reviews, mounted by `reviews.import_hooks`."""

from django.urls import path

from .views.imports import ExportReviewsView, ImportFindingsView, ImportReviewsView

app_name = "reviews_transfer"

urlpatterns = [
    path("import/", ImportReviewsView.as_view(), name="import_reviews"),
    path("import-findings/", ImportFindingsView.as_view(), name="import_findings"),
    path("export/", ExportReviewsView.as_view(), name="export_reviews"),
]
