"""One way to make a PDF: a Django template rendered to HTML, then to A4 with xhtml2pdf, which
needs no system packages. The briefing, the evidence pack and the training certificate use it."""

from io import BytesIO

from django.template.loader import render_to_string


class PdfError(Exception):
    """xhtml2pdf could not make the document; the caller says which document it was."""


def pdf_from_template(template: str, context: dict, request=None) -> bytes:
    from xhtml2pdf import pisa  # heavy: loaded on the first PDF, not at start-up

    html = render_to_string(template, context, request=request)
    output = BytesIO()
    if pisa.CreatePDF(html, dest=output, encoding="utf-8").err:
        raise PdfError(template)
    return output.getvalue()
