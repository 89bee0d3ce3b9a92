"""Mine tiltak, the plan dashboard, edit forms and no lost edits (front-end and admin)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.concurrency import EditConflict
from measures import services
from measures.admin import MeasureAdmin
from measures.models import Measure, StatusReport
from measures.selectors import measures_for_user, plan_dashboard
from plans.models import PlanSection
from plans.services import section_update
from tests.factories import MeasureFactory, StatusReportFactory
from tests.followup_world import build_world
from tests.stakeholders_helpers import service_spy

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section_post(section, **changes):
    data = {
        "loaded_version": section.edit_version,
        "order": section.order,
        "kind": section.kind,
        "title": section.title,
        "body": section.body,
    }
    data.update(changes)
    return data


# -- Mine tiltak ---------------------------------------------------------------


def test_mine_lists_unit_measures_overdue_first_and_records_a_report():
    world = build_world()
    today = timezone.localdate()
    late = MeasureFactory(
        plan=world.draft_x, responsible_unit=world.unit_a, deadline=today - timedelta(days=3)
    )
    client = signed_in(world.owner_a)
    response = client.get(reverse("measures:mine"))
    assert response.status_code == 200
    listed = [m.pk for m in response.context["measures"]]
    assert listed[0] == late.pk
    assert set(listed) == {late.pk, world.measure_x.pk, world.measure_pub.pk}
    assert world.measure_y.pk not in listed

    prefix = f"m{world.measure_pub.pk}"
    response = client.post(
        reverse("measures:mine"),
        {
            "measure": world.measure_pub.pk,
            f"{prefix}-status": "completed",
            f"{prefix}-text": "Ferdig",
            f"{prefix}-reported_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    world.measure_pub.refresh_from_db()
    assert world.measure_pub.status == Measure.Status.COMPLETED  # allowed on an adopted plan
    assert StatusReport.objects.get(measure=world.measure_pub).author == world.owner_a


def test_mine_bad_input_is_a_clear_error_not_a_500():
    world = build_world()
    client = signed_in(world.owner_a)
    prefix = f"m{world.measure_x.pk}"
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        reverse("measures:mine"),
        {
            "measure": world.measure_x.pk,
            f"{prefix}-status": "done?",
            f"{prefix}-reported_on": future,
        },
    )
    assert response.status_code == 400
    assert not StatusReport.objects.exists()
    assert client.post(reverse("measures:mine"), {"measure": "abc"}).status_code == 404
    response = client.post(
        reverse("measures:mine"),
        {
            "measure": world.measure_x.pk,
            f"{prefix}-status": "in_progress",
            f"{prefix}-reported_on": future,
        },
    )
    assert response.status_code == 400
    assert "reported_on" in response.context["measures"][0].report_form.errors or any(
        m.report_form.errors for m in response.context["measures"]
    )


def test_mine_query_count_stays_flat(django_assert_max_num_queries):
    world = build_world()
    for _ in range(15):
        StatusReportFactory(
            measure=MeasureFactory(plan=world.draft_x, responsible_unit=world.unit_a)
        )
    client = signed_in(world.owner_a)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("measures:mine")).status_code == 200


# -- Dashboard -----------------------------------------------------------------


def test_dashboard_counts_late_and_silent_measures():
    world = build_world()
    today = timezone.localdate()
    plan = world.draft_x
    late = MeasureFactory(plan=plan, deadline=today - timedelta(days=1))
    reported = MeasureFactory(plan=plan)
    services.measure_report_status(
        actor=None, measure=reported, status="in_progress", reported_on=today
    )
    silent = MeasureFactory(plan=plan)
    Measure.objects.filter(pk=silent.pk).update(created_at=timezone.now() - timedelta(days=200))
    dashboard = plan_dashboard(plan)
    assert dashboard.total == 4
    counts = {status: n for status, _, n in dashboard.by_status}
    assert counts["in_progress"] == 1 and counts["not_started"] == 3
    assert [m.pk for m in dashboard.overdue] == [late.pk]
    assert [m.pk for m in dashboard.stale] == [silent.pk]
    assert len(dashboard.mandate_items_due) == 0  # the mandate item has no deadline

    response = signed_in(world.editor_x).get(reverse("measures:plan_dashboard", args=[plan.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and 'id="by-area"' in body  # the chart and its text alternative
    # Coordinates keep a decimal point whatever the language (nb writes 1,5).
    widths = re.findall(r'<rect x="([^"]+)" y="[^"]+" width="([^"]+)"', body)
    assert widths and all(re.fullmatch(r"[\d.]+", v) for pair in widths for v in pair)
    assert reverse("measures:measure_edit", args=[late.pk]) in body


def test_dashboard_query_count_stays_flat(django_assert_max_num_queries):
    world = build_world()
    for _ in range(20):
        StatusReportFactory(measure=MeasureFactory(plan=world.draft_x))
    client = signed_in(world.editor_x)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("measures:plan_dashboard", args=[world.draft_x.slug]))
    assert response.status_code == 200


def test_measures_for_user_without_units_is_empty():
    world = build_world()
    assert measures_for_user(world.editor_y) == []


# -- Edit forms and no lost edits ----------------------------------------------


def test_section_edit_saves_through_the_service():
    world = build_world()
    section = world.section_x
    client = signed_in(world.editor_x)
    response = client.post(
        reverse("plans:section_edit", args=[section.pk]),
        section_post(section, body="Ny tekst"),
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == "Ny tekst"
    assert section.edit_version == 2


def test_text_nested_too_deeply_to_render_is_refused_with_the_input_kept():
    world = build_world()
    section = world.section_x
    original = section.body
    # Thirty levels: deeper than the renderer shows, well within the length limit.
    nested = "".join("    " * depth + f"- nivå {depth}\n" for depth in range(30))
    response = signed_in(world.editor_x).post(
        reverse("plans:section_edit", args=[section.pk]), section_post(section, body=nested)
    )
    assert response.status_code == 400  # the form again, with the message
    html = response.content.decode()
    assert "nestet for dypt" in html  # the message, in Norwegian
    assert "nivå 29" in html  # what they typed is still in the form
    section.refresh_from_db()
    assert section.body == original


def test_concurrent_section_edit_is_refused_and_nothing_is_lost():
    world = build_world()
    section = world.section_x
    url = reverse("plans:section_edit", args=[section.pk])
    first, second = signed_in(world.editor_x), signed_in(world.admin)
    # Both open the form at version 1.
    loaded = section.edit_version
    assert first.post(url, section_post(section, body="Kari sin tekst")).status_code == 302

    response = second.post(
        url,
        section_post(section, title="Ola sin tittel", body="Ola sin tekst", loaded_version=loaded),
    )
    assert response.status_code == 409
    section.refresh_from_db()
    assert section.body == "Kari sin tekst"  # the first save stands
    form = response.context["form"]
    changes = {c.name: c for c in form.conflict_changes}
    assert changes["body"].theirs == "Kari sin tekst"
    assert changes["body"].yours == "Ola sin tekst"
    assert changes["body"].base == "Tekst i *kapittelet*."
    body = response.content.decode()
    assert "Ola sin tekst" in body and "Kari sin tekst" in body  # input kept, diff shown
    # Re-applying: the re-rendered form carries the current version.
    assert form.data["loaded_version"] == str(section.edit_version)
    again = second.post(url, dict(form.data.items()))
    assert again.status_code == 302
    section.refresh_from_db()
    assert section.body == "Ola sin tekst" and section.edit_version == 3


def test_service_refuses_stale_version_even_after_form_validation():
    world = build_world()
    section = world.section_x
    stale = PlanSection.objects.get(pk=section.pk)
    section_update(actor=None, section=section, data={"body": "Først"}, expected_version=1)
    with pytest.raises(EditConflict) as conflict:
        section_update(actor=None, section=stale, data={"body": "Sist"}, expected_version=1)
    assert conflict.value.changes[0].theirs == "Først"
    assert PlanSection.objects.get(pk=section.pk).body == "Først"


def test_measure_edit_on_adopted_plan_is_refused_with_a_message():
    world = build_world()
    measure = world.measure_pub
    client = signed_in(world.editor_y)
    response = client.post(
        reverse("measures:measure_edit", args=[measure.pk]),
        {
            "loaded_version": measure.edit_version,
            "title": "Endret etter vedtak",
            "order": 0,
            "responsible_unit": measure.responsible_unit_id,
            "focus_area": measure.focus_area_id,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert Measure.objects.get(pk=measure.pk).title != "Endret etter vedtak"
    with pytest.raises(ValidationError):
        services.measure_update(
            actor=None, measure=measure, data={"title": "x"}, expected_version=1
        )


def test_measure_edit_bad_input_never_500():
    world = build_world()
    client = signed_in(world.editor_x)
    url = reverse("measures:measure_edit", args=[world.measure_x.pk])
    response = client.post(url, {"loaded_version": "abc", "title": "", "deadline": "31.02.2024"})
    assert response.status_code == 400
    assert client.get(reverse("measures:measure_edit", args=[999999])).status_code == 404


def test_concurrent_measure_edit_in_admin_is_refused():
    world = build_world()
    measure = world.measure_x
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = {
        "loaded_version": 1,
        "plan": measure.plan_id,
        "focus_area": measure.focus_area_id,
        "order": 0,
        "title": "Fra admin",
        "description": "",
        "responsible_unit": measure.responsible_unit_id,
        "responsible_role": "",
        "resources": "",
        "prevention_level": "",
        "timing": "",
        "status_reports-TOTAL_FORMS": 0,
        "status_reports-INITIAL_FORMS": 0,
    }
    services.measure_update(
        actor=None, measure=measure, data={"title": "Fra skjema"}, expected_version=1
    )
    response = signed_in(world.admin).post(url, data)
    assert response.status_code == 409  # the form again, with the conflict
    assert "Fra skjema" in response.content.decode()  # their version shown
    assert Measure.objects.get(pk=measure.pk).title == "Fra skjema"
    data["loaded_version"] = 2
    assert signed_in(world.admin).post(url, data).status_code == 302
    assert Measure.objects.get(pk=measure.pk).title == "Fra admin"


def test_admin_save_losing_a_race_is_a_message_not_a_500():
    world = build_world()
    measure = world.measure_x

    lost = EditConflict(current=Measure.objects.get(pk=measure.pk))
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    with service_spy(MeasureAdmin, "update", side_effect=lost):
        response = signed_in(world.admin).post(
            url,
            {
                "loaded_version": 1,
                "plan": measure.plan_id,
                "focus_area": measure.focus_area_id,
                "order": 0,
                "title": "Tapte kappløpet",
                "responsible_unit": measure.responsible_unit_id,
                "status_reports-TOTAL_FORMS": 0,
                "status_reports-INITIAL_FORMS": 0,
            },
        )
    assert response.status_code == 302 and response["Location"] == url
    assert Measure.objects.get(pk=measure.pk).title != "Tapte kappløpet"
