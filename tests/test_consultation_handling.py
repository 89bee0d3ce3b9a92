"""Handling consultation responses (issue 15): publish or withhold, assess, link, summarise,
and the privacy rules: withheld responses and e-mail addresses never public, erasure,
retention."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from consultation.models import ConsultationResponse
from consultation.services import contact_details_purge, response_erase, response_update
from plans.models import Consultation, Plan
from plans.services import plan_register_adoption
from tests.consultation_helpers import form_data, plan_on_consultation
from tests.lifecycle_helpers import editor_of

pytestmark = pytest.mark.django_db

WITHHELD = "Tilbakeholdtinnspillzq"
PUBLISHED = "Publisertinnspillzq"


def _respond(client, plan, **overrides):
    assert client.post(f"/planer/{plan.slug}/horing/", form_data(**overrides)).status_code == 302
    return ConsultationResponse.objects.latest("pk")


def _close(plan):
    """Move the consultation into the past: it ran for 39 days and closed yesterday."""
    started, deadline = date.today() - timedelta(days=40), date.today() - timedelta(days=1)
    Consultation.objects.filter(plan=plan).update(started_on=started, deadline=deadline)
    Plan.objects.filter(pk=plan.pk).update(
        consultation_started_on=started, consultation_deadline=deadline
    )
    plan.refresh_from_db()


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def handled(client):
    """A plan whose consultation closed with one published and one withheld response."""
    plan = plan_on_consultation()
    editor = editor_of(plan)
    measure = plan.measures.first()
    published = _respond(client, plan, name="Heim eldreråd", kind="council", text=PUBLISHED)
    withheld = _respond(client, plan, name="Ola Privat", text=WITHHELD, email="ola@example.org")
    editors = Client()
    editors.force_login(editor)
    url = f"/arbeid/planer/{plan.slug}/horingsinnspill/{published.pk}/"
    assert editors.get(url).status_code == 200
    saved = editors.post(
        url,
        {
            "loaded_version": published.edit_version,
            "publication": "published",
            "assessment": "Tatt til følge i tiltaket.",
            "measures": [measure.pk],
        },
    )
    assert saved.status_code == 302, saved.content.decode()
    response_update(
        actor=editor,
        consultation_response=withheld,
        data={"publication": "withheld", "withheld_reason": "Opplysninger om tredjepart"},
    )
    _close(plan)
    return {"plan": plan, "editor": editor, "editors": editors, "measure": measure}


def test_withholding_needs_a_reason(client):
    plan = plan_on_consultation()
    response = _respond(client, plan)
    editors = Client()
    editors.force_login(editor_of(plan))
    page = editors.post(
        f"/arbeid/planer/{plan.slug}/horingsinnspill/{response.pk}/",
        {"loaded_version": response.edit_version, "publication": "withheld"},
    )
    assert page.status_code == 400 and "hvorfor" in page.content.decode()


def test_a_published_response_becomes_participation_input_linked_to_the_measure(handled):
    response = ConsultationResponse.objects.get(text=PUBLISHED)
    participation = response.participation_input
    assert participation is not None and participation.plan == handled["plan"]
    assert list(participation.measures.all()) == [handled["measure"]]
    listing = handled["editors"].get(f"/arbeid/planer/{handled['plan'].slug}/horingsinnspill/")
    assert response.reference in listing.content.decode()


def test_after_the_deadline_the_public_sees_published_responses_only(client, handled):
    plan = handled["plan"]
    page = client.get(f"/planer/{plan.slug}/horing/").content.decode()
    assert PUBLISHED in page and "Tatt til følge" in page and handled["measure"].title in page
    assert WITHHELD not in page and "ola@example.org" not in page and "Ola Privat" not in page


def test_withheld_responses_and_emails_never_reach_a_public_channel(client, handled):
    plan = handled["plan"]
    plan_register_adoption(actor=None, plan=plan, meeting_date=date.today())
    urls = [
        plan.get_absolute_url(),
        f"/planer/{plan.slug}/horing/",
        f"/planer/{plan.slug}.json",
        f"/planer/{plan.slug}/tiltak.csv",
        f"/sok/?q={WITHHELD[:8]}",
        f"/sok/?q={PUBLISHED[:8]}",
        "/planer/",
        "/sitemap.xml",
        "/sitemap-plans.xml",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert WITHHELD not in body and "ola@example.org" not in body, url
    pdf = _pdf_text(client.get(f"/planer/{plan.slug}/pdf/").content)
    assert WITHHELD not in pdf and "ola@example.org" not in pdf
    assert PUBLISHED in pdf  # the summary is there, with the published one


def test_the_adopted_version_carries_the_summary_on_page_and_pdf(client, handled):
    plan = handled["plan"]
    plan_register_adoption(actor=None, plan=plan, meeting_date=date.today())
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "consultation-summary" in page
    assert "Råd (eldrerådet" in page and "Privatperson: 1" in page
    assert PUBLISHED in page and "Tatt til følge i tiltaket." in page
    assert handled["measure"].title in page
    pdf = _pdf_text(client.get(f"/planer/{plan.slug}/pdf/").content)
    assert "Tatt til følge i tiltaket." in pdf


def test_erasing_a_respondent_on_request(handled):
    withheld = ConsultationResponse.objects.get(text=WITHHELD)
    editors = handled["editors"]
    url = f"/arbeid/planer/{handled['plan'].slug}/horingsinnspill/{withheld.pk}/slett/"
    assert editors.post(url, {}).status_code == 302  # not confirmed: nothing happens
    withheld.refresh_from_db()
    assert withheld.email
    assert editors.post(url, {"confirm": "yes"}).status_code == 302
    withheld.refresh_from_db()
    assert (withheld.name, withheld.email, withheld.text) == ("", "", "")
    assert withheld.contact_erased_at is not None and withheld.publication == "withheld"


def test_contact_details_are_gone_after_the_retention_period(handled, settings):
    settings.HEIMPLAN_CONSULTATION_CONTACT_RETENTION_DAYS = 30
    plan = handled["plan"]
    assert ConsultationResponse.objects.exclude(email="").count() == 2
    assert contact_details_purge() == 0  # not adopted yet
    plan_register_adoption(actor=None, plan=plan, meeting_date=date.today())
    assert contact_details_purge(today=date.today() + timedelta(days=29)) == 0
    out = io.StringIO()
    call_command("purge_consultation_contacts", "--days=0", stdout=out)
    assert "2" in out.getvalue()
    assert not ConsultationResponse.objects.exclude(email="").exists()
    assert ConsultationResponse.objects.count() == 2  # the responses themselves are kept


def test_erase_service_keeps_the_count(handled):
    response = ConsultationResponse.objects.get(text=PUBLISHED)
    response_erase(actor=handled["editor"], consultation_response=response)
    assert ConsultationResponse.objects.count() == 2


def test_councils_and_partners_of_the_group_are_invited_once(client):
    from django.core import mail

    from organisation.models import Unit
    from tests.factories import MembershipFactory, UnitFactory, UserFactory

    plan = plan_on_consultation()
    council = UnitFactory(name="Heim eldreråd", slug="heim-eldrerad", kind=Unit.Kind.COUNCIL)
    council.contacts.add(UserFactory(username="leder-eldrerad", email="eldre@example.org"))
    MembershipFactory(group=plan.process_group, unit=council, role_title="Leder eldrerådet")
    silent = UnitFactory(name="Heim ungdomsråd", slug="heim-ungdomsrad", kind=Unit.Kind.COUNCIL)
    MembershipFactory(group=plan.process_group, unit=silent, role_title="Ungdomsrådet")
    editors = Client()
    editors.force_login(editor_of(plan))
    url = f"/arbeid/planer/{plan.slug}/horingsinnspill/invitasjoner/"
    page = editors.get(url).content.decode()
    assert "Heim eldreråd" in page and "Heim ungdomsråd" in page
    assert editors.post(url, {"unit": [council.pk, silent.pk]}).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["eldre@example.org"]
    assert f"/planer/{plan.slug}/horing/" in mail.outbox[0].body
    assert "kommuneloven § 5-12" in mail.outbox[0].body
    editors.post(url, {"unit": [council.pk]})
    assert len(mail.outbox) == 1  # never twice for the same round
    assert client.get(url).status_code == 302  # anonymous: sent to sign in
