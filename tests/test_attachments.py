"""Attachments: known kinds checked by content, a size limit, always served as downloads,
and only the ones the published version lists reach the public (issue 12, finding 8)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import PlanAttachment
from plans.services import plan_register_adoption, plan_start_revision
from tests.lifecycle_helpers import editor_of, plan_with_content

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def attach(plan, name, content, title="Vedlegg"):
    attachment = PlanAttachment(plan=plan, title=title, file=SimpleUploadedFile(name, content))
    attachment.full_clean()
    attachment.save()
    return attachment


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("side.html", b"<html><script>alert(1)</script></html>"),  # the stored .html of finding 8
        ("bilde.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),  # a page named .pdf
        ("plan.docx", PDF_BYTES),  # a PDF named .docx
        ("plan.docx", b"PK\x03\x04not really a zip"),
        ("plan.exe", b"MZ\x90\x00"),
        ("uten-endelse", PDF_BYTES),
    ],
)
def test_files_that_are_not_an_accepted_kind_by_name_and_content_are_refused(name, content):
    plan = plan_with_content()
    with pytest.raises(ValidationError) as refused:
        attach(plan, name, content)
    assert "file" in refused.value.error_dict
    assert not PlanAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", PDF_BYTES),
        ("plan.docx", _docx()),
        ("plan.odt", _odt()),
        ("kart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    ],
)
def test_accepted_kinds_are_stored_with_their_checksum(name, content):
    attachment = attach(plan_with_content(), name, content)
    assert len(attachment.sha256) == 64


def test_a_file_over_the_limit_is_refused_with_the_numbers(settings):
    settings.HEIMPLAN_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        attach(plan_with_content(), "stor.pdf", PDF_BYTES + b"0" * 2000)
    assert "MB" in " ".join(refused.value.messages)


def test_attachments_are_served_as_downloads_of_their_own_type(client):
    plan = plan_with_content()
    attachment = attach(plan, "plan.pdf", PDF_BYTES, title="Kartlegging")
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    html = client.get(plan.get_absolute_url()).content.decode()
    url = f"/planer/{plan.slug}/vedlegg/{attachment.pk}/"
    assert url in html and "Kartlegging" in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_only_attachments_the_published_version_lists_reach_the_public(client):
    draft = plan_with_content()
    hidden = attach(draft, "utkast.pdf", PDF_BYTES)
    assert client.get(f"/planer/{draft.slug}/vedlegg/{hidden.pk}/").status_code == 404
    editor = editor_of(draft)
    client.force_login(editor)
    assert client.get(f"/planer/{draft.slug}/vedlegg/{hidden.pk}/").status_code == 200
    client.logout()

    plan_register_adoption(actor=None, plan=draft, meeting_date=draft.created_at.date())
    plan_start_revision(actor=None, plan=draft)
    added = attach(draft, "ny.pdf", PDF_BYTES)
    assert client.get(f"/planer/{draft.slug}/vedlegg/{hidden.pk}/").status_code == 200
    assert client.get(f"/planer/{draft.slug}/vedlegg/{added.pk}/").status_code == 404
    # Replaced bytes are not the ones the adopted version listed.
    PlanAttachment.objects.filter(pk=hidden.pk).update(sha256="0" * 64)
    assert client.get(f"/planer/{draft.slug}/vedlegg/{hidden.pk}/").status_code == 404


def test_uploaded_files_are_never_served_from_a_media_url(client):
    attachment = attach(plan_with_content(), "plan.pdf", PDF_BYTES)
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
