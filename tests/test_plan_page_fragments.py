"""The public plan page keeps each measure's published part rendered (plans/fragments.py):
the page must be the very same as when every measure is rendered by its template, in
either language, with the live status and status reports of the moment."""

import pytest
from django.template.loader import get_template
from django.utils import translation

from measures.models import Measure
from measures.services import measure_report_status
from plans import published, selectors
from plans.fragments import with_measure_html
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
            public, document = _document(plan)
            document = with_measure_html(document, published=public)
            rendered = [m for area in document["focus_areas"] for m in area["measures"]]
            assert len(rendered) == 4
            for measure in rendered:
                html = measure.pop("html")
                assert html == block.render({"measure": measure})


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
