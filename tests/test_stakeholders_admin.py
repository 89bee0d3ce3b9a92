"""The admin writes stakeholder work through the same services as the working pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.publishing import public_content_version
from organisation.models import MandateItem
from plans.models import Plan, PlanStepProgress, WorkingModel, WorkingModelStep
from stakeholders import services
from stakeholders.admin import (
    ActivityAdmin,
    FindingInline,
    StakeholderAdmin,
    StakeholderAnalysisAdmin,
    StakeholderInline,
)
from stakeholders.models import (
    Activity,
    Finding,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)
from tests.factories import (
    ActivityFactory,
    MandateItemFactory,
    MeasureFactory,
    PlanFactory,
    ProcessGroupFactory,
    StakeholderAnalysisFactory,
    StakeholderFactory,
)
from tests.stakeholders_helpers import admin_form_data, client_for, editor_of, service_spy

pytestmark = pytest.mark.django_db


def url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def lock(plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ADOPTED)
    plan.refresh_from_db()


def resubmit(client, model, obj, **changes):
    page = client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    data = admin_form_data(page)
    data.update(changes)
    return client.post(url(model, "change", obj.pk), data)


def test_stakeholder_change_and_add_call_the_services(admin_client, superuser):
    stakeholder = StakeholderFactory(name="Foreldre", interest=1)
    with service_spy(StakeholderAdmin, "update") as update:
        response = resubmit(admin_client, Stakeholder, stakeholder, interest="3")
    assert response.status_code == 302
    assert update.call_count == 1
    stakeholder.refresh_from_db()
    assert stakeholder.interest == 3
    assert stakeholder.history.first().history_user == superuser

    add = admin_client.get(url(Stakeholder, "add"))
    data = admin_form_data(add)
    data.update(analysis=str(stakeholder.analysis_id), name="Barn", role="target_group")
    with service_spy(StakeholderAdmin, "create") as create:
        assert admin_client.post(url(Stakeholder, "add"), data).status_code == 302
    assert create.call_count == 1
    assert Stakeholder.objects.filter(name="Barn", analysis=stakeholder.analysis).exists()


def test_participation_input_admin_bumps_public_cache_once_and_respects_the_lock(admin_client):
    plan = PlanFactory()
    measure = MeasureFactory(plan=plan)
    add = admin_client.get(url(ParticipationInput, "add"))
    data = admin_form_data(add)
    data.update(plan=str(plan.pk), source="Ungdomsrådet", summary="Kurs", measures=[measure.pk])
    before = public_content_version()
    assert admin_client.post(url(ParticipationInput, "add"), data).status_code == 302
    assert public_content_version() == before + 1  # once, by the service
    participation = ParticipationInput.objects.get()
    assert list(participation.measures.all()) == [measure]

    # A measure of another plan is refused on the form, nothing saved.
    foreign = MeasureFactory()
    response = resubmit(
        admin_client, ParticipationInput, participation, measures=[measure.pk, foreign.pk]
    )
    assert response.status_code == 400 and response.context["adminform"].form.errors
    assert list(participation.measures.all()) == [measure]

    # Adopted: read-only, and neither change nor delete gets through.
    lock(plan)
    page = admin_client.get(url(ParticipationInput, "change", participation.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = admin_client.post(
        url(ParticipationInput, "change", participation.pk), {"source": "Endret"}
    )
    assert response.status_code == 403
    assert (
        admin_client.post(
            url(ParticipationInput, "delete", participation.pk), {"post": "yes"}
        ).status_code
        == 403
    )
    participation.refresh_from_db()
    assert participation.source == "Ungdomsrådet"
    # Adding to the adopted plan is refused on the form.
    data.update(source="Nytt")
    response = admin_client.post(url(ParticipationInput, "add"), data)
    assert response.status_code == 400 and response.context["adminform"].form.errors
    assert ParticipationInput.objects.count() == 1


def test_activity_admin_saves_stakeholders_through_the_service(admin_client):
    activity = ActivityFactory()
    mine = StakeholderFactory(analysis=activity.analysis)
    foreign = StakeholderFactory()
    with service_spy(ActivityAdmin, "update") as update:
        response = resubmit(admin_client, Activity, activity, stakeholders=[mine.pk])
    assert response.status_code == 302 and update.call_count == 1
    assert list(activity.stakeholders.all()) == [mine]

    response = resubmit(admin_client, Activity, activity, stakeholders=[mine.pk, foreign.pk])
    assert response.status_code == 400
    assert "stakeholders" in response.context["adminform"].form.errors
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = resubmit(admin_client, Activity, activity, completed_on=tomorrow)
    assert response.status_code == 400
    assert list(activity.stakeholders.all()) == [mine]

    with service_spy(ActivityAdmin, "delete") as delete:
        admin_client.post(url(Activity, "delete", activity.pk), {"post": "yes"})
    assert delete.call_count == 1 and not Activity.objects.exists()


def test_stakeholder_with_input_to_an_adopted_plan_cannot_be_deleted(admin_client):
    plan = PlanFactory()
    analysis = StakeholderAnalysisFactory(plan=plan)
    heard = StakeholderFactory(analysis=analysis, name="Ungdomsrådet")
    other = StakeholderFactory(analysis=analysis, name="Foreldre")
    services.participation_input_create(
        actor=None,
        plan=plan,
        data={
            "analysis": analysis,
            "stakeholder": heard,
            "source": "Ungdomsrådet",
            "summary": "Kurs",
        },
    )
    lock(plan)

    page = admin_client.get(url(Stakeholder, "delete", heard.pk))
    assert page.status_code == 200 and page.context["protected"]
    admin_client.post(url(Stakeholder, "delete", heard.pk), {"post": "yes"})
    assert Stakeholder.objects.filter(pk=heard.pk).exists()

    # The bulk action refuses the same way, and deletes nothing of the selection.
    response = admin_client.post(
        url(Stakeholder, "changelist"),
        {"action": "delete_selected", "_selected_action": [heard.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert Stakeholder.objects.count() == 2
    response = admin_client.post(
        url(Stakeholder, "changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(Stakeholder.objects.all()) == [heard]


def test_analysis_inlines_add_change_and_delete_rows_through_services(admin_client):
    plan = PlanFactory()
    analysis = StakeholderAnalysisFactory(plan=plan)
    heard = StakeholderFactory(analysis=analysis, name="Ungdomsrådet")
    finding = Finding.objects.create(analysis=analysis, kind="strength", text="Gode nettverk")
    services.participation_input_create(
        actor=None,
        plan=plan,
        data={
            "analysis": analysis,
            "stakeholder": heard,
            "source": "Ungdomsrådet",
            "summary": "Kurs",
        },
    )
    page = admin_client.get(url(type(analysis), "change", analysis.pk))
    data = admin_form_data(page)
    data.update(
        {
            "stakeholders-TOTAL_FORMS": "2",
            "stakeholders-1-name": "Barn",
            "stakeholders-1-role": "target_group",
            "stakeholders-1-category": "user",
            "stakeholders-1-interest": "3",
            "stakeholders-1-influence": "1",
            "stakeholders-1-attitude": "unknown",
            "stakeholders-1-order": "2",
            "findings-0-text": "Sterke nettverk",
            "findings-0-DELETE": "",
        }
    )
    with (
        service_spy(StakeholderInline, "create") as c,
        service_spy(FindingInline, "update") as u,
    ):
        response = admin_client.post(url(type(analysis), "change", analysis.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert c.call_count == 1 and u.call_count == 1
    assert analysis.stakeholders.get(name="Barn").interest == 3
    finding.refresh_from_db()
    assert finding.text == "Sterke nettverk"

    data = admin_form_data(admin_client.get(url(type(analysis), "change", analysis.pk)))
    data["findings-0-DELETE"] = "on"
    assert admin_client.post(url(type(analysis), "change", analysis.pk), data).status_code == 302
    assert not Finding.objects.exists()

    # Deleting a stakeholder whose input is on an adopted plan: refused on the row.
    lock(plan)
    data = admin_form_data(admin_client.get(url(type(analysis), "change", analysis.pk)))
    index = next(i for i in range(2) if data.get(f"stakeholders-{i}-id") == str(heard.pk))
    data[f"stakeholders-{index}-DELETE"] = "on"
    response = admin_client.post(url(type(analysis), "change", analysis.pk), data)
    assert response.status_code == 400
    assert Stakeholder.objects.filter(pk=heard.pk).exists()


def test_editor_of_another_group_cannot_change_in_the_admin(admin_client):
    group = ProcessGroupFactory()
    analysis = StakeholderAnalysisFactory(process_group=group)
    stakeholder = StakeholderFactory(analysis=analysis, name="Foreldre")
    outsider = editor_of(ProcessGroupFactory())
    member = editor_of(group)
    for user in (outsider, member):
        user.is_staff = True
        user.save()
    outsider_client, member_client = client_for(outsider), client_for(member)

    # Another group's rows are not even listed: the change page says there is no such row.
    page = outsider_client.get(url(Stakeholder, "change", stakeholder.pk))
    assert page.status_code == 302 and page["Location"] == "/admin/"
    for action, data in (("change", {"name": "Kapret"}), ("delete", {"post": "yes"})):
        response = outsider_client.post(url(Stakeholder, action, stakeholder.pk), data)
        assert response.status_code in (302, 403)
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Foreldre"
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    # Nor can the outsider add to another group's analysis.
    data = admin_form_data(outsider_client.get(url(Stakeholder, "add")))
    data.update(analysis=str(analysis.pk), name="Ny", role="actor")
    response = outsider_client.post(url(Stakeholder, "add"), data)
    assert response.status_code == 400 and "analysis" in response.context["adminform"].form.errors

    response = resubmit(member_client, Stakeholder, stakeholder, name="Foresatte")
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Foresatte"
    assert Stakeholder.objects.count() == 1


def test_a_service_refusing_at_save_time_is_a_message_not_a_500(admin_client):
    stakeholder = StakeholderFactory(name="Foreldre")
    with service_spy(StakeholderAdmin, "update", side_effect=ValidationError("Nei.")):
        response = resubmit(admin_client, Stakeholder, stakeholder, name="Endret")
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Foreldre"
    page = admin_client.get(response["Location"])
    assert "Nei." in page.content.decode()


def test_mandate_items_inline_goes_through_organisation_services(admin_client):
    item = MandateItemFactory(text="Lage plan")
    group = item.group
    page = admin_client.get(url(type(group), "change", group.pk))
    data = admin_form_data(page)
    data["mandate_items-0-status"] = "done"
    data["mandate_items-0-completed_on"] = ""
    from organisation.admin import MandateItemInline

    with service_spy(MandateItemInline, "update") as update:
        response = admin_client.post(url(type(group), "change", group.pk), data)
    assert response.status_code == 302 and update.call_count == 1
    item.refresh_from_db()
    assert item.status == MandateItem.Status.DONE and item.completed_on == timezone.localdate()

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data["mandate_items-0-completed_on"] = tomorrow
    response = admin_client.post(url(type(group), "change", group.pk), data)
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.completed_on == timezone.localdate()


def test_plan_step_progress_inline_goes_through_the_progress_services(admin_client):
    model = WorkingModel.objects.create(name="Modell")
    step = WorkingModelStep.objects.create(model=model, number=1, name="Samfunnsoppdraget")
    foreign = WorkingModelStep.objects.create(
        model=WorkingModel.objects.create(name="Annen"), number=1, name="X"
    )
    plan = PlanFactory(working_model=model)
    data = admin_form_data(admin_client.get(url(Plan, "change", plan.pk)))
    data.update(
        {
            "step_progress-TOTAL_FORMS": "1",
            "step_progress-0-step": str(foreign.pk),
            "step_progress-0-completed_on": "2024-02-01",
        }
    )
    response = admin_client.post(url(Plan, "change", plan.pk), data)
    assert response.status_code == 400 and not PlanStepProgress.objects.exists()

    from plans.admin import PlanStepProgressInline

    data["step_progress-0-step"] = str(step.pk)
    with service_spy(PlanStepProgressInline, "create") as set_progress:
        response = admin_client.post(url(Plan, "change", plan.pk), data)
    assert response.status_code == 302 and set_progress.call_count == 1
    assert PlanStepProgress.objects.get().completed_on.isoformat() == "2024-02-01"


def test_analysis_admin_saves_and_deletes_through_services(admin_client):
    group = ProcessGroupFactory()
    data = admin_form_data(admin_client.get(url(StakeholderAnalysis, "add")))
    data.update(
        {
            "title": "Interessentanalyse OKS",
            "process_group": str(group.pk),
            "stakeholders-TOTAL_FORMS": "1",
            "stakeholders-0-name": "Foreldre",
            "stakeholders-0-role": "target_group",
            "stakeholders-0-category": "user",
            "stakeholders-0-interest": "2",
            "stakeholders-0-influence": "2",
            "stakeholders-0-attitude": "unknown",
            "stakeholders-0-order": "0",
        }
    )
    with service_spy(StakeholderAnalysisAdmin, "create") as create:
        response = admin_client.post(url(StakeholderAnalysis, "add"), data)
    assert response.status_code == 302 and create.call_count == 1
    analysis = StakeholderAnalysis.objects.get()
    assert analysis.stakeholders.get().name == "Foreldre"

    # Neither plan nor group: refused on the form (the model's clean), nothing saved.
    data.update(title="Uten eier", process_group="")
    response = admin_client.post(url(StakeholderAnalysis, "add"), data)
    assert response.status_code == 400 and StakeholderAnalysis.objects.count() == 1

    with service_spy(StakeholderAnalysisAdmin, "delete") as delete:
        admin_client.post(url(StakeholderAnalysis, "delete", analysis.pk), {"post": "yes"})
    assert delete.call_count == 1 and not StakeholderAnalysis.objects.exists()
