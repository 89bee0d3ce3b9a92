"""Each lifecycle move and each refused move; the adopted version never changes."""

import hashlib
import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.publishing import public_content_version
from measures.services import measure_report_status
from organisation.models import Unit
from plans import pdf, services
from plans.models import Adoption, Plan, PlanSection
from tests.factories import PlanFactory
from tests.lifecycle_helpers import plan_with_content

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def adopt(plan, **kwargs):
    kwargs.setdefault("meeting_date", TODAY)
    # These plans are adopted while their consultation runs (tests/test_adoption_record.py
    # covers the confirmation that needs).
    kwargs.setdefault("confirm_before_deadline", True)
    return services.plan_register_adoption(actor=None, plan=plan, **kwargs)


def test_send_to_consultation_sets_status_and_deadline():
    plan = plan_with_content()
    version = public_content_version()
    services.plan_send_to_consultation(actor=None, plan=plan, deadline=TODAY + timedelta(days=30))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CONSULTATION
    assert plan.consultation_deadline == TODAY + timedelta(days=30)
    assert public_content_version() > version


@pytest.mark.parametrize("days", [0, -1])
def test_consultation_deadline_must_be_in_the_future(days):
    plan = plan_with_content()
    with pytest.raises(ValidationError) as exc:
        services.plan_send_to_consultation(
            actor=None, plan=plan, deadline=TODAY + timedelta(days=days)
        )
    assert "deadline" in exc.value.message_dict
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_consultation_refused_twice_and_for_adopted_plans():
    plan = plan_with_content()
    services.plan_send_to_consultation(actor=None, plan=plan, deadline=TODAY + timedelta(days=10))
    with pytest.raises(ValidationError):
        services.plan_send_to_consultation(
            actor=None, plan=plan, deadline=TODAY + timedelta(days=20)
        )
    adopt(plan)
    with pytest.raises(ValidationError):
        services.plan_send_to_consultation(
            actor=None, plan=plan, deadline=TODAY + timedelta(days=20)
        )


