"""Editing and deleting on the working pages: confirmation, permissions, services."""

from unittest import mock

import pytest
from django.urls import reverse

from core.publishing import public_content_version
from plans.models import Plan, WorkingModel, WorkingModelStep
from stakeholders import services
from stakeholders.models import Activity, Finding, ParticipationInput, Stakeholder
from tests.factories import (
    ActivityFactory,
    MeasureFactory,
    PlanFactory,
    ProcessGroupFactory,
    StakeholderAnalysisFactory,
    StakeholderFactory,
)
from tests.stakeholders_helpers import client_for, editor_of, measure_owner


@pytest.fixture
def work(db):
    group = ProcessGroupFactory()
    model = WorkingModel.objects.create(name="Trøndelagsmodellen")
    step = WorkingModelStep.objects.create(model=model, number=5, name="Gjennomføre")
    plan = PlanFactory(process_group=group, working_model=model)
    analysis = StakeholderAnalysisFactory(process_group=group, plan=plan)
    stakeholder = StakeholderFactory(analysis=analysis, name="Foreldre")
    other = StakeholderFactory(analysis=analysis, name="Barn")
    activity = ActivityFactory(analysis=analysis, title="Informasjonsvideo")
    activity.stakeholders.add(stakeholder, other)
    measure = MeasureFactory(plan=plan, title="Kurs for foreldre")
    participation = services.participation_input_create(
        actor=None,
        plan=plan,
        data={
            "analysis": analysis,
            "stakeholder": other,
            "source": "Ungdomsrådet",
            "summary": "Ønsker kurs.",
            "measures": [measure],
        },
    )
    finding = Finding.objects.create(analysis=analysis, kind="strength", text="Gode nettverk")
    return {
        "group": group,
        "plan": plan,
        "analysis": analysis,
        "stakeholder": stakeholder,
        "other": other,
        "activity": activity,
        "measure": measure,
        "participation": participation,
        "finding": finding,
        "step": step,
    }


def a_url(name, w, *args):
    return reverse(f"stakeholders:{name}", args=[w["analysis"].pk, *args])


def _urls(w):
    """Every new page: (url, POST data that would change something)."""
    return [
        (a_url("stakeholder_delete", w, w["stakeholder"].pk), {}),
        (a_url("activity_delete", w, w["activity"].pk), {}),
        (
            a_url("participation_edit", w, w["participation"].pk),
            {"source": "Kapret", "summary": "Kapret"},
        ),
        (a_url("participation_delete", w, w["participation"].pk), {}),
        (
            a_url("finding_edit", w, w["finding"].pk),
            {"kind": "weakness", "scope": "community", "text": "Kapret"},
        ),
        (a_url("finding_delete", w, w["finding"].pk), {}),
        (
            reverse("plans:plan_step_edit", args=[w["plan"].slug, w["step"].pk]),
            {"name": "Kapret", "description": ""},
        ),
    ]


def _nothing_changed(w):
    assert Stakeholder.objects.count() == 2 and Activity.objects.count() == 1
    participation = ParticipationInput.objects.get()
    assert participation.source == "Ungdomsrådet"
    assert Finding.objects.get().text == "Gode nettverk"
    assert WorkingModelStep.objects.get(pk=w["step"].pk).name == "Gjennomføre"


def test_anonymous_visitors_never_see_or_change_anything(client, work):
    for url, data in _urls(work):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response["Location"], url
        assert client.post(url, data).status_code == 302
    _nothing_changed(work)


def test_editor_of_another_group_and_measure_owner_get_403(work):
    for user in (editor_of(ProcessGroupFactory()), measure_owner()):
        client = client_for(user)
        for url, data in _urls(work):
            response = client.get(url)
            assert response.status_code == 403, url
            assert "Foreldre" not in response.content.decode()
            assert client.post(url, data).status_code == 403, url
    _nothing_changed(work)


