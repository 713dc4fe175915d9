"""Files are what they say they are: evidence on My actions and documents in Wagtail's admin are
checked by their content, refused at the field when it is not what the name says, and served as
attachments of the checked type with nosniff."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image
from wagtail.documents.models import Document
from wagtail.models import Collection

from partnership.uploads import CONTENT_TYPES
from tests.learning.actions_world import make_action

EVIL_HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("_rels/.rels", "<Relationships/>")
        docx.writestr("word/_rels/document.xml.rels", "<Relationships/>")
        docx.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["reference", "progress"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, kind)
    return buffer.getvalue()


GOOD = {
    "audit.pdf": _pdf,
    "minutes.docx": _docx,
    "tracker.xlsx": _xlsx,
    "chart.png": lambda: _image("PNG"),
    "photo.jpg": lambda: _image("JPEG"),
    "notes.txt": lambda: "Re-audit of 20 records – all met the standard.\n".encode(),
    "survey.csv": lambda: b"question,agreed\nKnew the pathway,18\n",
}

BAD = {
    "evil.pdf": EVIL_HTML,
    "evil.docx": EVIL_HTML,
    "evil.txt": EVIL_HTML,
    "chart.pdf": _image("PNG"),
    "tracker.docx": _xlsx(),
    "program.csv": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def action(world):
    return make_action(world, "WIR-ACT-UPL-1")


def _upload_evidence(client, name, content):
    return client.post(
        "/my-actions/WIR-ACT-UPL-1/evidence/",
        {
            "evidence-kind": "completion",
            "evidence-impact_type": "",
            "evidence-text": "Re-audit of 20 records.",
            # The browser's claimed type is ignored: an attacker chooses it.
            "evidence-document": SimpleUploadedFile(name, content, "application/pdf"),
        },
    )


@pytest.mark.parametrize("name", BAD)
def test_evidence_whose_content_is_not_its_name_is_refused_at_the_field(
    client, people, action, name
):
    client.force_login(people["agencylead"])
    response = _upload_evidence(client, name, BAD[name])
    assert response.status_code == 200
    form = response.context["failed_form"]
    extension = name.rsplit(".", 1)[1]
    assert f"The file’s name ends .{extension} but its content is not" in form.errors["document"][0]
    assert "but its content is not" in response.content.decode()
    assert not action.evidence.exists()
    assert not Document.objects.exists()


def test_the_refusal_names_a_web_page_as_such(client, people, action):
    client.force_login(people["agencylead"])
    form = _upload_evidence(client, "evil.pdf", EVIL_HTML).context["failed_form"]
    assert form.errors["document"] == [
        "The file’s name ends .pdf but its content is not a PDF document (it looks like a web "
        "page): upload the document itself, saved as PDF"
    ]


@pytest.mark.parametrize("name", GOOD)
def test_real_evidence_is_kept_and_served_as_an_attachment_of_its_type(
    client, people, action, name
):
    client.force_login(people["agencylead"])
    content = GOOD[name]()
    assert _upload_evidence(client, name, content).status_code == 302
    document = action.evidence.get().document
    download = client.get(document.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"].split(";")[0] == CONTENT_TYPES[name.rsplit(".", 1)[1]]
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_the_evidence_service_refuses_a_mismatch_for_every_caller(people, action):
    from learning import actions as services

    upload = SimpleUploadedFile("evil.pdf", EVIL_HTML, "application/pdf")
    with pytest.raises(services.ActionStateError, match="content is not a PDF document"):
        services.add_evidence(action, people["agencylead"], "completion", "Done.", None, upload)
    assert not Document.objects.exists()


def _admin_add(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Chronology",
            "file": SimpleUploadedFile(name, content, "application/pdf"),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def test_the_admin_document_form_refuses_html_named_pdf_at_the_file_field(client, people):
    client.force_login(people["admin"])
    response = _admin_add(client, "evil.pdf", EVIL_HTML)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and "content is not a PDF document (it looks like a web page)" in errors[0]
    assert not Document.objects.exists()


def test_the_admin_document_form_keeps_a_real_pdf(client, people):
    client.force_login(people["admin"])
    assert _admin_add(client, "chronology.pdf", _pdf()).status_code == 302
    document = Document.objects.get()
    download = client.get(document.url)
    assert download["Content-Type"] == "application/pdf"
    # Not inline, as Wagtail serves PDFs by default: an attachment, never opened in the Hub.
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_the_multiple_uploader_refuses_html_named_pdf(client, people):
    client.force_login(people["admin"])
    response = client.post(
        "/admin/documents/multiple/add/",
        {
            "files[]": SimpleUploadedFile("evil.pdf", EVIL_HTML, "application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    body = response.json()
    assert body["success"] is False
    assert "content is not a PDF document" in body["error_message"]
    assert not Document.objects.exists()


def test_a_document_stored_before_checks_is_served_only_as_bytes_to_save(client, people):
    """A file kept before uploads were checked is never sent as the type its name claims."""
    document = Document.objects.create(
        title="Old upload",
        file=ContentFile(EVIL_HTML, name="old.pdf"),
        collection=Collection.get_first_root_node(),
    )
    client.force_login(people["admin"])
    download = client.get(document.url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
