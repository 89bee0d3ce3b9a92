"""Every admin page loads, and list pages do not grow their query count with rows."""

import pytest
from django.contrib import admin
from django.urls import reverse

from plans.models import Plan
from tests.factories import (
    ActivityFactory,
    FocusAreaFactory,
    MandateItemFactory,
    MeasureFactory,
    MembershipFactory,
    ParticipationInputFactory,
    PlanFactory,
    PlanSectionFactory,
    ProcessGroupFactory,
    StakeholderAnalysisFactory,
    StakeholderFactory,
    StatusReportFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"organisation", "plans", "measures", "stakeholders"}


def registered():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", [m for m, _ in registered()], ids=lambda m: m._meta.label)
def test_changelist_add_change_and_history_pages_load(admin_client, heim, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "heim"}).status_code == 200
    add = admin_client.get(admin_url(model, "add"))
    assert add.status_code in (200, 403)  # adoptions are registered, never added by hand
    obj = model.objects.first()
    if obj is not None:
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200
        history = admin_client.get(admin_url(model, "history", obj.pk))
        assert history.status_code == 200


def test_a_claimed_huge_inline_row_count_is_capped_with_a_message(admin_client, heim):
    """TOTAL_FORMS comes from the browser: 10^30 rows must not build thousands of forms."""
    model = Plan
    page = admin_client.get(admin_url(model, "add"))
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "9" * 30, f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client.post(admin_url(model, "add"), {"title": "Ny plan", **data})
    assert response.status_code == 400  # the form again, nothing saved
    assert not Plan.objects.filter(title="Ny plan").exists()
    cap = admin.site._registry[model].inline_rows_max
    for formset in response.context["inline_admin_formsets"]:
        assert formset.formset.total_form_count() <= cap
        assert str(cap) in " ".join(formset.formset.non_form_errors())


def test_admin_is_in_norwegian(admin_client, heim):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Tiltak" in html
    assert "Planer" in html


def make_rows(n):
    for _ in range(n):
        measure = MeasureFactory()
        StatusReportFactory(measure=measure)
        StakeholderFactory()
        ActivityFactory()
        ParticipationInputFactory(plan=measure.plan)


@pytest.mark.parametrize("model", [m for m, _ in registered()], ids=lambda m: m._meta.label)
def test_changelist_query_count_does_not_grow(admin_client, model, django_assert_num_queries):
    make_rows(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    make_rows(15)
    with CaptureQueriesContext(connection) as large:
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries)


def _group_rows(group, n):
    for _ in range(n):
        MembershipFactory(group=group, unit=UnitFactory(), user=UserFactory())
        MandateItemFactory(group=group)


def _measure_rows(measure, n):
    for _ in range(n):
        StatusReportFactory(measure=measure, author=UserFactory())


def _analysis_rows(analysis, n):
    for _ in range(n):
        StakeholderFactory(analysis=analysis, unit=UnitFactory())


def _plan_rows(plan, n):
    for _ in range(n):
        PlanSectionFactory(plan=plan)
        FocusAreaFactory(plan=plan)


CHANGE_PAGES = {
    "group": (lambda: ProcessGroupFactory(), _group_rows),
    "measure": (lambda: MeasureFactory(), _measure_rows),
    "analysis": (lambda: StakeholderAnalysisFactory(), _analysis_rows),
    "plan": (lambda: PlanFactory(), _plan_rows),
}


@pytest.mark.parametrize("page", CHANGE_PAGES)
def test_change_page_query_count_does_not_grow_with_inline_rows(admin_client, page):
    """Each inline row (its units, users, labels) must not cost queries of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_parent, add_rows = CHANGE_PAGES[page]
    counts = []
    for rows in (2, 12):
        obj = make_parent()
        add_rows(obj, rows)
        url = admin_url(type(obj), "change", obj.pk)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[1] <= counts[0], f"{page}: {counts[0]} queries with 2 rows, {counts[1]} with 12"


def test_inline_autocomplete_rows_still_show_their_selected_unit_and_user(admin_client):
    group = ProcessGroupFactory()
    members = [
        MembershipFactory(group=group, unit=UnitFactory(name=f"Enhet {n}"), user=UserFactory())
        for n in range(3)
    ]
    html = admin_client.get(admin_url(type(group), "change", group.pk)).content.decode()
    for member in members:
        assert f'<option value="{member.unit.pk}" selected>Enhet' in html
        assert f'<option value="{member.user.pk}" selected>{member.user.username}' in html
