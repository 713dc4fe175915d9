"""A review's evidence pack as a printable page and a PDF.

The PDF is made by xhtml2pdf from the same template, because it installs from PyPI wheels alone
(reportlab underneath) where WeasyPrint needs Pango from the operating system: a fresh machine or
CI image can print packs without system packages."""

from django.template.loader import render_to_string

from hub.pdf import PdfError, pdf_from_template

from .reports import EvidencePack

TEMPLATE = "learning/reports/evidence_pack.html"


class PackRenderError(RuntimeError):
    pass


def _context(request, pack: EvidencePack, for_pdf: bool) -> dict:
    return {
        "pack": pack,
        "review": pack.review,
        "today": pack.today,
        "for_pdf": for_pdf,
        # Document links in a PDF leave the admin, so they must carry the host.
        "base_url": request.build_absolute_uri("/").rstrip("/"),
    }


def render_html(request, pack: EvidencePack) -> str:
    return render_to_string(TEMPLATE, _context(request, pack, for_pdf=False), request=request)


def render_pdf(request, pack: EvidencePack) -> bytes:
    try:
        return pdf_from_template(TEMPLATE, _context(request, pack, for_pdf=True), request=request)
    except PdfError as error:
        raise PackRenderError(
            f"the evidence pack of {pack.review.reference} could not be made"
        ) from error
