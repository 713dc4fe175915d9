"""Wagtail's document form, checking what a file is as well as what it is called.

Named by WAGTAILDOCS_DOCUMENT_FORM_BASE, it is the base of every form Wagtail builds for a
document file: the document library's add and edit views, the multiple uploader, the chooser's
upload tab and the admin API. A custom document model would do the same at the cost of a
migration of every document the Hub holds."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from .uploads import ContentMismatch, check_content


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        # An edit that keeps the stored file hands back that file, checked when it came in.
        if isinstance(file, UploadedFile):
            try:
                check_content(file)
            except ContentMismatch as error:
                raise ValidationError(str(error), code="content_mismatch") from error
        return file
