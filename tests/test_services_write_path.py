"""One write path: one signature style, the actor really recorded, the admin only through services."""

import inspect
from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

import measures.services
import organisation.services
import plans.services
import stakeholders.services
from core.admin import BaseModelAdmin, ServiceInlineMixin
from measures.models import Measure, StatusReport
from organisation.models import Unit
from plans.admin import PlanSectionInline
from plans.models import PlanSection
from stakeholders.models import Stakeholder
from tests.factories import (
    MeasureFactory,
    PlanFactory,
    PlanSectionFactory,
    StakeholderAnalysisFactory,
    UnitFactory,
    UserFactory,
)
from tests.stakeholders_helpers import admin_form_data, service_spy

pytestmark = pytest.mark.django_db

SERVICE_MODULES = [organisation.services, plans.services, measures.services, stakeholders.services]
OUR_APPS = {"organisation", "plans", "measures", "stakeholders"}


def _services():
    for module in SERVICE_MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                yield name, fn


@pytest.mark.parametrize(
    "name,fn",
    [(n, f) for n, f in _services() if n.endswith(("_create", "_update", "_delete"))],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_write_service_has_the_one_signature(name, fn):
    parameters = inspect.signature(fn).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values()), name
    assert "actor" in parameters, name
    thing = name.rsplit("_", 1)[0]
    if name.endswith("_create"):
        assert "data" in parameters, name
    elif name.endswith("_update"):
        assert {thing, "data", "expected_version"} <= set(parameters), name
        assert parameters["expected_version"].default is None, name
    else:
        assert set(parameters) == {"actor", thing}, name


def test_the_lifecycle_moves_take_the_actor_too():
    for fn in (
        plans.services.plan_send_to_consultation,
        plans.services.plan_register_adoption,
        plans.services.plan_start_revision,
        plans.services.plan_retire,
        measures.services.measure_report_status,
    ):
        parameters = inspect.signature(fn).parameters
        assert "actor" in parameters and "by" not in parameters, fn.__name__
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


def test_every_admin_and_inline_writes_through_declared_services(rf):
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        if not isinstance(model_admin, BaseModelAdmin):
            # Only a read-only admin may do without: it writes nothing at all.
            assert not model_admin.has_add_permission(request), model
            assert not model_admin.has_change_permission(request), model
            assert not model_admin.has_delete_permission(request), model
        for inline in model_admin.inlines:
            assert issubclass(inline, ServiceInlineMixin), inline


def test_the_actor_is_recorded_for_create_update_and_delete():
    editor = UserFactory(username="redaktor")
    plan = PlanFactory()
    section = plans.services.section_create(
        actor=editor, plan=plan, data={"title": "Bakgrunn", "body": "Tekst."}
    )
    assert section.history.get().history_user == editor
    plans.services.section_update(actor=editor, section=section, data={"body": "Ny tekst."})
    pk = section.pk
    plans.services.section_delete(actor=editor, section=section)
    records = PlanSection.history.filter(id=pk).order_by("history_date")
    assert [(r.history_type, r.history_user) for r in records] == [
        ("+", editor),
        ("~", editor),
        ("-", editor),
    ]

    analysis = StakeholderAnalysisFactory()
    stakeholder = stakeholders.services.stakeholder_create(
        actor=editor, analysis=analysis, data={"name": "Barn", "role": "target_group"}
    )
    pk = stakeholder.pk
    stakeholders.services.stakeholder_delete(actor=editor, stakeholder=stakeholder)
    deletion = Stakeholder.history.filter(id=pk, history_type="-").get()
    assert deletion.history_user == editor


def test_a_command_records_no_user_and_an_unchanged_row_no_record():
    unit = UnitFactory(name="Helsestasjonen")
    before = unit.history.count()
    organisation.services.unit_update(actor=None, unit=unit, data={"name": "Helsestasjonen"})
    assert unit.history.count() == before  # nothing changed: nothing written
    organisation.services.unit_update(actor=None, unit=unit, data={"name": "Helsestasjon"})
    assert Unit.objects.get(pk=unit.pk).name == "Helsestasjon"
    assert unit.history.first().history_user is None


def test_author_and_registered_by_come_from_the_actor():
    owner = UserFactory(username="enhetsleder")
    measure = MeasureFactory()
    report = measures.services.measure_report_status(
        actor=owner, measure=measure, status=Measure.Status.IN_PROGRESS
    )
    assert report.author == owner and report.history.get().history_user == owner
    adoption = plans.services.plan_register_adoption(
        actor=owner, plan=measure.plan, meeting_date=date(2024, 1, 10)
    )
    assert adoption.registered_by == owner
    assert measure.plan.history.first().history_user == owner


def test_a_service_refuses_fields_it_does_not_write():
    section = PlanSectionFactory()
    with pytest.raises(TypeError):
        plans.services.section_update(actor=None, section=section, data={"edit_version": 9})
    unit = UnitFactory()
    with pytest.raises(TypeError):
        organisation.services.unit_update(
            actor=None, unit=unit, data={"name": "X"}, expected_version=1
        )
    measure = MeasureFactory()
    with pytest.raises(TypeError):
        measures.services.measure_update(
            actor=None, measure=measure, data={"status": Measure.Status.COMPLETED}
        )


def test_deleting_the_newest_report_gives_the_measure_the_status_before():
    measure = MeasureFactory()
    measures.services.measure_report_status(
        actor=None, measure=measure, status="in_progress", reported_on=date(2024, 1, 1)
    )
    newest = measures.services.measure_report_status(
        actor=None, measure=measure, status="completed", reported_on=date(2024, 2, 1)
    )
    assert Measure.objects.get(pk=measure.pk).status == "completed"
    measures.services.status_report_delete(actor=None, status_report=newest)
    assert Measure.objects.get(pk=measure.pk).status == "in_progress"
    measures.services.status_report_delete(actor=None, status_report=StatusReport.objects.get())
    assert Measure.objects.get(pk=measure.pk).status == Measure.Status.NOT_STARTED


def test_plan_admin_writes_its_sections_through_the_section_services(admin_client, superuser):
    plan = PlanFactory()
    kept, dropped = PlanSectionFactory(plan=plan), PlanSectionFactory(plan=plan)
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    data = admin_form_data(admin_client.get(url))
    index = next(i for i in range(2) if data[f"sections-{i}-id"] == str(dropped.pk))
    data[f"sections-{index}-DELETE"] = "on"
    data[f"sections-{1 - index}-body"] = "Endret i admin."
    with (
        service_spy(PlanSectionInline, "delete") as delete,
        service_spy(PlanSectionInline, "update") as update,
    ):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert delete.call_count == 1 and update.call_count == 1
    assert list(plan.sections.all()) == [kept]
    assert PlanSection.objects.get(pk=kept.pk).body == "Endret i admin."
    deletion = PlanSection.history.get(id=dropped.pk, history_type="-")
    assert deletion.history_user == superuser


def test_a_locked_plans_section_cannot_be_deleted_by_the_service():
    section = PlanSectionFactory()
    measure = MeasureFactory(plan=section.plan)
    plans.services.plan_register_adoption(
        actor=None, plan=measure.plan, meeting_date=date(2024, 1, 10)
    )
    section.refresh_from_db()
    with pytest.raises(ValidationError):
        plans.services.section_delete(actor=None, section=section)
    assert PlanSection.objects.filter(pk=section.pk).exists()
