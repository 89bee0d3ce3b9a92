"""Services of the working tools, the public trace of participation, and Heim's data."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.publishing import public_content_version
from organisation.models import MandateItem, ProcessGroup
from organisation.services import mandate_item_set_status
from plans import selectors as plan_selectors
from plans.models import Plan, PlanStepProgress, WorkingModel
from plans.services import plan_register_adoption, plan_step_set_progress
from stakeholders import selectors, services
from stakeholders.models import Activity, ParticipationInput, Stakeholder, StakeholderAnalysis
from tests.factories import (
    FocusAreaFactory,
    MandateItemFactory,
    MeasureFactory,
    PlanFactory,
    StakeholderAnalysisFactory,
    StakeholderFactory,
)


def test_activity_services_check_dates_and_stakeholders(db):
    analysis = StakeholderAnalysisFactory()
    mine = StakeholderFactory(analysis=analysis)
    foreign = StakeholderFactory()
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=None,
            analysis=analysis,
            data={"stakeholders": [foreign], "kind": "information", "title": "X", "channel": "web"},
        )
    activity = services.activity_create(
        actor=None,
        analysis=analysis,
        data={"stakeholders": [mine], "kind": "information", "title": "X", "channel": "web"},
    )
    with pytest.raises(ValidationError):
        services.activity_set_done(
            actor=None, activity=activity, completed_on=timezone.localdate() + timedelta(days=1)
        )
    services.activity_set_done(actor=None, activity=activity, completed_on=date(2024, 1, 2))
    assert Activity.objects.get().completed_on == date(2024, 1, 2)


def test_stakeholder_services_validate(db):
    analysis = StakeholderAnalysisFactory()
    barn = {"name": "Barn", "role": "target_group"}
    s = services.stakeholder_create(actor=None, analysis=analysis, data=barn)
    with pytest.raises(ValidationError):
        services.stakeholder_create(actor=None, analysis=analysis, data=barn)
    with pytest.raises(ValidationError):
        services.stakeholder_update(actor=None, stakeholder=s, data={"interest": 7})
    services.stakeholder_update(
        actor=None, stakeholder=Stakeholder.objects.get(), data={"interest": 3}
    )
    assert Stakeholder.objects.get().interest == 3


def test_participation_is_traced_to_measures_on_the_public_page(client, db):
    plan = PlanFactory(slug="voldsplanen")
    area = FocusAreaFactory(plan=plan)
    shaped = MeasureFactory(plan=plan, focus_area=area, title="Kompetanseheving om vold")
    untouched = MeasureFactory(plan=plan, focus_area=area, title="Annet tiltak")
    before = public_content_version()
    services.participation_input_create(
        actor=None,
        plan=plan,
        data={
            "source": "Heim eldreråd",
            "summary": "Innspill om eldre som utsettes for vold.",
            "received_on": date(2023, 4, 1),
            "measures": [shaped],
        },
    )
    assert public_content_version() > before
    plan_register_adoption(actor=None, plan=plan, meeting_date=date(2023, 8, 23))

    html = client.get("/planer/voldsplanen/").content.decode()
    section = html[html.index('id="participation"') :]
    assert "Heim eldreråd" in section and "Innspill om eldre som utsettes for vold." in section
    shaped_block = html[html.index(f'id="measure-{shaped.pk}"') :]
    shaped_block = shaped_block[: shaped_block.index("</article>")]
    assert "Heim eldreråd" in shaped_block
    untouched_block = html[html.index(f'id="measure-{untouched.pk}"') :]
    untouched_block = untouched_block[: untouched_block.index("</article>")]
    assert "Heim eldreråd" not in untouched_block


def test_participation_is_refused_on_an_adopted_plan_and_across_plans(db):
    plan = PlanFactory()
    other = MeasureFactory()
    with pytest.raises(ValidationError):
        services.participation_input_create(
            actor=None, plan=plan, data={"source": "Råd", "summary": "x", "measures": [other]}
        )
    MeasureFactory(plan=plan)
    plan_register_adoption(actor=None, plan=plan, meeting_date=date(2023, 1, 1))
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        services.participation_input_create(
            actor=None, plan=plan, data={"source": "Råd", "summary": "x"}
        )
    assert not ParticipationInput.objects.exists()


def test_mandate_item_set_status(db):
    item = MandateItemFactory(deadline=timezone.localdate() - timedelta(days=3))
    assert item.is_overdue()
    mandate_item_set_status(actor=None, mandate_item=item, status=MandateItem.Status.DONE)
    item.refresh_from_db()
    assert item.completed_on == timezone.localdate() and not item.is_overdue()
    mandate_item_set_status(actor=None, mandate_item=item, status=MandateItem.Status.IN_PROGRESS)
    item.refresh_from_db()
    assert item.completed_on is None and item.is_overdue()
    with pytest.raises(ValidationError):
        mandate_item_set_status(actor=None, mandate_item=item, status="nope")


def test_plan_step_set_progress_only_for_the_plans_model(db):
    model = WorkingModel.objects.create(name="M")
    step = model.steps.create(number=1, name="Samfunnsoppdraget")
    plan = PlanFactory(working_model=model)
    plan_step_set_progress(
        actor=None, plan=plan, step=step, completed_on=date(2022, 1, 1), note="ok"
    )
    assert PlanStepProgress.objects.get().is_done
    plan_step_set_progress(actor=None, plan=plan, step=step, completed_on=None)
    assert not PlanStepProgress.objects.get().is_done
    assert PlanStepProgress.objects.get().note == "ok"
    with pytest.raises(ValidationError):
        plan_step_set_progress(actor=None, plan=PlanFactory(), step=step, completed_on=None)


def test_heim_stakeholder_work_is_loaded(heim):
    analysis = StakeholderAnalysis.objects.get(
        title="Interessentanalyse for innføring av reformene"
    )
    assert analysis.process_group.name.startswith("OKS")
    names = set(analysis.stakeholders.values_list("name", flat=True))
    assert {"Barn", "Unge", "Foreldre", "PPT", "Barneverntjenesten"} <= names
    roles = dict(analysis.stakeholders.values_list("name", "role"))
    assert roles["Barn"] == Stakeholder.Role.TARGET_GROUP
    assert roles["PPT"] == Stakeholder.Role.ACTOR
    titles = set(analysis.activities.values_list("title", flat=True))
    assert "Animasjonsfilm om reformene" in titles
    assert "Formidling av handlingsplanen til enhetsledere" in titles
    violence = StakeholderAnalysis.objects.get(
        title="Interessenter i arbeidet mot vold i nære relasjoner"
    )
    violence_names = set(violence.stakeholders.values_list("name", flat=True))
    assert {"Politiet", "Krisesenteret", "RVTS"} <= violence_names
    sources = set(
        ParticipationInput.objects.filter(plan=violence.plan).values_list("source", flat=True)
    )
    assert {"Heim eldreråd", "Heim ungdomsråd", "Politiet", "Krisesenteret", "RVTS"} <= sources
    # The texts tie only the child welfare plan's input to its measures.
    assert not ParticipationInput.objects.filter(
        plan=violence.plan, measures__isnull=False
    ).exists()
    assert ParticipationInput.objects.exclude(plan=violence.plan).get().measures.exists()
    # The coverage check runs on the loaded analysis: the texts describe information
    # activities, and no ownership activities yet, so the check flags them.
    coverage = selectors.analysis_coverage(analysis)
    assert coverage and any(row.missing_ownership for row in coverage)
    # OKS-gruppen followed Trøndelagsmodellen: seven steps, the first four verified.
    plan = Plan.objects.get(slug="handlingsplan-for-forebygging-av-omsorgssvikt-og-atferdsvansker")
    steps = plan_selectors.plan_steps(plan)
    assert [s.step.number for s in steps] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.step.name for s in steps[:4]] == [
        "Samfunnsoppdraget",
        "Klargjøre kunnskapsgrunnlaget",
        "Involvere og utvikle",
        "Planlegge tiltak",
    ]
    assert ProcessGroup.objects.filter(mandate_items__deadline=date(2022, 2, 1)).exists()


def test_heim_working_pages_render_for_an_admin(heim, admin_client):
    from django.urls import reverse

    for analysis in StakeholderAnalysis.objects.all():
        assert (
            admin_client.get(
                reverse("stakeholders:analysis_detail", args=[analysis.pk])
            ).status_code
            == 200
        )
    for group in ProcessGroup.objects.all():
        assert (
            admin_client.get(reverse("organisation:group_detail", args=[group.slug])).status_code
            == 200
        )
    for plan in Plan.objects.all():
        assert admin_client.get(reverse("plans:plan_work", args=[plan.slug])).status_code == 200


def test_admin_refuses_participation_on_an_adopted_plan(admin_client, db):
    from django.urls import reverse

    plan = PlanFactory()
    measure = MeasureFactory(plan=plan)
    url = reverse("admin:stakeholders_participationinput_add")
    data = {
        "plan": plan.pk,
        "source": "Eldrerådet",
        "summary": "Innspill",
        "measures": [measure.pk],
    }
    assert admin_client.post(url, data).status_code == 302
    plan_register_adoption(actor=None, plan=plan, meeting_date=date(2023, 1, 1))
    response = admin_client.post(url, {**data, "source": "Ungdomsrådet"})
    assert response.status_code == 400
    assert not ParticipationInput.objects.filter(source="Ungdomsrådet").exists()
    other = MeasureFactory()
    response = admin_client.post(url, {**data, "plan": PlanFactory().pk, "measures": [other.pk]})
    assert response.status_code == 400 and "measures" in response.context["adminform"].form.errors


@pytest.mark.parametrize("inputs", [2, 40])
def test_public_plan_page_with_participation_keeps_query_count(
    client, db, django_assert_max_num_queries, inputs
):
    plan = PlanFactory(slug="medvirkning")
    area = FocusAreaFactory(plan=plan)
    measures = [MeasureFactory(plan=plan, focus_area=area) for _ in range(inputs)]
    for i in range(inputs):
        services.participation_input_create(
            actor=None,
            plan=plan,
            data={"source": f"Råd {i}", "summary": "Innspill", "measures": measures[: i + 1]},
        )
    plan_register_adoption(actor=None, plan=plan, meeting_date=date(2023, 1, 1))
    with django_assert_max_num_queries(12):
        html = client.get("/planer/medvirkning/").content.decode()
    # The last input shaped every measure: shown on each, and once in the Medvirkning list.
    assert html.count(f"Råd {inputs - 1}<") + html.count(f"Råd {inputs - 1},") == inputs + 1


def test_admin_refuses_an_activity_done_in_the_future(admin_client, db):
    from django.urls import reverse

    analysis = StakeholderAnalysisFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = admin_client.post(
        reverse("admin:stakeholders_activity_add"),
        {
            "analysis": analysis.pk,
            "kind": "information",
            "title": "Nyhetsbrev",
            "channel": "newsletter",
            "completed_on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "completed_on" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()


def test_participation_input_update_and_delete_respect_both_plans(db):
    draft, other = PlanFactory(), PlanFactory()
    measure = MeasureFactory(plan=draft)
    participation = services.participation_input_create(
        actor=None,
        plan=draft,
        data={"source": "Eldrerådet", "summary": "Innspill", "measures": [measure]},
    )
    # Moving to another plan: the old plan's measures cannot follow.
    services.participation_input_update(
        actor=None, participation_input=participation, data={"plan": other}
    )
    participation.refresh_from_db()
    assert participation.plan == other and not participation.measures.exists()

    Plan.objects.filter(pk=other.pk).update(status=Plan.Status.ADOPTED)
    participation = ParticipationInput.objects.select_related("plan").get()
    with pytest.raises(ValidationError):
        services.participation_input_update(
            actor=None, participation_input=participation, data={"plan": draft}
        )
    with pytest.raises(ValidationError):
        services.participation_input_delete(actor=None, participation_input=participation)
    assert ParticipationInput.objects.get().plan == other

    Plan.objects.filter(pk=other.pk).update(status=Plan.Status.REVISION)
    participation = ParticipationInput.objects.select_related("plan").get()
    before = public_content_version()
    services.participation_input_delete(actor=None, participation_input=participation)
    assert not ParticipationInput.objects.exists()
    assert public_content_version() == before + 1


def test_stakeholder_and_analysis_delete_refused_while_heard_in_a_locked_plan(db):
    plan = PlanFactory()
    analysis = StakeholderAnalysisFactory(plan=plan)
    heard = StakeholderFactory(analysis=analysis)
    quiet = StakeholderFactory(analysis=analysis)
    services.participation_input_create(
        actor=None,
        plan=plan,
        data={"analysis": analysis, "stakeholder": heard, "source": "Rådet", "summary": "x"},
    )
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ADOPTED)
    assert services.stakeholder_delete_refusal(heard)
    assert services.stakeholder_delete_refusal(quiet) is None
    with pytest.raises(ValidationError):
        services.stakeholder_delete(actor=None, stakeholder=heard)
    with pytest.raises(ValidationError):
        services.analysis_delete(actor=None, analysis=analysis)
    before = public_content_version()
    services.stakeholder_delete(actor=None, stakeholder=quiet)
    assert public_content_version() == before  # working material only
    assert list(analysis.stakeholders.all()) == [heard]

    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.REVISION)
    services.analysis_delete(actor=None, analysis=analysis)
    assert not StakeholderAnalysis.objects.exists()
    participation = ParticipationInput.objects.get()
    assert participation.analysis is None and participation.stakeholder is None
    assert public_content_version() == before + 1


def test_finding_update_and_mandate_item_services(db):
    analysis = StakeholderAnalysisFactory()
    finding = services.finding_create(
        actor=None,
        analysis=analysis,
        data={"kind": "strength", "scope": "organisation", "text": "Gode nettverk"},
    )
    services.finding_update(actor=None, finding=finding, data={"kind": "weakness"})
    finding.refresh_from_db()
    assert finding.kind == "weakness"
    with pytest.raises(ValidationError):
        services.finding_update(actor=None, finding=finding, data={"kind": "nonsense"})
    with pytest.raises(TypeError):
        services.finding_update(actor=None, finding=finding, data={"analysis": analysis})

    from organisation.services import mandate_item_create, mandate_item_delete, mandate_item_update

    group = ProcessGroup.objects.create(name="Gruppe", slug="gruppe")
    item = mandate_item_create(
        actor=None, group=group, data={"text": "Lage plan", "status": "done"}
    )
    assert item.completed_on == timezone.localdate()
    mandate_item_update(
        actor=None, mandate_item=item, data={"text": "Lage planen", "status": "in_progress"}
    )
    item.refresh_from_db()
    assert (item.text, item.status, item.completed_on) == ("Lage planen", "in_progress", None)
    with pytest.raises(ValidationError):
        mandate_item_update(
            actor=None,
            mandate_item=item,
            data={"status": "done", "completed_on": timezone.localdate() + timedelta(days=1)},
        )
    mandate_item_delete(actor=None, mandate_item=item)
    assert not MandateItem.objects.exists()


def test_working_model_step_services(db):
    from plans.services import working_model_step_create, working_model_step_update

    model = WorkingModel.objects.create(name="Modell")
    step = working_model_step_create(
        actor=None, working_model=model, data={"number": 5, "name": "Steg fem"}
    )
    assert not step.name_verified
    working_model_step_update(
        actor=None,
        working_model_step=step,
        data={"name": "Gjennomføre", "name_verified": True},
    )
    step.refresh_from_db()
    assert (step.name, step.name_verified) == ("Gjennomføre", True)
    with pytest.raises(ValidationError):
        working_model_step_update(actor=None, working_model_step=step, data={"name": ""})
    with pytest.raises(ValidationError):
        working_model_step_create(
            actor=None, working_model=model, data={"number": 5, "name": "Dobbelt"}
        )
