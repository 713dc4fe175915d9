"""Admin pages to bring a tracker in and take the reviews out; the rules live in
`reviews.imports` and `reviews.exporting`, these views only ask and show. An upload becomes an
import job, whose page is the core's (`hub.importing.views`)."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.importing.views import UploadView, forbidden
from reviews.exporting import (
    CONTENT_TYPES,
    FORMATS,
    export_filename,
    export_reviews,
    may_export_reviews,
)
from reviews.imports import FINDING_COLUMNS, REVIEW_COLUMNS, REVIEW_OPTIONAL_COLUMNS


class ImportReviewsView(UploadView):
    kind = "reviews"
    columns = REVIEW_COLUMNS
    optional_columns = REVIEW_OPTIONAL_COLUMNS
    refusal = "Only partnership managers and reviewers import reviews."


class ImportFindingsView(UploadView):
    kind = "findings"
    columns = FINDING_COLUMNS
    refusal = "Only partnership managers and reviewers import findings."


class ExportReviewsView(WagtailAdminTemplateMixin, View):
    """The page offers CSV and XLSX; `?format=` downloads the file, with what the user may see."""

    template_name = "reviews/transfer/export.html"
    page_title = "Export reviews"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not may_export_reviews(request.user):
            return forbidden(request, "You may not export reviews.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request):
        file_format = request.GET.get("format")
        if file_format not in FORMATS:
            url = reverse("reviews_transfer:export_reviews")
            links = [(f.upper(), f"{url}?format={f}") for f in FORMATS]
            return self.render_to_response(self.get_context_data(links=links))
        content, _export = export_reviews(request.user, file_format)
        response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
        response["Content-Disposition"] = f'attachment; filename="{export_filename(file_format)}"'
        response["Cache-Control"] = "private, no-store"
        return response
