"""Admin pages to bring a tracker in and take the reviews out; the rules live in
`reviews.importing` and `reviews.exporting`, these views only ask and show."""

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from reviews.exporting import (
    CONTENT_TYPES,
    FORMATS,
    export_filename,
    export_reviews,
    may_export_reviews,
)
from reviews.importing import (
    FINDING_COLUMNS,
    MAX_UPLOAD_BYTES,
    REVIEW_COLUMNS,
    REVIEW_OPTIONAL_COLUMNS,
    import_findings,
    import_reviews,
    may_import_reviews,
)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tracker file",
        help_text="A CSV file saved as UTF-8, or an Excel workbook (.xlsx); the first row names "
        "the columns.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split it."
            )
        return upload


def forbidden(request, message):
    """A plain 403: Wagtail's own PermissionDenied handling would redirect to the dashboard,
    which tells a script or a test nothing."""
    return TemplateResponse(
        request, "reviews/transfer/forbidden.html", {"message": message}, status=403
    )


class ImportView(WagtailAdminTemplateMixin, View):
    template_name = "reviews/transfer/import.html"
    header_icon = "upload"
    importer = None
    noun = ""
    columns: tuple = ()
    optional_columns: tuple = ()
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not may_import_reviews(request.user):
            return forbidden(
                request, f"Only partnership managers and reviewers import {self.noun}s."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Import {self.noun}s"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=self.columns,
            optional_columns=self.optional_columns,
            action_url=reverse(self.url_name),
            noun=self.noun,
            **kwargs,
        )

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=UploadForm()))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = type(self).importer(upload, name=upload.name, user=request.user)
            if result.ok:
                form = UploadForm()
        return self.render_to_response(self.get_context_data(form=form, result=result))


class ImportReviewsView(ImportView):
    importer = staticmethod(import_reviews)
    noun = "review"
    columns = REVIEW_COLUMNS
    optional_columns = REVIEW_OPTIONAL_COLUMNS
    url_name = "reviews_transfer:import_reviews"


class ImportFindingsView(ImportView):
    importer = staticmethod(import_findings)
    noun = "finding"
    columns = FINDING_COLUMNS
    url_name = "reviews_transfer:import_findings"


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
