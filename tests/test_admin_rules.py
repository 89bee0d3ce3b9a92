"""The admin is a back office inside the same rules (issue 12, findings 2 and 7).

History is read, never reverted; history pages, list filters and autocomplete show
only what the changelist shows; no history URL gives a 500. The last test walks every
admin endpoint of every model our apps register as an editor of another group.
"""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.db.models import Q
from django.test import Client
from django.urls import NoReverseMatch, reverse

from measures.models import Measure
from organisation.admin_rules import ScopedRulesMixin
from organisation.permissions import ROLE_EDITOR
from plans.models import Plan, WorkingModel, WorkingModelStep
from stakeholders.models import Stakeholder, StakeholderAnalysis
from tests.factories import (
    ActivityFactory,
    AdoptionFactory,
    FocusAreaFactory,
    LegalBasisFactory,
    MandateItemFactory,
    MeasureFactory,
    MembershipFactory,
    ParticipationInputFactory,
    PlanFactory,
    PlanSectionFactory,
    ProcessGroupFactory,
    ReformFactory,
    StakeholderAnalysisFactory,
    StakeholderFactory,
    StatusReportFactory,
    TargetGroupFactory,
    UnitFactory,
)
from tests.followup_world import build_world, user_with_role
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


# -- every admin endpoint of every model, as an editor of another group -------------

OUR_APPS = ("organisation", "plans", "measures", "stakeholders")
# Shared by every group: no group owns them, so model permissions alone rule them.
REFERENCE_DATA = {
    "organisation.Unit",
    "plans.LegalBasis",
    "plans.Reform",
    "plans.WorkingModel",
    "plans.WorkingModelStep",
    "measures.TargetGroup",
}
SECRET = "HEMMELIG"  # in every text of group B's draft work


def registered_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
        key=lambda model: model._meta.label,
    )


def build_two_groups():
    """Group A's editor, and group B's draft work: a row of every kind the admin shows."""
    unit = UnitFactory(name="Helsestasjon")
    legal_basis, reform = LegalBasisFactory(), ReformFactory()
    target_group = TargetGroupFactory()
    working_model = WorkingModel.objects.create(name="Modell")
    WorkingModelStep.objects.create(model=working_model, number=1, name="Kartlegge")

    group_a = ProcessGroupFactory(name="Gruppe A")
    editor = user_with_role("redaktor-a", ROLE_EDITOR)
    group_a.editors.add(editor)
    plan_a = PlanFactory(title="Utkast A", process_group=group_a)
    MeasureFactory(plan=plan_a, responsible_unit=unit)
    StakeholderFactory(analysis=StakeholderAnalysisFactory(process_group=group_a, plan=plan_a))

    group_b = ProcessGroupFactory(name=f"Gruppe {SECRET}", purpose=SECRET)
    MembershipFactory(group=group_b, unit=unit, person_name=f"Ola {SECRET}")
    MandateItemFactory(group=group_b, text=SECRET)
    plan = PlanFactory(
        title=f"Utkast {SECRET}",
        summary=SECRET,
        process_group=group_b,
        working_model=working_model,
    )
    plan.legal_bases.add(legal_basis)
    plan.reforms.add(reform)
    PlanSectionFactory(plan=plan, title=SECRET, body=SECRET)
    area = FocusAreaFactory(plan=plan, title=f"Område {SECRET}")
    measure = MeasureFactory(
        plan=plan,
        focus_area=area,
        title=f"Tiltak {SECRET}",
        description=SECRET,
        responsible_unit=unit,
    )
    measure.target_groups.add(target_group)
    StatusReportFactory(measure=measure, text=SECRET)
    # A draft with an adoption is what a revert of an adopted plan left behind.
    AdoptionFactory(plan=plan, decision_text=SECRET)
    analysis = StakeholderAnalysisFactory(
        title=f"Analyse {SECRET}", description=SECRET, process_group=group_b, plan=plan
    )
    stakeholder = StakeholderFactory(analysis=analysis, name=f"Interessent {SECRET}")
    activity = ActivityFactory(analysis=analysis, title=f"Aktivitet {SECRET}", message=SECRET)
    activity.stakeholders.add(stakeholder)
    participation = ParticipationInputFactory(
        plan=plan, analysis=analysis, stakeholder=stakeholder, source=f"Råd {SECRET}"
    )
    participation.measures.add(measure)
    return editor, group_b


def snapshot() -> dict:
    """Every row of our apps' tables: rows, their history and their links."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def rows_of_group(model_admin, group):
    """The model's rows that belong to ``group``'s unpublished work."""
    belongs = Q(pk__in=[])
    for lookup in model_admin.group_lookups:
        belongs |= Q(**{lookup: group.pk})
    rows = model_admin.model._default_manager.filter(belongs)
    if model_admin.public_status_lookup:
        rows = rows.exclude(**{f"{model_admin.public_status_lookup}__in": Plan.PUBLIC_STATUSES})
    return list(rows.order_by("pk"))


def edited_form_data(admin_client, obj) -> dict:
    """The object's change form as an administrator sees it, every text changed."""
    page = admin_client.get(admin_url(type(obj), "change", obj.pk))
    assert page.status_code == 200
    data = admin_form_data(page)
    for name, field in page.context["adminform"].form.fields.items():
        if isinstance(field, forms.CharField) and data.get(name):
            data[name] = f"{data[name]}-endret"
    return data


