"""The admin is a back office inside the same rules (issue 12, findings 2 and 7).

History is read, never reverted; history pages, list filters and autocomplete show
only what the changelist shows; no history URL gives a 500.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from measures.models import Measure
from plans.models import Plan
from stakeholders.models import Stakeholder, StakeholderAnalysis
from tests.factories import StakeholderAnalysisFactory, StakeholderFactory
from tests.followup_world import build_world
from tests.stakeholders_helpers import admin_form_data

pytestmark = pytest.mark.django_db


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_values(obj) -> dict:
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()


def oldest_record(obj):
    return obj.history.order_by("history_date", "history_id").first()


def change_form_data(client, obj) -> dict:
    """The object's change form as an administrator's browser would post it."""
    page = client.get(admin_url(type(obj), "change", obj.pk))
    assert page.status_code == 200
    return admin_form_data(page)


# -- finding 2: revert bypasses every rule ---------------------------------------


def _group_y_rows(world):
    """Group Y's work, and the field that would move each row to group X."""
    analysis = StakeholderAnalysisFactory(title="Analyse vold", process_group=world.group_y)
    analysis_x = world.analysis_x
    return {
        "plan": (world.published_y, {"process_group": world.group_x.pk, "title": "Flyttet"}),
        "measure": (world.measure_pub, {"plan": world.draft_x.pk, "title": "Flyttet"}),
        "analysis": (analysis, {"process_group": world.group_x.pk, "title": "Flyttet"}),
        "stakeholder": (
            StakeholderFactory(analysis=analysis, name="Foreldre vold"),
            {"analysis": analysis_x.pk, "name": "Flyttet"},
        ),
    }


@pytest.mark.parametrize("kind", ["plan", "measure", "analysis", "stakeholder"])
def test_an_editor_cannot_revert_another_groups_row_through_history(kind, admin_client):
    """Finding 2: POSTing an old version moved group Y's adopted plan to group X, as a draft."""
    world = build_world()
    obj, move_to_x = _group_y_rows(world)[kind]
    data = {**change_form_data(admin_client, obj), **move_to_x}
    before = row_values(obj)
    record = oldest_record(obj)
    url = admin_url(type(obj), "simple_history", obj.pk, record.history_id)

    response = client_of(world.editor_x).post(url, data)

    assert response.status_code in (302, 403, 404)
    assert row_values(obj) == before
    if kind == "plan":
        obj.refresh_from_db()
        assert obj.status == Plan.Status.ADOPTED
        assert obj.process_group == world.group_y


def test_nobody_reverts_history_not_even_a_plan_administrator(admin_client):
    """Reverting would write the old row past the lifecycle services and the text lock."""
    world = build_world()
    plan = world.published_y
    record = oldest_record(plan)  # the draft it was before adoption
    assert record.status == Plan.Status.DRAFT
    data = change_form_data(admin_client, plan)
    before = row_values(plan)
    url = admin_url(Plan, "simple_history", plan.pk, record.history_id)

    for user in (world.admin, world.editor_y):
        response = client_of(user).post(url, data, follow=True)
        assert response.status_code == 200
        assert "ikke" in " ".join(str(m) for m in response.context["messages"])
        assert row_values(plan) == before

    page = client_of(world.admin).get(url)
    assert page.status_code == 200
    assert page.context["revert_disabled"]
    assert 'name="_save"' not in page.content.decode()


def test_history_pages_of_another_groups_draft_are_closed(admin_client):
    """Finding 2: the history list and the version page showed group Y's draft to group X."""
    world = build_world()
    editor = client_of(world.editor_x)
    for obj in (world.draft_y, world.measure_y):
        record = oldest_record(obj)
        for url in (
            admin_url(type(obj), "history", obj.pk),
            admin_url(type(obj), "simple_history", obj.pk, record.history_id),
        ):
            response = editor.get(url)
            assert response.status_code in (302, 403, 404), url
            assert str(obj) not in response.content.decode()
        # Their own group's editor and the administrator read it.
        for user in (world.editor_y, world.admin):
            assert client_of(user).get(admin_url(type(obj), "history", obj.pk)).status_code == 200
            url = admin_url(type(obj), "simple_history", obj.pk, record.history_id)
            assert client_of(user).get(url).status_code == 200


