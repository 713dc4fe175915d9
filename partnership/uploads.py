"""What an uploaded document really is: read from its content, never taken from its name.

A name is whatever the uploader typed: a web page saved as `evil.pdf` would be kept as a PDF and
opened by a browser as the page it is, in the Hub's origin. So every document the Hub keeps
(evidence on My actions, Wagtail's document forms in the admin, which hold review documents and
evidence files alike) passes `check_content` first, and is served as the type its extension maps
to in `CONTENT_TYPES`, which its content was checked to be.

`filetype` (pure Python, already a Wagtail dependency) reads the signatures; libmagic would need
a system library that a server may not have. Office Open XML files are zips that `filetype`
recognises only by the order of their first entries, so their main part is looked up in the zip
directory instead."""

import zipfile

import filetype

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Served with exactly these types (WAGTAILDOCS_CONTENT_TYPES), so what a browser is told is what
# the content was checked to be, not what Python's mimetypes guesses from a name.
CONTENT_TYPES = {
    "csv": "text/csv",
    "doc": "application/msword",
    "docx": _DOCX,
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "png": "image/png",
    "pptx": _PPTX,
    "rtf": "application/rtf",
    "txt": "text/plain",
    "xlsx": _XLSX,
}

LABELS = {
    "csv": "a CSV file",
    "doc": "a Word 97-2003 document",
    "docx": "a Word document",
    "jpeg": "a JPEG image",
    "jpg": "a JPEG image",
    "odt": "an OpenDocument text",
    "pdf": "a PDF document",
    "png": "a PNG image",
    "pptx": "a PowerPoint presentation",
    "rtf": "an RTF document",
    "txt": "a text file",
    "xlsx": "an Excel workbook",
}

# The part every Word, Excel or PowerPoint file of that kind holds.
_OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT = {"csv", "txt"}
# Text that a browser would render as a page or run as a script, whatever it is called.
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")
_HEAD_BYTES = 8192


class ContentMismatch(ValueError):
    """The content is not what the name says; the message is for the person uploading."""


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_content(file, name: str | None = None) -> str:
    """The served content type of `file` (an open binary file, read from and rewound), or
    `ContentMismatch` when its content is not the kind of file its name (or `name`) says."""
    extension = extension_of(name or file.name)
    expected = CONTENT_TYPES.get(extension)
    if expected is None:
        raise ContentMismatch(f"Files ending .{extension} are not accepted")
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    try:
        if _matches(extension, head, file):
            return expected
    finally:
        file.seek(0)
    raise ContentMismatch(
        f"The file’s name ends .{extension} but its content is not {LABELS[extension]}"
        f" ({_describe(head)}): upload the document itself, saved as {extension.upper()}"
    )


def _matches(extension: str, head: bytes, file) -> bool:
    if extension in _TEXT:
        return filetype.guess(head) is None and _is_plain_text(head)
    if extension in _OOXML_MAIN_PART:
        return head.startswith(b"PK\x03\x04") and _zip_holds(file, _OOXML_MAIN_PART[extension])
    if extension == "doc":
        return head.startswith(_OLE)
    kind = filetype.guess(head)
    return kind is not None and kind.mime == CONTENT_TYPES[extension]


def _zip_holds(file, part: str) -> bool:
    try:
        names = zipfile.ZipFile(file).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and part in names


def _is_plain_text(head: bytes) -> bool:
    """No control characters but tabs and line breaks, and not markup. The encoding is not
    asked: Excel saves CSV in UTF-8 or in a code page, and both are text."""
    if any(byte < 0x20 and byte not in b"\t\n\r\f" for byte in head):
        return False
    return not _looks_like_markup(head)


def _looks_like_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    return start.startswith(_MARKUP)


def _describe(head: bytes) -> str:
    if _looks_like_markup(head):
        return "it looks like a web page"
    kind = filetype.guess(head)
    if kind is not None:
        return f"it looks like a {kind.extension.upper()} file"
    if not head:
        return "it is empty"
    return "its kind is not recognised"
