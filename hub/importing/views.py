"""The admin's upload page for any import, and the page of each import job.

An app offers an upload page by subclassing `UploadView` with its kind (see
`reviews/views/imports.py`); the job page is the core's, one for every kind."""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.models import ImportJob

from . import MAX_UPLOAD_BYTES
from .jobs import start_import
from .registry import import_kind


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
    return TemplateResponse(request, "hub/forbidden.html", {"message": message}, status=403)


class UploadView(WagtailAdminTemplateMixin, View):
    """The upload form. A valid file becomes an import job, run by a Celery task; the browser
    goes to the job's page, which shows its progress and then its result."""

    template_name = "hub/import.html"
    header_icon = "upload"
    kind = ""
    columns: tuple = ()
    optional_columns: tuple = ()
    # Who may not import is told so in these words.
    refusal = "You may not import these records."

    def dispatch(self, request, *args, **kwargs):
        self.import_kind = import_kind(self.kind)
        if not self.import_kind.may_import(request.user):
            return forbidden(request, self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Import {self.import_kind.noun}s"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=self.columns,
            optional_columns=self.optional_columns,
            action_url=reverse(self.import_kind.upload_url_name),
            noun=self.import_kind.noun,
            **kwargs,
        )

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=UploadForm()))

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        job = start_import(request.user, self.kind, form.cleaned_data["file"])
        return redirect("hub_imports:job", job.pk)


class ImportJobView(WagtailAdminTemplateMixin, View):
    """How far an import has got and, once it ends, what it did. Only the person who started
    it and system administrators find it; for anyone else it does not exist (404)."""

    template_name = "hub/import_job.html"
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

    def upload_url(self) -> str:
        return reverse(import_kind(self.job.kind).upload_url_name)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.upload_url(), "label": self.get_page_title()},
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
                again_url=self.upload_url(),
            )
        )