def test_history_of_a_deleted_row_follows_the_rules_of_its_last_version():
    world = build_world()
    pk = world.measure_y.pk
    Measure.objects.get(pk=pk).delete()
    url = admin_url(Measure, "history", pk)
    assert client_of(world.editor_x).get(url).status_code in (302, 403, 404)
    assert client_of(world.editor_y).get(url).status_code == 200
    assert client_of(world.admin).get(url).status_code == 200


def _filter_choices(response, field_name) -> set:
    """The rows a list filter offers (shown when it offers more than one)."""
    for spec in response.context["cl"].filter_specs:
        if getattr(spec, "field_path", None) == field_name:
            return {pk for pk, _label in spec.lookup_choices}
    raise AssertionError(f"no filter on {field_name}")


def test_list_filters_offer_only_plans_and_analyses_the_user_may_see():
    """Finding 2: the "by plan" and "by analysis" filters named every draft."""
    world = build_world()
    analysis_y = StakeholderAnalysisFactory(title="Analyse vold", process_group=world.group_y)
    analysis_x2 = StakeholderAnalysisFactory(process_group=world.group_x)
    for analysis in (analysis_y, world.analysis_x, analysis_x2):
        StakeholderFactory(analysis=analysis)

    editor = client_of(world.editor_x)
    page = editor.get(admin_url(Measure, "changelist"))
    assert _filter_choices(page, "plan") == {world.draft_x.pk, world.published_y.pk}
    assert world.draft_y.title not in page.content.decode()
    page = editor.get(admin_url(Stakeholder, "changelist"))
    assert _filter_choices(page, "analysis") == {world.analysis_x.pk, analysis_x2.pk}
    assert analysis_y.title not in page.content.decode()

    everything = client_of(world.admin)
    page = everything.get(admin_url(Measure, "changelist"))
    assert _filter_choices(page, "plan") == set(Plan.objects.values_list("pk", flat=True))
    page = everything.get(admin_url(Stakeholder, "changelist"))
    assert _filter_choices(page, "analysis") == set(
        StakeholderAnalysis.objects.values_list("pk", flat=True)
    )


def _autocomplete_ids(client, app_label, model_name, field_name, term="") -> set:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {int(row["id"]) for row in response.json()["results"]}


def test_autocomplete_offers_only_what_the_user_may_see():
    world = build_world()
    analysis_y = StakeholderAnalysisFactory(process_group=world.group_y)
    editor = client_of(world.editor_x)
    plans = _autocomplete_ids(editor, "measures", "measure", "plan")
    assert plans == {world.draft_x.pk, world.published_y.pk}
    analyses = _autocomplete_ids(editor, "stakeholders", "stakeholder", "analysis")
    assert analyses == {world.analysis_x.pk}
    everything = client_of(world.admin)
    analyses = _autocomplete_ids(everything, "stakeholders", "stakeholder", "analysis")
    assert analyses == {world.analysis_x.pk, analysis_y.pk}


def test_plan_status_changes_only_through_the_lifecycle(admin_client):
    """The status is read-only in the change form; a posted status is ignored."""
    world = build_world()
    plan = world.published_y
    page = admin_client.get(admin_url(Plan, "change", plan.pk))
    assert "status" not in page.context["adminform"].form.fields
    assert "status" in page.context["adminform"].readonly_fields
    data = {**admin_form_data(page), "status": Plan.Status.DRAFT}
    admin_client.post(admin_url(Plan, "change", plan.pk), data)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ADOPTED


# -- finding 7: history URLs that gave a 500 ---------------------------------------


def test_history_urls_with_ids_that_are_not_numbers_are_404(admin_client):
    world = build_world()
    plan = world.published_y
    record = oldest_record(plan)
    for object_id, history_id in (
        (plan.pk, "abc"),
        ("abc", record.history_id),
        (plan.pk, "9" * 30),
        (plan.pk, "-1"),
    ):
        url = f"/admin/plans/plan/{object_id}/history/{history_id}/"
        assert admin_client.get(url).status_code == 404, url
        assert admin_client.post(url).status_code == 404, url


def test_history_version_page_of_an_adopted_plan_opens_read_only(admin_client):
    """Finding 7: the version page of an adopted plan failed (its prefilled slug had no title)."""
    world = build_world()
    plan = world.published_y
    for record in plan.history.all():
        response = admin_client.get(admin_url(Plan, "simple_history", plan.pk, record.history_id))
        assert response.status_code == 200
        form = response.context["adminform"]
        assert not form.form.fields  # nothing to edit
        assert {"title", "slug", "status"} <= set(form.readonly_fields)
        assert record.title in response.content.decode()
