"""The admin's choices: what was typed comes first, and a measure's focus area is its plan's."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from organisation.permissions import ROLE_ADMINISTRATOR
from tests.factories import FocusAreaFactory, MeasureFactory, PlanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_admin(client):
    user = UserFactory(username="planadmin", is_staff=True)
    user.groups.add(Group.objects.get(name=ROLE_ADMINISTRATOR))
    client.force_login(user)
    return client


def test_autocomplete_puts_the_exact_and_prefix_matches_first(plan_admin):
    for name in ("Barnehelse", "Helsestasjon", "Folkehelse", "Helse"):
        UnitFactory(name=name)
    response = plan_admin.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "measures",
            "model_name": "measure",
            "field_name": "responsible_unit",
            "term": "helse",
        },
    )
    assert response.status_code == 200
    names = [row["text"] for row in response.json()["results"]]
    assert names[:2] == ["Helse", "Helsestasjon"]
    assert set(names[2:]) == {"Barnehelse", "Folkehelse"}


def test_a_measures_focus_area_choices_are_its_plans_own_named_with_the_plan(plan_admin):
    plan, other = PlanFactory(title="Planen"), PlanFactory(title="Den andre")
    own = FocusAreaFactory(plan=plan, title="Tidlig innsats")
    FocusAreaFactory(plan=other, title="Tidlig innsats")
    measure = MeasureFactory(plan=plan, focus_area=own)
    page = plan_admin.get(reverse("admin:measures_measure_change", args=[measure.pk]))
    field = page.context["adminform"].form.fields["focus_area"]
    assert [label for value, label in field.choices if value] == ["Planen – Tidlig innsats"]


def test_an_adopted_plans_measure_is_shown_read_only_with_the_reason(plan_admin):
    from plans.services import plan_register_adoption

    plan = PlanFactory(title="Vedtatt")
    measure = MeasureFactory(plan=plan, focus_area=FocusAreaFactory(plan=plan), title="Låst")
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    page = plan_admin.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "title" not in form.fields and "description" not in form.fields
    assert "låst" in " ".join(str(m) for m in page.context["messages"]).casefold()
    response = plan_admin.post(url, {"title": "Endret", "loaded_version": measure.edit_version})
    measure.refresh_from_db()
    assert measure.title == "Låst"
    assert response.status_code in (200, 302, 400, 403)
