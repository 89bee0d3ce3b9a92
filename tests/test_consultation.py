"""Public consultation (issue 15): the frozen draft, the form, the receipt and its limits."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from consultation.models import ConsultationResponse
from plans.models import Plan, PlanSection, PublishedPlan
from tests.consultation_helpers import form_data, pdf_file, plan_on_consultation

pytestmark = pytest.mark.django_db


def _url(plan: Plan) -> str:
    return f"/planer/{plan.slug}/horing/"


def test_sending_to_consultation_freezes_and_publishes_the_draft(client):
    plan = plan_on_consultation()
    consultation = plan.consultations.get()
    assert consultation.round == 1 and consultation.snapshot["title"] == plan.title
    assert len(consultation.pdf_sha256) == 64
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(consultation.pdf))).pages)
    assert "HØRINGSUTKAST" in text and "Høringsutkast" in text
    published = PublishedPlan.objects.get(plan=plan)
    assert published.is_consultation_draft and published.consultation_id == consultation.pk

    # Changes made afterwards stay private: the public reads the frozen draft.
    PlanSection.objects.filter(plan=plan).update(body="Hemmelig endring etterpå.")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Opprinnelig bakgrunnstekst" in page and "Hemmelig endring" not in page
    assert "På høring til" in page
    assert "Høringsutkast" in client.get("/planer/").content.decode()
    assert client.get(f"/planer/{plan.slug}.json").json()["consultation_draft"] is True
    assert plan.slug in client.get("/sitemap-plans.xml").content.decode()
    assert "Høringsutkast" in client.get(f"/sok/?q={plan.title.split()[0]}").content.decode()
    # Unit pages list measures in force, not a draft's.
    unit = plan.measures.first().responsible_unit
    assert plan.measures.first().title not in client.get(unit.get_absolute_url()).content.decode()
    pdf = client.get(f"/planer/{plan.slug}/pdf/")
    assert pdf["ETag"] == f'"{consultation.pdf_sha256}"'
    assert client.get(f"/planer/{plan.slug}/horing/pdf/").content == bytes(consultation.pdf)


def test_a_response_gets_a_receipt_page_and_a_norwegian_email(client):
    plan = plan_on_consultation()
    page = client.get(_url(plan))
    assert page.status_code == 200 and "Send innspillet" in page.content.decode()
    response = client.post(_url(plan), form_data(attachment=pdf_file()), follow=True)
    stored = ConsultationResponse.objects.get()
    html = response.content.decode()
    assert response.status_code == 200 and stored.reference in html
    assert stored.attachment_sha256 and stored.publication == "pending"
    assert len(mail.outbox) == 1 and stored.reference in mail.outbox[0].body
    assert "Takk for innspillet" in mail.outbox[0].body


def test_a_failed_email_never_loses_the_response(client, monkeypatch, caplog):
    plan = plan_on_consultation()

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("consultation.services.send_mail", broken)
    response = client.post(_url(plan), form_data(), follow=True)
    assert response.status_code == 200
    stored = ConsultationResponse.objects.get()
    assert stored.reference in response.content.decode()
    assert [r for r in caplog.records if stored.reference in r.getMessage()]


def test_after_the_deadline_nothing_is_accepted(client):
    plan = plan_on_consultation()
    consultation = plan.consultations.get()
    type(consultation).objects.filter(pk=consultation.pk).update(
        started_on=date.today() - timedelta(days=40), deadline=date.today() - timedelta(days=1)
    )
    page = client.get(_url(plan)).content.decode()
    assert "Send innspillet" not in page and "Høringsfristen gikk ut" in page
    response = client.post(_url(plan), form_data())
    assert response.status_code == 403
    assert ConsultationResponse.objects.count() == 0


def test_twenty_responses_from_one_address_within_a_minute_are_throttled(client, settings):
    settings.HEIMPLAN_CONSULTATION_RATE_LIMIT = 10
    plan = plan_on_consultation()
    statuses = [
        client.post(_url(plan), form_data(text=f"Innspill {n}")).status_code for n in range(20)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429] * 10
    assert ConsultationResponse.objects.count() == 10
    page = client.post(_url(plan), form_data(text="Teksten min er her")).content.decode()
    assert "For mange innspill" in page and "Teksten min er her" in page
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post(_url(plan), form_data()).status_code == 302


def test_the_throttle_counts_the_visitor_behind_the_proxy(client, settings):
    settings.HEIMPLAN_CONSULTATION_RATE_LIMIT = 1
    settings.HEIMPLAN_TRUSTED_PROXY_COUNT = 1
    plan = plan_on_consultation()
    first = client.post(_url(plan), form_data(), HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = client.post(_url(plan), form_data(), HTTP_X_FORWARDED_FOR="203.0.113.6")
    again = client.post(_url(plan), form_data(), HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert (first.status_code, second.status_code, again.status_code) == (302, 302, 429)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf_file(size=2_000_000), "MB"),
        (lambda: pdf_file(name="innspill.exe"), "PDF"),
        (lambda: pdf_file(name="innspill.docx"), "DOCX"),
    ],
)
def test_a_refused_attachment_says_why_and_keeps_the_text(client, settings, upload, message):
    settings.HEIMPLAN_CONSULTATION_ATTACHMENT_MAX_BYTES = 1_000_000
    plan = plan_on_consultation()
    response = client.post(_url(plan), form_data(text="Min lange tekst", attachment=upload()))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Min lange tekst" in html and message in html
    assert ConsultationResponse.objects.count() == 0


def test_the_honeypot_and_bad_input_are_refused_without_a_500(client):
    plan = plan_on_consultation()
    assert client.post(_url(plan), form_data(website="http://spam")).status_code == 400
    assert client.post(_url(plan), form_data(kind="alien", text="x" * 30_000)).status_code == 400
    assert client.post(_url(plan), {}).status_code == 400
    assert client.get(f"/planer/{plan.slug}/horing/kvittering/?k=forfalsket").status_code == 404
    assert client.get("/planer/finnes-ikke/horing/").status_code == 404
    assert ConsultationResponse.objects.count() == 0


def test_markup_in_a_response_is_inert(client):
    plan = plan_on_consultation()
    client.post(_url(plan), form_data(text="<script>alert(1)</script> **fet**"))
    assert ConsultationResponse.objects.get().text.startswith("<script>")


def test_a_revision_on_consultation_keeps_the_adopted_version_and_offers_the_draft(client):
    from plans.services import (
        plan_register_adoption,
        plan_send_to_consultation,
        plan_start_revision,
    )
    from tests.lifecycle_helpers import plan_with_content

    plan = plan_with_content()
    plan_register_adoption(actor=None, plan=plan, meeting_date=date.today())
    plan_start_revision(actor=None, plan=plan)
    PlanSection.objects.filter(plan=plan, title="Bakgrunn").update(body="Revidert bakgrunnstekst.")
    plan_send_to_consultation(actor=None, plan=plan, deadline=date.today() + timedelta(days=20))
    published = PublishedPlan.objects.get(plan=plan)
    assert published.version_number == 1 and not published.is_consultation_draft
    consultation = plan.consultations.get()
    assert published.consultation_id == consultation.pk
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Opprinnelig bakgrunnstekst" in page and "Revidert bakgrunnstekst" not in page
    assert "På høring til" in page and f"/planer/{plan.slug}/horing/" in page
    web = client.get(f"/planer/{plan.slug}/horing/utkast/").content.decode()
    assert "Revidert bakgrunnstekst" in web and "Teksten på denne siden er høringsutkastet" in web
    assert f'href="/planer/{plan.slug}/horing/utkast/"' in page
    draft = client.get(f"/planer/{plan.slug}/horing/pdf/")
    assert "Revidert bakgrunnstekst" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(draft.content)).pages
    )
    # The stored PDF of version 1 is still the plan's PDF.
    assert client.get(f"/planer/{plan.slug}/pdf/")["ETag"] == f'"{plan.adoptions.get().pdf_sha256}"'
    assert client.post(_url(plan), form_data()).status_code == 302


def test_a_draft_never_sent_out_has_no_consultation_page(client):
    from tests.lifecycle_helpers import plan_with_content

    plan = plan_with_content()
    assert client.get(_url(plan)).status_code == 404
    assert client.post(_url(plan), form_data()).status_code == 404
    assert client.get(f"/planer/{plan.slug}/horing/pdf/").status_code == 404
    assert client.get(f"/planer/{plan.slug}/horing/utkast/").status_code == 404
