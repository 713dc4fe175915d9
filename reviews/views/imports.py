"""Admin pages to bring a tracker in and take the reviews out; the rules live in
`reviews.importing` and `reviews.exporting`, these views only ask and show."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
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
from reviews.import_jobs import start_import
from reviews.importing import (
    FINDING_COLUMNS,
    MAX_UPLOAD_BYTES,
    REVIEW_COLUMNS,
    REVIEW_OPTIONAL_COLUMNS,
    may_import_reviews,
)
from reviews.models import ImportJob


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
    """The upload form. A valid file becomes an import job, run by a Celery task; the browser
    goes to the job's page, which shows its progress and then its result."""

    template_name = "reviews/transfer/import.html"
    header_icon = "upload"
    kind = ""
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
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        job = start_import(request.user, self.kind, form.cleaned_data["file"])
        return redirect("reviews_transfer:import_job", job.pk)


class ImportReviewsView(ImportView):
    kind = ImportJob.Kind.REVIEWS
    noun = "review"
    columns = REVIEW_COLUMNS
    optional_columns = REVIEW_OPTIONAL_COLUMNS
    url_name = "reviews_transfer:import_reviews"


class ImportFindingsView(ImportView):
    kind = ImportJob.Kind.FINDINGS
    noun = "finding"
    columns = FINDING_COLUMNS
    url_name = "reviews_transfer:import_findings"


class ImportJobView(WagtailAdminTemplateMixin, View):
    """How far an import has got and, once it ends, what it did. Only the person who started
    it and system administrators find it; for anyone else it does not exist (404)."""

    template_name = "reviews/transfer/import_job.html"
    header_icon = "upload"
    # Seconds between reloads while the job runs: a meta refresh, as the CSP allows no inline
    # script and the page needs none.
    refresh_seconds = 2

    def dispatch(self, request, *args, **kwargs):
        self.job = get_object_or_404(
            ImportJob.objects.visible_to(request.user).select_related("user"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Import {self.job.noun}s"

    def get_page_subtitle(self):
        return self.job.file_name

    def get_breadcrumbs_items(self):
        url = reverse(
            "reviews_transfer:import_reviews"
            if self.job.kind == ImportJob.Kind.REVIEWS
            else "reviews_transfer:import_findings"
        )
        return [
            *self.breadcrumbs_items,
            {"url": url, "label": self.get_page_title()},
            {"url": "", "label": self.job.file_name},
        ]

    def get(self, request, pk):
        stage, done, total = self.job.progress()
        return self.render_to_response(
            self.get_context_data(
                job=self.job,
                stage=stage,
                done=done,
                total=total,
                refresh_seconds=None if self.job.finished else self.refresh_seconds,
                again_url=self.get_breadcrumbs_items()[-2]["url"],
            )
        )


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
