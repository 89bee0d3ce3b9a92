"""Ids no row can have (too big, not a number) and rows whose parent is gone: no 500."""

from django.contrib.auth.models import Group
from django.test import Client

from organisation.permissions import ROLE_EDITOR
from plans.models import Plan
from stakeholders.models import Stakeholder
from tests.factories import PlanFactory, StakeholderFactory, UserFactory

HUGE = "9" * 30


def test_in_lookup_ignores_ids_no_integer_column_can_hold(db):
    plan = PlanFactory()
    assert list(Plan.objects.filter(pk__in=[HUGE])) == []
    assert list(Plan.objects.filter(pk__in=["abc", "\x00"])) == []
    assert list(Plan.objects.filter(pk__in=[HUGE, str(plan.pk)])) == [plan]
    assert list(Plan.objects.filter(pk__in=[-(10**30), plan.pk])) == [plan]


def test_admin_action_on_ids_that_cannot_exist(admin_client):
    plan = PlanFactory()
    response = admin_client.post(
        "/admin/plans/plan/",
        {"action": "delete_selected", "_selected_action": [HUGE, "abc"], "post": "yes"},
    )
    assert response.status_code < 500
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_many_to_many_field_with_a_huge_id_is_a_form_error(admin_client):
    response = admin_client.post("/admin/auth/group/add/", {"name": "x", "permissions": [HUGE]})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["permissions"]
    assert not Group.objects.filter(name="x").exists()


def test_admin_add_page_with_bad_initial_ids(admin_client):
    assert admin_client.get(f"/admin/measures/measure/add/?focus_area={HUGE}").status_code == 200
    assert admin_client.post("/admin/measures/focusarea/add/", {"plan": "abc"}).status_code == 400


def test_history_page_of_a_non_numeric_id_redirects_like_the_change_page(admin_client):
    response = admin_client.get("/admin/plans/plan/abc/history/")
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_history_of_a_stakeholder_whose_analysis_was_deleted(admin_client):
    stakeholder = StakeholderFactory()
    stakeholder.analysis.delete()
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    url = f"/admin/stakeholders/stakeholder/{stakeholder.pk}/history/"
    assert admin_client.get(url).status_code == 200

    editor = UserFactory(username="redaktor", is_staff=True)
    editor.groups.add(Group.objects.get(name=ROLE_EDITOR))
    client = Client()
    client.force_login(editor)
    assert client.get(url).status_code < 500


def test_sign_in_with_a_very_long_username_is_a_form_error(client, db):
    response = client.post("/logg-inn/", {"username": "ø" * 5000, "password": "x"})
    assert response.status_code == 200