def test_group_editor_sees_every_new_page_and_links_to_them(work, admin_client):
    editor = client_for(editor_of(work["group"]))
    for client in (editor, admin_client):
        for url, _data in _urls(work):
            assert client.get(url).status_code == 200, url
    _nothing_changed(work)  # a GET never deletes
    html = editor.get(reverse("stakeholders:analysis_detail", args=[work["analysis"].pk])).content
    html = html.decode()
    for url, _data in _urls(work)[:-1]:
        assert f'href="{url}"' in html, url
    plan_page = editor.get(reverse("plans:plan_work", args=[work["plan"].slug])).content.decode()
    assert f'href="{_urls(work)[-1][0]}"' in plan_page


def test_delete_stakeholder_after_confirmation(work):
    client = client_for(editor_of(work["group"]))
    url = a_url("stakeholder_delete", work, work["stakeholder"].pk)
    page = client.get(url)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    with mock.patch.object(
        services, "stakeholder_delete", wraps=services.stakeholder_delete
    ) as delete:
        response = client.post(url)
    assert response.status_code == 302 and delete.call_count == 1
    assert not Stakeholder.objects.filter(pk=work["stakeholder"].pk).exists()
    # The activity stays, aimed at the remaining stakeholder.
    assert list(work["activity"].stakeholders.all()) == [work["other"]]
    # Gone now, and never reachable through another analysis.
    assert client.post(url).status_code == 404
    foreign = StakeholderFactory()
    assert client.get(a_url("stakeholder_delete", work, foreign.pk)).status_code == 404


def test_stakeholder_heard_in_an_adopted_plan_cannot_be_deleted(work):
    Plan.objects.filter(pk=work["plan"].pk).update(status=Plan.Status.ADOPTED)
    client = client_for(editor_of(work["group"]))
    url = a_url("stakeholder_delete", work, work["other"].pk)
    page = client.get(url)
    assert page.status_code == 200 and "delete-refused" in page.content.decode()
    assert 'method="post"' not in page.content.decode().split("<main")[1]
    assert client.post(url).status_code == 400
    assert Stakeholder.objects.filter(pk=work["other"].pk).exists()


def test_delete_activity_after_confirmation(work):
    client = client_for(editor_of(work["group"]))
    url = a_url("activity_delete", work, work["activity"].pk)
    assert client.get(url).status_code == 200 and Activity.objects.exists()
    assert client.post(url).status_code == 302
    assert not Activity.objects.exists()
    assert Stakeholder.objects.count() == 2


def test_edit_participation_input_reaches_the_public_page(work):
    client = client_for(editor_of(work["group"]))
    participation, plan = work["participation"], work["plan"]
    second = MeasureFactory(plan=plan, title="Nattravn")
    url = a_url("participation_edit", work, participation.pk)
    page = client.get(url)
    assert page.context["form"].initial["source"] == "Ungdomsrådet"
    before = public_content_version()
    response = client.post(
        url,
        {
            "source": "Heim ungdomsråd",
            "summary": "Ønsker kurs og nattravn.",
            "received_on": "2023-03-01",
            "stakeholder": work["other"].pk,
            "measures": [second.pk],
        },
    )
    assert response.status_code == 302
    assert public_content_version() > before
    participation.refresh_from_db()
    assert participation.source == "Heim ungdomsråd"
    assert list(participation.measures.all()) == [second]
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Heim ungdomsråd" in html

    # A measure of another plan and garbage are refused on the form, nothing lost.
    for bad in (
        {"measures": [MeasureFactory().pk]},
        {"received_on": "2023-02-31"},
        {"stakeholder": "x"},
        {"source": ""},
    ):
        data = {"source": "Endret", "summary": "Beholdt tekst", **bad}
        response = client.post(url, data)
        assert response.status_code == 400 and response.context["form"].errors, bad
        assert "Beholdt tekst" in response.content.decode()
    participation.refresh_from_db()
    assert participation.source == "Heim ungdomsråd"


