"""Uploaded files: only documents and images of known kinds, checked by content, never served inline.

A file's name can say anything, so each accepted kind is recognised by its first bytes
(and, for the zip-based office formats, by what the zip holds). Every file is served
as a download with the type that kind has, so an uploaded page or SVG can never run
in the site's origin.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
DOCX = FileKind(
    "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
ODT = FileKind("OpenDocument-tekst (ODT)", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileKind(
    "OpenDocument-regneark (ODS)", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)
)
PNG = FileKind("PNG", "image/png", (".png",))
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"))

ATTACHMENT_KINDS = (PDF, DOCX, ODT, XLSX, ODS, PNG, JPEG)
DOCUMENT_KINDS = (PDF, DOCX, ODT)

_OPEN_DOCUMENT_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}


def _kind_by_content(head: bytes, file) -> FileKind | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist()[:2000])
                if "mimetype" in names:
                    mimetype = archive.read("mimetype")[:100].strip()
                    return _OPEN_DOCUMENT_MIMETYPES.get(mimetype)
                if "[Content_Types].xml" in names:
                    if "word/document.xml" in names:
                        return DOCX
                    if "xl/workbook.xml" in names:
                        return XLSX
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
            return None
    return None


def kind_of_name(name: str, kinds=ATTACHMENT_KINDS) -> FileKind | None:
    suffix = PurePath(name or "").suffix.lower()
    return next((kind for kind in kinds if suffix in kind.extensions), None)


def validate_upload(file, *, kinds=ATTACHMENT_KINDS) -> FileKind:
    """Refuse a file that is too large, or not one of ``kinds`` by name AND content.

    Returns the kind. Messages say what is accepted, so the person can act on them.
    """
    limit = settings.HEIMPLAN_UPLOAD_MAX_BYTES
    accepted = ", ".join(kind.label for kind in kinds)
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(limit)s MB is accepted.")
            % {"size": f"{file.size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:.0f}"},
            code="file_too_large",
        )
    by_name = kind_of_name(getattr(file, "name", ""), kinds)
    if by_name is None:
        raise ValidationError(
            _("Only these kinds of file are accepted: %(kinds)s.") % {"kinds": accepted},
            code="file_kind",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(16)
        by_content = _kind_by_content(head, file)
    finally:
        file.seek(position)
    if by_content != by_name:
        raise ValidationError(
            _("The file's content is not %(kind)s, as its name says. Accepted: %(kinds)s.")
            % {"kind": by_name.label, "kinds": accepted},
            code="file_content",
        )
    return by_name


def validate_attachment(file) -> None:
    """Model field validator: documents, spreadsheets and images."""
    validate_upload(file, kinds=ATTACHMENT_KINDS)


def validate_document(file) -> None:
    """Model field validator: a document as councils adopt them (PDF, DOCX, ODT)."""
    validate_upload(file, kinds=DOCUMENT_KINDS)


def sha256_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def download_response(field_file, *, filename: str) -> FileResponse:
    """A stored file as a download of its own kind's type; never rendered by the browser."""
    kind = kind_of_name(field_file.name)
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
