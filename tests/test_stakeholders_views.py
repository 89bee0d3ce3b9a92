"""The working pages under /arbeid/: access, coverage check, forms, mandate, steps."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.models import MandateItem
from plans.models import PlanStepProgress, WorkingModel, WorkingModelStep
from stakeholders.models import Activity, Finding, ParticipationInput, Stakeholder
from tests.factories import (
    ActivityFactory,
    MandateItemFactory,
    MeasureFactory,
    PlanFactory,
    ProcessGroupFactory,
    StakeholderAnalysisFactory,
    StakeholderFactory,
)
from tests.stakeholders_helpers import client_for, editor_of, measure_owner


@pytest.fixture
def work(db):
    """A group with a plan (following a two-step model), an analysis, a mandate item."""
    group = ProcessGroupFactory(slug="oks-gruppen")
    model = WorkingModel.objects.create(name="Modell")
    step1 = WorkingModelStep.objects.create(model=model, number=1, name="Samfunnsoppdraget")
    WorkingModelStep.objects.create(model=model, number=2, name="Klargjøre kunnskapsgrunnlaget")
    plan = PlanFactory(process_group=group, working_model=model, slug="planen")
    analysis = StakeholderAnalysisFactory(process_group=group, plan=plan)
    stakeholder = StakeholderFactory(analysis=analysis, name="Foreldre")
    activity = ActivityFactory(analysis=analysis)
    activity.stakeholders.add(stakeholder)
    item = MandateItemFactory(group=group)
    return {
        "group": group,
        "plan": plan,
        "analysis": analysis,
        "stakeholder": stakeholder,
        "activity": activity,
        "item": item,
        "step": step1,
    }


def _get_urls(w):
    a = w["analysis"].pk
    return [
        reverse("workspace"),
        reverse("stakeholders:analysis_detail", args=[a]),
        reverse("stakeholders:stakeholder_create", args=[a]),
        reverse("stakeholders:stakeholder_edit", args=[a, w["stakeholder"].pk]),
        reverse("stakeholders:quadrant_labels", args=[a]),
        reverse("stakeholders:activity_create", args=[a]),
        reverse("stakeholders:activity_edit", args=[a, w["activity"].pk]),
        reverse("stakeholders:participation_create", args=[a]),
        reverse("stakeholders:finding_create", args=[a]),
        reverse("stakeholders:register_csv", args=[a]),
        reverse("stakeholders:activities_csv", args=[a]),
        reverse("stakeholders:analysis_pdf", args=[a]),
        reverse("organisation:group_detail", args=[w["group"].slug]),
        reverse("plans:plan_work", args=[w["plan"].slug]),
    ]


def _post_urls(w):
    return [
        reverse("stakeholders:activity_done", args=[w["analysis"].pk, w["activity"].pk]),
        reverse("organisation:mandate_item_status", args=[w["group"].slug, w["item"].pk]),
        reverse("plans:plan_step_progress", args=[w["plan"].slug, w["step"].pk]),
    ]


def test_anonymous_visitors_never_see_working_pages(client, work):
    for url in _get_urls(work):
        assert url.startswith("/arbeid/")
        response = client.get(url)
        assert response.status_code == 302, url
        assert "next=" in response["Location"]
        assert work["analysis"].title not in response.content.decode()
    for url in _post_urls(work):
        assert client.post(url, {"status": "done", "completed_on": "2024-01-01"}).status_code == 302
    work["activity"].refresh_from_db()
    assert work["activity"].completed_on is None
    assert MandateItem.objects.get().status == MandateItem.Status.NOT_STARTED


def test_editor_of_another_group_and_measure_owner_get_403(work):
    outsider = client_for(editor_of(ProcessGroupFactory()))
    owner = client_for(measure_owner())
    for client in (outsider, owner):
        for url in _get_urls(work)[1:]:
            response = client.get(url)
            assert response.status_code == 403, url
            assert work["analysis"].title not in response.content.decode()
        for url in _post_urls(work):
            assert (
                client.post(url, {"status": "done", "completed_on": "2024-01-01"}).status_code
                == 403
            )
    # The start page is for everybody signed in, without this group's work.
    for client in (outsider, owner):
        response = client.get(reverse("workspace"))
        assert response.status_code == 200
        assert work["analysis"].title not in response.content.decode()
    assert Activity.objects.get().completed_on is None


def test_group_editor_and_admin_see_every_working_page(work, admin_client):
    editor = client_for(editor_of(work["group"]))
    for client in (editor, admin_client):
        for url in _get_urls(work):
            response = client.get(url)
            assert response.status_code == 200, url
    index = editor.get(reverse("workspace")).content.decode()
    assert work["analysis"].title in index and work["plan"].title in index


def test_coverage_check_flags_target_groups_without_activities(work):
    analysis = work["analysis"]
    covered = work["stakeholder"]  # has an information activity only
    bare = StakeholderFactory(analysis=analysis, name="Barn")
    StakeholderFactory(analysis=analysis, name="PPT", role=Stakeholder.Role.ACTOR)
    client = client_for(editor_of(work["group"]))
    url = reverse("stakeholders:analysis_detail", args=[analysis.pk])

    response = client.get(url)
    rows = {row.stakeholder.name: row for row in response.context["coverage"]}
    assert set(rows) == {"Foreldre", "Barn"}  # actors are not checked
    assert not rows["Foreldre"].missing_information and rows["Foreldre"].missing_ownership
    assert rows["Barn"].missing_information and rows["Barn"].missing_ownership
    html = response.content.decode()
    assert f'data-uncovered="{bare.pk}"' in html and f'data-uncovered="{covered.pk}"' in html

    ownership = ActivityFactory(analysis=analysis, kind=Activity.Kind.OWNERSHIP)
    ownership.stakeholders.add(covered, bare)
    info = ActivityFactory(analysis=analysis, kind=Activity.Kind.INFORMATION)
    info.stakeholders.add(bare)
    response = client.get(url)
    assert all(row.is_covered for row in response.context["coverage"])
    html = response.content.decode()
    assert "data-uncovered=" not in html and "coverage-ok" in html


def test_mark_activity_done_with_date_and_bad_dates_refused(work):
    client = client_for(editor_of(work["group"]))
    activity = work["activity"]
    url = reverse("stakeholders:activity_done", args=[work["analysis"].pk, activity.pk])
    assert client.post(url, {"completed_on": "2024-05-02"}).status_code == 302
    activity.refresh_from_db()
    assert activity.completed_on == date(2024, 5, 2)

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    for bad in ("not-a-date", "", tomorrow, "2024-13-45"):
        response = client.post(url, {"completed_on": bad}, follow=True)
        assert response.status_code == 400
        assert activity.title in response.content.decode()
        activity.refresh_from_db()
        assert activity.completed_on == date(2024, 5, 2)

    client.post(url, {"undo": "1"})
    activity.refresh_from_db()
    assert activity.completed_on is None


def test_add_and_edit_stakeholder_from_the_page(work):
    client = client_for(editor_of(work["group"]))
    analysis = work["analysis"]
    url = reverse("stakeholders:stakeholder_create", args=[analysis.pk])
    assert 'name="interest"' in client.get(url).content.decode()
    data = {
        "name": "Ungdomsrådet",
        "role": "actor",
        "category": "premise_provider",
        "attitude": "positive",
        "interest": "3",
        "influence": "2",
        "information_needs": "Hva planen betyr for unge.",
        "order": "0",
    }
    assert client.post(url, data).status_code == 302
    created = Stakeholder.objects.get(name="Ungdomsrådet")
    assert (created.interest, created.influence, created.analysis) == (3, 2, analysis)

    # A duplicate name and an out-of-range degree are refused on the form, nothing lost.
    response = client.post(url, {**data, "interest": "9"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert "Hva planen betyr for unge." in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 400 and response.context["form"].errors
    assert Stakeholder.objects.filter(name="Ungdomsrådet").count() == 1

    edit = reverse("stakeholders:stakeholder_edit", args=[analysis.pk, created.pk])
    client.post(edit, {**data, "influence": "0"})
    created.refresh_from_db()
    assert created.influence == 0

    # A stakeholder of another analysis is not reachable through this one.
    other = StakeholderFactory()
    assert (
        client.get(
            reverse("stakeholders:stakeholder_edit", args=[analysis.pk, other.pk])
        ).status_code
        == 404
    )


def test_quadrant_labels_are_editable(work):
    client = client_for(editor_of(work["group"]))
    analysis = work["analysis"]
    client.post(
        reverse("stakeholders:quadrant_labels", args=[analysis.pk]),
        {
            "label_manage_closely": "Samarbeide tett",
            "label_keep_satisfied": "Holde tilfreds",
            "label_keep_informed": "Holde orientert",
            "label_monitor": "Følge med",
        },
    )
    html = client.get(reverse("stakeholders:analysis_detail", args=[analysis.pk])).content.decode()
    assert "Samarbeide tett" in html and "Følge med" in html


def test_add_activity_for_a_target_group(work):
    client = client_for(editor_of(work["group"]))
    analysis = work["analysis"]
    stakeholder = work["stakeholder"]
    url = reverse("stakeholders:activity_create", args=[analysis.pk])
    response = client.get(f"{url}?kind=ownership&stakeholder={stakeholder.pk}")
    assert response.context["form"].initial["kind"] == "ownership"
    response = client.post(
        url,
        {
            "kind": "ownership",
            "title": "Verksted med foreldre",
            "channel": "workshop",
            "stakeholders": [stakeholder.pk],
            "timing": "Våren 2025",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Verksted med foreldre")
    assert list(activity.stakeholders.all()) == [stakeholder]
    # A stakeholder of another analysis cannot be chosen.
    foreign = StakeholderFactory()
    response = client.post(
        url,
        {"kind": "information", "title": "X", "channel": "web", "stakeholders": [foreign.pk]},
    )
    assert response.status_code == 400 and "stakeholders" in response.context["form"].errors


def test_participation_input_from_the_page_reaches_the_public_page(work, client):
    plan = work["plan"]
    measure = MeasureFactory(plan=plan, title="Kurs for foreldre")
    editor = client_for(editor_of(work["group"]))
    response = editor.post(
        reverse("stakeholders:participation_create", args=[work["analysis"].pk]),
        {
            "source": "Heim ungdomsråd",
            "received_on": "2023-03-01",
            "summary": "Ønsker kurs på kveldstid.",
            "measures": [measure.pk],
        },
    )
    assert response.status_code == 302
    participation = ParticipationInput.objects.get()
    assert list(participation.measures.all()) == [measure]
    assert participation.plan == plan

    # The editor sees the draft plan page with the input behind the measure.
    html = editor.get(plan.get_absolute_url()).content.decode()
    assert 'id="participation"' in html and "Heim ungdomsråd" in html


def test_mandate_items_overdue_vs_not(work):
    today = timezone.localdate()
    group = work["group"]
    late = MandateItemFactory(group=group, deadline=today - timedelta(days=1), text="Sen")
    due = MandateItemFactory(group=group, deadline=today + timedelta(days=10), text="Snart")
    done_late = MandateItemFactory(
        group=group,
        deadline=today - timedelta(days=30),
        status=MandateItem.Status.DONE,
        text="Ferdig",
    )
    assert late.is_overdue() and not due.is_overdue() and not done_late.is_overdue()
    client = client_for(editor_of(group))
    html = client.get(reverse("organisation:group_detail", args=[group.slug])).content.decode()
    assert f'id="mandate-{late.pk}" class="mandate-item table-danger" data-overdue="true"' in html
    assert f'id="mandate-{due.pk}" class="mandate-item" data-overdue="false"' in html
    assert f'id="mandate-{done_late.pk}" class="mandate-item" data-overdue="false"' in html
    assert html.count("overdue-flag") == 1

    url = reverse("organisation:mandate_item_status", args=[group.slug, late.pk])
    client.post(url, {"status": "done"})
    late.refresh_from_db()
    assert late.status == "done" and late.completed_on == today and not late.is_overdue()
    response = client.post(url, {"status": "bogus"}, follow=True)
    assert response.status_code == 400
    late.refresh_from_db()
    assert late.status == "done"


def test_group_page_links_plans_and_analyses(work):
    client = client_for(editor_of(work["group"]))
    html = client.get(
        reverse("organisation:group_detail", args=[work["group"].slug])
    ).content.decode()
    assert reverse("plans:plan_work", args=[work["plan"].slug]) in html
    assert reverse("stakeholders:analysis_detail", args=[work["analysis"].pk]) in html


def test_plan_work_page_steps_done_and_editable(work):
    client = client_for(editor_of(work["group"]))
    plan, step = work["plan"], work["step"]
    url = reverse("plans:plan_work", args=[plan.slug])
    html = client.get(url).content.decode()
    assert 'data-step="1" data-done="false"' in html and 'data-step="2" data-done="false"' in html

    post = reverse("plans:plan_step_progress", args=[plan.slug, step.pk])
    client.post(post, {"done": "on", "completed_on": "2023-01-15", "note": "Ferdig"})
    progress = PlanStepProgress.objects.get(plan=plan, step=step)
    assert progress.completed_on == date(2023, 1, 15) and progress.note == "Ferdig"
    html = client.get(url).content.decode()
    assert 'data-step="1" data-done="true"' in html

    client.post(post, {"completed_on": "not a date"}, follow=True)
    progress.refresh_from_db()
    assert progress.completed_on == date(2023, 1, 15)
    client.post(post, {"note": "Åpnet igjen"})
    progress.refresh_from_db()
    assert progress.completed_on is None

    # A step of another model is not part of this plan.
    other = WorkingModelStep.objects.create(
        model=WorkingModel.objects.create(name="Annen"), number=1, name="X"
    )
    assert (
        client.post(reverse("plans:plan_step_progress", args=[plan.slug, other.pk])).status_code
        == 404
    )


def test_403_page_is_friendly_and_in_the_layout(work):
    response = client_for(measure_owner()).get(
        reverse("stakeholders:analysis_detail", args=[work["analysis"].pk])
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "<main" in html and 'href="/"' in html


def _fill(work, size):
    analysis, plan = work["analysis"], work["plan"]
    measures = [MeasureFactory(plan=plan) for _ in range(3)]
    start = analysis.stakeholders.count()
    for i in range(start, start + size):
        s = StakeholderFactory(analysis=analysis, interest=i % 4, influence=(i // 4) % 4)
        kind = Activity.Kind.OWNERSHIP if i % 2 else Activity.Kind.INFORMATION
        a = ActivityFactory(analysis=analysis, kind=kind)
        a.stakeholders.add(s, work["stakeholder"])
        p = ParticipationInput.objects.create(
            plan=plan, analysis=analysis, source=f"R{i}", summary="x"
        )
        p.measures.set(measures)
        Finding.objects.create(analysis=analysis, kind=Finding.Kind.STRENGTH, text=f"S{i}")
        MandateItemFactory(group=work["group"])


def test_working_pages_query_counts_do_not_grow(work):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(editor_of(work["group"]))
    urls = [
        reverse("stakeholders:analysis_detail", args=[work["analysis"].pk]),
        reverse("stakeholders:register_csv", args=[work["analysis"].pk]),
        reverse("stakeholders:activities_csv", args=[work["analysis"].pk]),
        reverse("organisation:group_detail", args=[work["group"].slug]),
        reverse("plans:plan_work", args=[work["plan"].slug]),
        reverse("workspace"),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    _fill(work, 3)
    small = counts()
    _fill(work, 80)
    assert counts() == small
    assert max(small) <= 16


def test_finding_form(work):
    client = client_for(editor_of(work["group"]))
    url = reverse("stakeholders:finding_create", args=[work["analysis"].pk])
    response = client.post(url, {"kind": "weakness", "scope": "community", "text": "Lite kjent"})
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.analysis == work["analysis"] and finding.kind == "weakness"
    response = client.post(url, {"kind": "nonsense", "scope": "community", "text": "Beholdt"})
    assert response.status_code == 400 and "Beholdt" in response.content.decode()
