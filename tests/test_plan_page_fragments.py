"""The public plan page keeps each measure's published part rendered (plans/fragments.py):
the page must be the very same as when every measure is rendered by its template, in
either language, with the live status and status reports of the moment."""

import pytest
from django.template.loader import get_template
from django.utils import translation

from measures.models import Measure
from measures.services import measure_report_status
from plans import published, selectors
from plans.fragments import published_page_document
from tests.factories import (
    PlanFactory,
    StatusReportFactory,
    TargetGroupFactory,
    UnitFactory,
    published_plan,
)

pytestmark = pytest.mark.django_db


def _plan_with_reports():
    plan = published_plan(measures=4)
    measures = list(Measure.objects.filter(plan=plan).order_by("pk"))
    first, second = measures[0], measures[1]
    StatusReportFactory(measure=first, text="Første <linje>\nAndre & siste")
    StatusReportFactory(measure=first, status=Measure.Status.COMPLETED, text="")
    StatusReportFactory(measure=second, text="")
    return plan, measures


def _document(plan):
    public = published.published_plan_get(slug=plan.slug)
    document = published.with_status_reports(published.published_document(public), plan_id=plan.pk)
    return public, selectors.with_goal_names(document)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_kept_html_is_what_the_measure_template_renders(language):
    plan, _measures = _plan_with_reports()
    block = get_template("includes/measure_block.html")
    with translation.override(language):
        for _round in range(2):  # the first renders and keeps the parts, the second reuses them
            document = published_page_document(published.published_plan_get(slug=plan.slug))
            rendered = [m for area in document["focus_areas"] for m in area["measures"]]
            assert len(rendered) == 4
            for measure in rendered:
                html = measure.pop("html")
                assert html == block.render({"measure": measure})
            # The kept text with the live joins is the document read afresh.
            _public, fresh = _document(plan)
            assert document == fresh


def test_status_and_reports_stay_live_after_the_parts_are_kept(client):
    plan, measures = _plan_with_reports()
    url = plan.get_absolute_url()
    assert "Andre &amp; siste" in client.get(f"{url}?a=1").content.decode()
    measure_report_status(
        actor=None,
        measure=measures[3],
        status=Measure.Status.POSTPONED,
        text="Utsatt til neste år",
    )
    page = client.get(f"{url}?a=2").content.decode()
    assert "Utsatt til neste år" in page
    assert 'data-status="postponed"' in page


def test_language_of_the_kept_parts_follows_the_visitor(client):
    plan = published_plan(measures=2)
    bokmal = client.get(plan.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "nn"
    nynorsk = client.get(f"{plan.get_absolute_url()}?x=1").content.decode()
    assert "Ansvarlig</dt>" in bokmal
    assert "Ansvarleg</dt>" in nynorsk


def test_a_new_adoption_is_never_shown_with_the_old_parts(client):
    from plans.services import plan_register_adoption, plan_start_revision

    plan = PlanFactory()
    unit = UnitFactory(name="Gammel enhet")
    measure = Measure.objects.create(
        plan=plan, title="Tiltaket", description="Første tekst", responsible_unit=unit
    )
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    assert "Første tekst" in client.get(plan.get_absolute_url()).content.decode()
    plan.refresh_from_db()
    plan_start_revision(actor=None, plan=plan)
    Measure.objects.filter(pk=measure.pk).update(description="Ny tekst")
    measure.target_groups.add(TargetGroupFactory(name="Ungdom"))
    plan.refresh_from_db()
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    page = client.get(f"{plan.get_absolute_url()}?v=2").content.decode()
    assert "Ny tekst" in page and "Første tekst" not in page
    assert "Ungdom" in page


@pytest.mark.parametrize("measures", [5, 200])
def test_query_count_is_flat_with_reports_and_kept_parts(
    client, django_assert_max_num_queries, measures
):
    plan = published_plan(measures=measures)
    for measure in Measure.objects.filter(plan=plan)[:3]:
        StatusReportFactory(measure=measure)
    client.get(plan.get_absolute_url())
    with django_assert_max_num_queries(6):
        response = client.get(f"{plan.get_absolute_url()}?uncached=1")
    assert response.status_code == 200


def test_the_kept_text_is_never_changed_by_a_request():
    """The decoded text is shared between requests: the live joins work on copies."""
    plan, measures = _plan_with_reports()
    public = published.published_plan_get(slug=plan.slug)
    first = published_page_document(public)
    shown = first["focus_areas"][0]["measures"][0]
    shown["title"] = "Endret av en forespørsel"
    first["focus_areas"][0]["measures_html"] = "<p>med</p>"
    measure_report_status(
        actor=None, measure=measures[0], status=Measure.Status.POSTPONED, text="Utsatt"
    )
    again = published_page_document(public)
    assert again["focus_areas"][0]["measures"][0]["title"] != "Endret av en forespørsel"
    assert "measures_html" not in again["focus_areas"][0]
    again_statuses = {
        m["id"]: m["status"] for area in again["focus_areas"] for m in area["measures"]
    }
    assert again_statuses[measures[0].pk] == Measure.Status.POSTPONED
    assert "latest_report" in again["focus_areas"][0]["measures"][0]
