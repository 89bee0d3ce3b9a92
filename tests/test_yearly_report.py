"""The yearly report: draft → final, frozen like an adoption, public only when final."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from measures.services import measure_report_status
from plans.services import goal_create, plan_register_adoption, plan_start_revision
from results.models import IndicatorValue, YearlyReport
from results.services import (
    indicator_create,
    yearly_report_create,
    yearly_report_delete,
    yearly_report_finalise,
    yearly_report_register_consideration,
    yearly_report_update,
)
from tests.factories import PlanFactory, StatusReportFactory
from tests.lifecycle_helpers import plan_with_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = plan_with_content(measures=2)
    goal = goal_create(actor=None, plan=plan, data={"title": "Trygge barn"})
    indicator = indicator_create(
        actor=None,
        goal=goal,
        data={
            "name": "Andel som trives",
            "unit": "prosent",
            "direction": "up",
            "data_source": "ungdata",
            "baseline_value": Decimal(60),
            "baseline_date": date(2020, 1, 1),
            "target_value": Decimal(80),
            "target_date": date(2030, 1, 1),
        },
    )
    for year, value in ((2022, 64), (2024, 70)):
        IndicatorValue.objects.create(
            indicator=indicator, date=date(year, 1, 1), period=str(year), value=value
        )
    plan_register_adoption(actor=None, plan=plan, meeting_date=date(2024, 3, 1))
    plan.refresh_from_db()
    first = plan.measures.order_by("pk").first()
    StatusReportFactory(
        measure=first, status="in_progress", text="Godt i gang", reported_on=date(2024, 5, 1)
    )
    return plan


def test_a_final_report_is_frozen_and_its_pdf_stays_the_same_bytes(plan, client):
    report = yearly_report_create(
        actor=None, plan=plan, data={"year": 2024, "went_well": "Mye *bra*."}
    )
    assert (report.period_start, report.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert client.get(reverse("results:report_detail", args=[plan.slug, 2024])).status_code == 404

    yearly_report_finalise(actor=None, yearly_report=report)
    report.refresh_from_db()
    assert report.is_final and report.pdf_sha256
    frozen_pdf, frozen_snapshot = bytes(report.pdf), report.snapshot
    measures = [m for area in frozen_snapshot["focus_areas"] for m in area["measures"]]
    assert [m["reports"][0]["text"] for m in measures if m["reports"]] == ["Godt i gang"]
    indicator = frozen_snapshot["goals"][0]["indicators"][0]
    assert [v["value"] for v in indicator["values"]] == ["64", "70"]
    assert indicator["trend"] == "on_track"

    pdf = PdfReader(io.BytesIO(frozen_pdf))
    assert pdf.trailer["/Root"]["/Lang"] == "nb"
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
    assert "Andel som trives" in "".join(page.extract_text() for page in pdf.pages)

    # Live edits afterwards change nothing in the record.
    measure = plan.measures.order_by("pk").first()
    measure_report_status(actor=None, measure=measure, status="completed", text="Ferdig")
    IndicatorValue.objects.filter(indicator__name="Andel som trives").update(value=1)
    plan_start_revision(actor=None, plan=plan)
    with pytest.raises(ValidationError):
        yearly_report_update(actor=None, yearly_report=report, data={"went_well": "Endret"})
    with pytest.raises(ValidationError):
        yearly_report_finalise(actor=None, yearly_report=report)
    with pytest.raises(ValidationError):
        yearly_report_delete(actor=None, yearly_report=report)
    report.refresh_from_db()
    assert bytes(report.pdf) == frozen_pdf and report.snapshot == frozen_snapshot

    served = client.get(reverse("results:report_pdf", args=[plan.slug, 2024]))
    assert served.content == frozen_pdf and served["ETag"] == f'"{report.pdf_sha256}"'
    page = client.get(reverse("results:report_detail", args=[plan.slug, 2024])).content.decode()
    assert "Godt i gang" in page and "Ferdig" not in page


def test_a_report_needs_an_adopted_plan_and_registers_consideration(plan):
    draft_plan = PlanFactory()
    draft_report = yearly_report_create(actor=None, plan=draft_plan, data={"year": 2024})
    with pytest.raises(ValidationError):
        yearly_report_finalise(actor=None, yearly_report=draft_report)
    report = yearly_report_create(actor=None, plan=plan, data={"year": 2024})
    with pytest.raises(ValidationError):  # not final yet
        yearly_report_register_consideration(
            actor=None,
            yearly_report=report,
            data={"considered_by": "kommunestyret", "considered_on": date(2025, 2, 1)},
        )
    yearly_report_finalise(actor=None, yearly_report=report)
    with pytest.raises(ValidationError):
        yearly_report_register_consideration(
            actor=None, yearly_report=report, data={"considered_by": "kommunestyret"}
        )
    yearly_report_register_consideration(
        actor=None,
        yearly_report=report,
        data={
            "considered_by": "kommunestyret",
            "considered_on": date(2025, 2, 1),
            "case_number": "PS 12/25",
        },
    )
    assert YearlyReport.objects.get(pk=report.pk).case_number == "PS 12/25"


def test_public_pages_list_final_reports_and_compare_two_years(plan, client):
    for year in (2023, 2024):
        report = yearly_report_create(actor=None, plan=plan, data={"year": year})
        yearly_report_finalise(actor=None, yearly_report=report)
    yearly_report_create(actor=None, plan=plan, data={"year": 2025, "went_well": "UTKASTTEKST"})
    url = reverse("results:report_list", args=[plan.slug])
    page = client.get(url).content.decode()
    assert "2023" in page and "2024" in page and "/rapporter/2025/" not in page
    compared = client.get(url, {"a": "2023", "b": "2024"})
    assert compared.status_code == 200
    rows = compared.context["comparison"]["indicators"]
    assert rows[0]["a"]["latest"]["value"] == "64" and rows[0]["b"]["latest"]["value"] == "70"
    assert client.get(url, {"a": "2023", "b": "2025"}).status_code == 400
    assert client.get(url, {"a": "x", "b": "99999999999"}).status_code == 400
    assert client.get(reverse("results:report_detail", args=[plan.slug, 2025])).status_code == 404
    assert "/sitemap-reports.xml" in client.get("/sitemap.xml").content.decode()
    sitemap = client.get("/sitemap-reports.xml").content.decode()
    assert f"/planer/{plan.slug}/rapporter/2024/" in sitemap
    assert "/rapporter/2025/" not in sitemap
    assert "UTKASTTEKST" not in client.get(plan.get_absolute_url()).content.decode()


def test_the_follow_up_cycle_is_due_on_the_start_page_and_by_e_mail(plan, client, mailoutbox):
    from django.core.management import call_command

    from results.reminders import follow_up_due
    from tests.lifecycle_helpers import editor_of

    editor = editor_of(plan)
    editor.email = "redaktor@example.org"
    editor.save()
    today = date(2025, 2, 15)
    due = {(item.kind, item.key): item.due_on for item in follow_up_due(today=today)}
    indicator_id = plan.goals.get().indicators.get().pk
    assert due == {
        ("revision", 0): date(2025, 3, 1),  # a year after the adoption, within 30 days
        ("report", 2024): date(2025, 3, 31),  # no final report on 2024 yet
    }
    later = {(i.kind, i.key) for i in follow_up_due(today=date(2026, 1, 2))}
    assert ("indicator", indicator_id) in later  # the 2024 value was followed by none for 2025

    report = yearly_report_create(actor=None, plan=plan, data={"year": 2024})
    yearly_report_finalise(actor=None, yearly_report=report)
    assert ("report", 2024) not in {(i.kind, i.key) for i in follow_up_due(today=today)}

    call_command("send_reminders", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())  # the same day: nothing again
    followup = [m for m in mailoutbox if m.to == ["redaktor@example.org"]]
    assert len(followup) == 1 and plan.title in followup[0].body

    client.force_login(editor)
    page = client.get(reverse("workspace")).content.decode()
    assert 'class="followup-due"' in page and plan.title in page
