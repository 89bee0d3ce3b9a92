"""The record as it really is: lifecycle dates, the adopted document and its references,
and the portal's own PDF labelled as a web version (issue 12, finding 9 and the record)."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from plans.models import Adoption, Plan
from plans.services import plan_register_adoption, plan_send_to_consultation
from tests.lifecycle_helpers import plan_with_content

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _on_consultation(started: date, deadline: date) -> Plan:
    plan = plan_with_content()
    plan_send_to_consultation(
        actor=None, plan=plan, deadline=timezone.localdate() + timedelta(days=42)
    )
    # As if sent on ``started`` with that deadline (the service dates it today).
    Plan.objects.filter(pk=plan.pk).update(
        consultation_started_on=started, consultation_deadline=deadline
    )
    plan.refresh_from_db()
    return plan


def test_sending_to_consultation_records_the_day():
    plan = plan_with_content()
    plan_send_to_consultation(
        actor=None, plan=plan, deadline=timezone.localdate() + timedelta(days=42)
    )
    plan.refresh_from_db()
    assert plan.consultation_started_on == timezone.localdate()


def test_an_adoption_dated_before_the_consultation_is_refused():
    """Finding 9: an adoption dated before the plan went to consultation was accepted."""
    today = timezone.localdate()
    plan = _on_consultation(today - timedelta(days=60), today - timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        plan_register_adoption(actor=None, plan=plan, meeting_date=today - timedelta(days=61))
    assert "meeting_date" in refused.value.error_dict
    assert not Adoption.objects.filter(plan=plan).exists()


def test_an_adoption_before_the_deadline_needs_a_confirmation():
    today = timezone.localdate()
    plan = _on_consultation(today - timedelta(days=30), today + timedelta(days=12))
    with pytest.raises(ValidationError) as refused:
        plan_register_adoption(actor=None, plan=plan, meeting_date=today)
    assert "confirm_before_deadline" in refused.value.error_dict
    adoption = plan_register_adoption(
        actor=None, plan=plan, meeting_date=today, confirm_before_deadline=True
    )
    assert adoption.version_number == 1


def test_an_adoption_after_the_deadline_needs_nothing_more():
    today = timezone.localdate()
    plan = _on_consultation(today - timedelta(days=60), today - timedelta(days=5))
    assert plan_register_adoption(actor=None, plan=plan, meeting_date=today).version_number == 1


def test_the_adopted_document_is_kept_and_the_portal_pdf_is_the_web_version(client):
    plan = plan_with_content()
    adoption = plan_register_adoption(
        actor=None,
        plan=plan,
        meeting_date=timezone.localdate(),
        meeting_case_number="PS 45/23",
        archive_case_number="2023/1065",
        archive_document_number=12,
        record_url="https://einnsyn.no/sak/123",
        adopted_document=SimpleUploadedFile("vedtatt.pdf", PDF_BYTES),
    )
    assert len(adoption.adopted_document_sha256) == 64
    assert adoption.case_numbers_display == "PS 45/23, 2023/1065-12"
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "/versjoner/1/vedtatt-dokument/" in html
    assert "nettversjon" in html.casefold()
    document = client.get(f"/planer/{plan.slug}/versjoner/1/vedtatt-dokument/")
    assert b"".join(document.streaming_content) == PDF_BYTES
    assert document["Content-Disposition"].startswith("attachment;")
    text = PdfReader(io.BytesIO(bytes(adoption.pdf))).pages[0].extract_text()
    assert "Nettversjon" in text
    cover = " ".join(text.split())
    assert "Møtesaksnummer PS 45/23" in cover
    assert "Arkivsaksnummer 2023/1065-12" in cover


def test_a_body_not_stated_is_left_off_the_pdf_cover():
    plan = plan_with_content()
    adoption = plan_register_adoption(
        actor=None,
        plan=plan,
        meeting_date=timezone.localdate(),
        body=Adoption.Body.NOT_STATED,
    )
    cover = " ".join(PdfReader(io.BytesIO(bytes(adoption.pdf))).pages[0].extract_text().split())
    assert "Vedtatt av" not in cover
    assert "Ikke oppgitt" not in cover
    assert "Møtedato" in cover


def test_a_disallowed_adopted_document_is_refused():
    plan = plan_with_content()
    with pytest.raises(ValidationError):
        plan_register_adoption(
            actor=None,
            plan=plan,
            meeting_date=timezone.localdate(),
            adopted_document=SimpleUploadedFile("vedtak.html", b"<html></html>"),
        )
    assert not Adoption.objects.filter(plan=plan).exists()


def test_heims_plans_say_their_pdfs_are_web_versions(heim):
    for adoption in Adoption.objects.all():
        assert adoption.pdf_is_web_version
        text = PdfReader(io.BytesIO(bytes(adoption.pdf))).pages[0].extract_text()
        assert "Nettversjon" in text, adoption