def test_participation_input_of_an_adopted_plan_is_locked(work):
    Plan.objects.filter(pk=work["plan"].pk).update(status=Plan.Status.ADOPTED)
    client = client_for(editor_of(work["group"]))
    participation = work["participation"]
    edit = a_url("participation_edit", work, participation.pk)
    response = client.post(edit, {"source": "Endret", "summary": "Endret"})
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    delete = a_url("participation_delete", work, participation.pk)
    assert "delete-refused" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 400
    participation.refresh_from_db()
    assert participation.source == "Ungdomsrådet"


def test_delete_participation_input(work):
    client = client_for(editor_of(work["group"]))
    before = public_content_version()
    assert (
        client.post(a_url("participation_delete", work, work["participation"].pk)).status_code
        == 302
    )
    assert not ParticipationInput.objects.exists()
    assert public_content_version() == before + 1
    client.get(a_url("analysis_detail", work))  # shows (and uses up) the "deleted" message
    assert "Ungdomsrådet" not in client.get(work["plan"].get_absolute_url()).content.decode()


def test_edit_and_delete_strengths_and_weaknesses(work):
    client = client_for(editor_of(work["group"]))
    finding = work["finding"]
    url = a_url("finding_edit", work, finding.pk)
    response = client.post(url, {"kind": "weakness", "scope": "community", "text": "Lite kjent"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.kind, finding.scope, finding.text) == ("weakness", "community", "Lite kjent")
    response = client.post(url, {"kind": "nonsense", "scope": "x", "text": "Beholdt"})
    assert response.status_code == 400 and "Beholdt" in response.content.decode()
    finding.refresh_from_db()
    assert finding.kind == "weakness"

    other = Finding.objects.create(analysis=StakeholderAnalysisFactory(), kind="strength", text="X")
    assert client.get(a_url("finding_edit", work, other.pk)).status_code == 404
    assert client.post(a_url("finding_delete", work, other.pk)).status_code == 404
    assert client.post(a_url("finding_delete", work, finding.pk)).status_code == 302
    assert list(Finding.objects.all()) == [other]


def test_rename_a_step_of_the_working_model_on_the_plan_work_page(work):
    client = client_for(editor_of(work["group"]))
    plan, step = work["plan"], work["step"]
    PlanFactory(working_model=plan.working_model, title="Folkehelseplan")
    url = reverse("plans:plan_step_edit", args=[plan.slug, step.pk])
    page = client.get(url).content.decode()
    assert "Folkehelseplan" in page and "shared-model" in page  # who else sees the change

    response = client.post(
        url,
        {"name": "Iverksette", "description": "Tiltakene settes i verk.", "name_verified": "on"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.name, step.description, step.name_verified) == (
        "Iverksette",
        "Tiltakene settes i verk.",
        True,
    )
    html = client.get(reverse("plans:plan_work", args=[plan.slug])).content.decode()
    assert "Iverksette" in html and "Tiltakene settes i verk." in html

    response = client.post(url, {"name": "", "description": "Beholdt"})
    assert response.status_code == 400 and "Beholdt" in response.content.decode()
    response = client.post(url, {"name": "x" * 500})
    assert response.status_code == 400
    step.refresh_from_db()
    assert step.name == "Iverksette"

    foreign = WorkingModelStep.objects.create(
        model=WorkingModel.objects.create(name="Annen"), number=1, name="X"
    )
    assert (
        client.get(reverse("plans:plan_step_edit", args=[plan.slug, foreign.pk])).status_code == 404
    )
    assert (
        client.get(reverse("plans:plan_step_edit", args=["finnes-ikke", step.pk])).status_code
        == 404
    )


def test_new_pages_query_counts_do_not_grow(work):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(editor_of(work["group"]))
    urls = [url for url, _data in _urls(work)]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    def fill(n):
        analysis, plan = work["analysis"], work["plan"]
        for i in range(n):
            StakeholderFactory(analysis=analysis)
            MeasureFactory(plan=plan)
            PlanFactory(working_model=plan.working_model)
            ActivityFactory(analysis=analysis).stakeholders.add(work["stakeholder"])
            Finding.objects.create(analysis=analysis, kind="weakness", text=f"W{i}")

    fill(2)
    small = counts()
    fill(40)
    assert counts() == small
