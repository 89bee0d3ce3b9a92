"""Every admin page loads, and list pages do not grow their query count with rows."""

import pytest
from django.contrib import admin
from django.urls import reverse

from plans.models import Plan
from tests.factories import (
    ActivityFactory,
    MeasureFactory,
    ParticipationInputFactory,
    StakeholderFactory,
    StatusReportFactory,
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
    assert response.status_code == 200  # the form again, nothing saved
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
