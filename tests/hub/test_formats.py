"""Dates and links as the Hub writes them in emails, pages and calendar files."""

from datetime import date

import pytest

from hub.formats import long_date, site_host, site_url
from hub.pdf import PdfError, pdf_from_template


def test_dates_are_written_as_people_in_england_write_them():
    assert long_date(date(2026, 3, 5)) == "5 March 2026"
    assert long_date(date(2026, 3, 15), weekday=True) == "Sunday 15 March 2026"


def test_links_are_absolute_from_the_configured_address(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://hub.example.org/"
    assert site_url("/my-actions/") == "https://hub.example.org/my-actions/"
    assert site_url() == "https://hub.example.org"
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    assert site_host() == "127.0.0.1:8000"


def test_a_pdf_is_made_from_a_template(tmp_path, settings):
    (tmp_path / "doc.html").write_text("<html><body><p>{{ words }}</p></body></html>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    assert pdf_from_template("doc.html", {"words": "Seven-minute briefing"}).startswith(b"%PDF")


def test_a_template_that_cannot_be_made_into_a_pdf_says_so(monkeypatch):
    from xhtml2pdf import pisa

    class Failed:
        err = 1

    monkeypatch.setattr(pisa, "CreatePDF", lambda *args, **kwargs: Failed())
    with pytest.raises(PdfError):
        pdf_from_template("learning/reports/evidence_pack.html", {})