def autocomplete_sources(model):
    """(app_label, model_name, field_name) of every autocomplete widget listing ``model``."""
    for model_admin in admin.site._registry.values():
        sources = [(model_admin.model, model_admin.autocomplete_fields)]
        sources += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for source, names in sources:
            for name in names:
                if source._meta.get_field(name).remote_field.model is model:
                    yield source._meta.app_label, source._meta.model_name, name


def autocomplete_ids(client, source, term) -> set:
    app_label, model_name, field_name = source
    ids, page = set(), 1
    while True:
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
                "page": page,
            },
        )
        assert response.status_code == 200, source
        assert SECRET not in response.content.decode(), source
        body = response.json()
        ids |= {str(row["id"]) for row in body["results"]}
        if not body["pagination"]["more"]:
            return ids
        page += 1


def filter_choices(client, model) -> dict:
    """For each changelist's relation filter: the rows of ``model`` it offers."""
    offered = {}
    for listed in registered_models():
        response = client.get(admin_url(listed, "changelist"))
        assert response.status_code < 500
        if response.status_code != 200:
            continue
        assert SECRET not in response.content.decode(), listed
        for spec in response.context["cl"].filter_specs:
            field = getattr(spec, "field", None)
            if field is not None and field.is_relation and field.related_model is model:
                key = f"{listed._meta.label}.{spec.field_path}"
                offered[key] = {pk for pk, _label in spec.lookup_choices}
    return offered


class Refusals:
    """Requests as the editor; each must be refused, show nothing of B, change nothing."""

    def __init__(self, client):
        self.client = client
        self.before = snapshot()

    def refused(self, method, url, data=None):
        response = getattr(self.client, method)(url, data or {})
        assert response.status_code in (302, 403, 404), f"{method} {url}: {response.status_code}"
        assert SECRET not in response.content.decode(), f"{method} {url} shows group B's work"
        if response.status_code == 302:
            assert not response.url.startswith(url), f"{method} {url} answered as done"
        assert snapshot() == self.before, f"{method} {url} changed the database"
        return response

    def no_server_error(self, method, url, data=None):
        response = getattr(self.client, method)(url, data or {})
        assert response.status_code < 500, f"{method} {url}"
        assert SECRET not in response.content.decode(), f"{method} {url} shows group B's work"
        return response


def history_form_url(obj):
    record = obj.history.order_by("history_date", "history_id").first()
    return admin_url(type(obj), "simple_history", obj.pk, record.history_id)


def has_history_form(model) -> bool:
    try:
        admin_url(model, "simple_history", 1, 1)
    except NoReverseMatch:
        return False
    return True


@pytest.mark.parametrize("model", registered_models(), ids=lambda model: model._meta.label)
def test_an_editor_of_another_group_gets_nothing_from_any_admin_endpoint(model, admin_client):
    editor, group_b = build_two_groups()
    model_admin = admin.site._registry[model]
    client = client_of(editor)
    refusals = Refusals(client)

    if model._meta.label in REFERENCE_DATA:
        assert not getattr(model_admin, "group_lookups", ()), "reference data is not scoped"
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"build_two_groups() makes no {model._meta.label}"
        refusals.no_server_error("get", admin_url(model, "changelist"))
        refusals.no_server_error("get", admin_url(model, "change", obj.pk))
        refusals.no_server_error("get", admin_url(model, "history", obj.pk))
        if has_history_form(model):
            url = history_form_url(obj)
            refusals.no_server_error("get", url)
            data = edited_form_data(admin_client, obj)
            response = client.post(url, data)
            assert response.status_code in (302, 403, 404)
            assert snapshot() == refusals.before, "the editor reverted shared reference data"
        return

    # Every other model is group B's work: its admin must be scoped by the rules.
    assert isinstance(model_admin, ScopedRulesMixin) and model_admin.group_lookups, (
        f"{model._meta.label} is neither reference data nor scoped to process groups"
    )
    rows = rows_of_group(model_admin, group_b)
    assert rows, f"build_two_groups() makes no {model._meta.label} of group B's draft"
    obj = rows[0]
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200

    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    listed = {row.pk for row in changelist.context["cl"].result_list}
    assert not listed & {row.pk for row in rows}
    assert SECRET not in changelist.content.decode()
    searched = client.get(admin_url(model, "changelist"), {"q": SECRET})
    assert not searched.context["cl"].result_list

    data = edited_form_data(admin_client, obj)
    refusals.refused("get", admin_url(model, "change", obj.pk))
    refusals.refused("post", admin_url(model, "change", obj.pk), data)
    refusals.refused("get", admin_url(model, "history", obj.pk))
    if has_history_form(model):
        refusals.refused("get", history_form_url(obj))
        refusals.refused("post", history_form_url(obj), data)
    refusals.refused("get", admin_url(model, "delete", obj.pk))
    refusals.refused("post", admin_url(model, "delete", obj.pk), {"post": "yes"})
    client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk for row in rows], "post": "yes"},
    )
    assert snapshot() == refusals.before, "the delete action removed group B's rows"

    hidden = {str(row.pk) for row in rows}
    sources = list(autocomplete_sources(model))
    for source in sources:
        for term in ("", SECRET):
            assert not autocomplete_ids(client, source, term) & hidden, source
    for key, offered in filter_choices(client, model).items():
        assert not offered & {row.pk for row in rows}, f"the filter {key} offers group B's rows"
    assert snapshot() == refusals.before