def test_register_adoption_freezes_snapshot_and_stores_pdf():
    plan = plan_with_content(measures=3)
    services.plan_send_to_consultation(actor=None, plan=plan, deadline=TODAY + timedelta(days=5))
    version = public_content_version()
    adoption = adopt(
        plan,
        meeting_case_number="PS 18/24",
        archive_case_number="2024/1065",
        decision_text="Kommunestyret vedtar planen.",
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ADOPTED
    assert plan.consultation_deadline is None
    assert adoption.version_number == 1
    assert adoption.snapshot["title"] == plan.title
    assert adoption.snapshot["measure_count"] == 3
    assert [s["title"] for s in adoption.snapshot["sections"]] == ["Bakgrunn", "Mål"]
    stored = Adoption.objects.get(pk=adoption.pk)
    assert bytes(stored.pdf).startswith(b"%PDF-")
    assert stored.pdf_sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    assert public_content_version() > version


def test_adopting_a_plan_without_measures_is_refused():
    plan = PlanFactory()
    with pytest.raises(ValidationError):
        adopt(plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert not Adoption.objects.exists()


def test_adopting_twice_is_refused():
    plan = plan_with_content()
    adopt(plan)
    with pytest.raises(ValidationError):
        adopt(plan)
    assert plan.adoptions.count() == 1


def test_adoption_in_the_future_or_with_a_bad_case_number_is_refused():
    plan = plan_with_content()
    with pytest.raises(ValidationError):
        adopt(plan, meeting_date=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        adopt(plan, meeting_case_number="sak atten")
    assert "meeting_case_number" in exc.value.message_dict
    assert not plan.adoptions.exists()


def test_revision_then_second_adoption_keeps_both_versions():
    plan = plan_with_content()
    first = adopt(plan, meeting_date=TODAY - timedelta(days=400))
    services.plan_start_revision(actor=None, plan=plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.REVISION
    assert plan.is_public  # the adopted version stays in force and public
    section = plan.sections.get(title="Bakgrunn")
    section.body = "Revidert bakgrunnstekst."
    section.full_clean()
    section.save()
    # A revision may go out for consultation without leaving the public view.
    services.plan_send_to_consultation(actor=None, plan=plan, deadline=TODAY + timedelta(days=3))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.REVISION
    assert plan.consultation_deadline
    second = adopt(plan)
    assert second.version_number == 2
    first.refresh_from_db()
    assert first.snapshot["sections"][0]["body"] == "Opprinnelig bakgrunnstekst."
    assert second.snapshot["sections"][0]["body"] == "Revidert bakgrunnstekst."
    assert first.pdf_sha256 != second.pdf_sha256


def test_revision_and_retirement_refused_from_wrong_states():
    plan = plan_with_content()
    with pytest.raises(ValidationError):
        services.plan_start_revision(actor=None, plan=plan)
    with pytest.raises(ValidationError):
        services.plan_retire(actor=None, plan=plan)
    adopt(plan)
    services.plan_start_revision(actor=None, plan=plan)
    with pytest.raises(ValidationError):
        services.plan_start_revision(actor=None, plan=plan)
    services.plan_retire(actor=None, plan=plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.RETIRED
    with pytest.raises(ValidationError):
        services.plan_retire(actor=None, plan=plan)
    with pytest.raises(ValidationError):
        adopt(plan)


def test_editing_an_adopted_plan_is_refused_but_follow_up_is_not():
    plan = plan_with_content()
    adopt(plan)
    plan.refresh_from_db()
    section = plan.sections.first()
    section.body = "Endret etter vedtak."
    with pytest.raises(ValidationError):
        section.full_clean()
    with pytest.raises(ValidationError):
        PlanSection(plan=plan, title="Nytt kapittel").full_clean()
    measure = plan.measures.first()
    measure.title = "Nytt navn"
    with pytest.raises(ValidationError):
        measure.full_clean()
    plan.title = "Ny tittel"
    with pytest.raises(ValidationError):
        plan.full_clean()
    with pytest.raises(ValidationError):
        plan.assert_editable()
    # Unchanged rows validate, and status reports (follow-up) still move measures.
    plan.refresh_from_db()
    plan.full_clean()
    plan.sections.first().full_clean()
    measure.refresh_from_db()
    measure_report_status(
        actor=None, measure=measure, status=measure.Status.COMPLETED, text="Ferdig."
    )
    measure.refresh_from_db()
    assert measure.status == measure.Status.COMPLETED


def test_adopted_version_unchanged_after_editing_plan_units_and_measures():
    plan = plan_with_content()
    adoption = adopt(plan)
    snapshot, pdf_bytes = adoption.snapshot, bytes(adoption.pdf)
    services.plan_start_revision(actor=None, plan=plan)
    plan.refresh_from_db()
    plan.title = "Helt ny tittel"
    plan.full_clean()
    plan.save()
    section = plan.sections.first()
    section.body = "Skrevet om under revisjonen."
    section.full_clean()
    section.save()
    measure = plan.measures.first()
    measure.title = "Omdøpt tiltak"
    measure.full_clean()
    measure.save()
    unit = measure.responsible_unit
    unit.name = "Omdøpt enhet"
    unit.save()
    Unit.objects.filter(pk=plan.process_group.memberships.first().unit_id).update(name="Ny enhet")
    pdf.clear_render_cache()

    stored = Adoption.objects.get(pk=adoption.pk)
    assert stored.snapshot == snapshot
    assert bytes(stored.pdf) == pdf_bytes
    assert stored.pdf_sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    assert "Omdøpt tiltak" not in str(stored.snapshot)
    assert "Omdøpt enhet" not in str(stored.snapshot)


def test_render_failure_stores_nothing_and_is_logged(monkeypatch, caplog):
    import weasyprint

    plan = plan_with_content()
    pdf.clear_render_cache()

    def broken(*args, **kwargs):
        raise RuntimeError("font exploded")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with caplog.at_level(logging.ERROR, logger="plans.pdf"), pytest.raises(pdf.PdfRenderError):
        adopt(plan)
    assert "Rendering the PDF" in caplog.text
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert not Adoption.objects.exists()


def test_store_missing_pdf_renders_once_and_never_rewrites():
    plan = plan_with_content()
    adoption = adopt(plan)
    Adoption.objects.filter(pk=adoption.pk).update(pdf=None, pdf_sha256="")
    adoption.refresh_from_db()
    stored = services.adoption_store_missing_pdf(actor=None, adoption=adoption)
    assert bytes(stored.pdf).startswith(b"%PDF-")
    Adoption.objects.filter(pk=adoption.pk).update(pdf=b"%PDF-record", pdf_sha256="abc")
    again = services.adoption_store_missing_pdf(actor=None, adoption=adoption)
    assert bytes(again.pdf) == b"%PDF-record"


def test_load_heim_adopts_both_plans_on_their_dates_with_pdfs(heim):
    from django.core.management import call_command

    adoptions = {
        a.plan.slug: a for a in Adoption.objects.select_related("plan").order_by("plan__slug")
    }
    assert {slug: a.meeting_date for slug, a in adoptions.items()} == {
        "handlingsplan-for-forebygging-av-omsorgssvikt-og-atferdsvansker": date(2023, 9, 28),
        "handlingsplan-mot-vold-i-naere-relasjoner": date(2023, 8, 23),
    }
    # Who adopted: kommunestyret by barnevernsloven § 15-1; the other text does not say.
    assert [a.body for a in adoptions.values()] == [
        Adoption.Body.MUNICIPAL_COUNCIL,
        Adoption.Body.NOT_STATED,
    ]
    for adoption in adoptions.values():
        assert adoption.plan.status == Plan.Status.ADOPTED
        assert adoption.pdf_sha256 == hashlib.sha256(bytes(adoption.pdf)).hexdigest()
    before = {a.pk: a.pdf_sha256 for a in adoptions.values()}
    call_command("load_heim", verbosity=0)
    assert {a.pk: a.pdf_sha256 for a in Adoption.objects.all()} == before
