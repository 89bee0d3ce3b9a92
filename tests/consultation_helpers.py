"""Helpers shared by the consultation tests (issue 15)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import Plan
from plans.services import plan_send_to_consultation
from tests.lifecycle_helpers import plan_with_content

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plan_on_consultation(days: int = 30, **kwargs) -> Plan:
    """A draft with content, sent out for consultation until ``days`` from today."""
    plan = plan_with_content(**kwargs)
    plan_send_to_consultation(actor=None, plan=plan, deadline=date.today() + timedelta(days=days))
    plan.refresh_from_db()
    return plan


def form_data(**overrides) -> dict:
    data = {
        "kind": "person",
        "name": "Kari Nordmann",
        "email": "kari@example.org",
        "text": "Planen bør nevne skolehelsetjenesten.",
        "website": "",
    }
    data.update(overrides)
    return data


def pdf_file(name: str = "innspill.pdf", size: int | None = None) -> SimpleUploadedFile:
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * (size - len(PDF_BYTES))
    return SimpleUploadedFile(name, content, content_type="application/pdf")
