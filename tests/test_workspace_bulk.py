"""Status of many measures at once: changed rows only, all or none, no report lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures import services
from measures.models import Measure, MeasureStatus, StatusReport
from tests.factories import MeasureFactory, PlanFactory
from tests.followup_world import build_world

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bulk_url(plan) -> str:
    return reverse("measures:bulk_status", args=[plan.slug])


def page_data(response) -> dict:
    """The form as the page shows it: what a browser posts when nothing is changed."""
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(formset.total_form_count()),
        f"{formset.prefix}-INITIAL_FORMS": "0",
    }
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            data[f"{form.prefix}-{name}"] = "" if value is None else str(value)
    return data


def row_prefix(response, measure) -> str:
    for form in response.context["formset"].forms:
        if form.measure.pk == measure.pk:
            return form.prefix
    raise AssertionError(f"no row for {measure}")


@pytest.fixture
def world():
    return build_world()


def test_changed_rows_are_saved_and_unchanged_ignored(world):
    other = MeasureFactory(plan=world.draft_x, responsible_unit=world.unit_b)
    client = signed_in(world.editor_x)
    page = client.get(bulk_url(world.draft_x))
    assert page.status_code == 200
    assert {f.measure.pk for f in page.context["formset"]} == {world.measure_x.pk, other.pk}
    data = page_data(page)
    prefix = row_prefix(page, world.measure_x)
    data[f"{prefix}-status"] = MeasureStatus.IN_PROGRESS
    data[f"{prefix}-text"] = "Startet opp."
    response = client.post(bulk_url(world.draft_x), data)
    assert response.status_code == 302
    report = StatusReport.objects.get(measure=world.measure_x)
    assert (report.status, report.text, report.author) == (
        MeasureStatus.IN_PROGRESS,
        "Startet opp.",
        world.editor_x,
    )
    assert not StatusReport.objects.filter(measure=other).exists()
    world.measure_x.refresh_from_db()
    assert world.measure_x.status == MeasureStatus.IN_PROGRESS


def test_one_bad_row_saves_nothing_and_keeps_the_input(world):
    other = MeasureFactory(plan=world.draft_x, responsible_unit=world.unit_b)
    client = signed_in(world.editor_x)
    page = client.get(bulk_url(world.draft_x))
    data = page_data(page)
    good, bad = row_prefix(page, world.measure_x), row_prefix(page, other)
    data[f"{good}-status"] = MeasureStatus.COMPLETED
    data[f"{good}-text"] = "Ferdig, skrevet med omhu."
    future = timezone.localdate() + timedelta(days=5)
    data[f"{bad}-text"] = "Fra fremtiden."
    data[f"{bad}-reported_on"] = future.isoformat()
    response = client.post(bulk_url(world.draft_x), data)
    assert response.status_code == 400
    assert StatusReport.objects.count() == 0
    body = response.content.decode()
    assert "Ferdig, skrevet med omhu." in body and "Fra fremtiden." in body
    assert future.isoformat() in body
    forms = {f.prefix: f for f in response.context["formset"]}
    assert forms[bad].errors and not forms[good].errors

    data[f"{bad}-reported_on"] = timezone.localdate().isoformat()
    data[f"{bad}-status"] = "nonsense"
    response = client.post(bulk_url(world.draft_x), data)
    assert response.status_code == 400
    assert "status" in {f.prefix: f for f in response.context["formset"]}[bad].errors
    assert StatusReport.objects.count() == 0


def test_a_newer_report_refuses_that_row_and_saves_nothing(world):
    other = MeasureFactory(plan=world.draft_x, responsible_unit=world.unit_a)
    client = signed_in(world.editor_x)
    page = client.get(bulk_url(world.draft_x))
    data = page_data(page)
    mine, theirs = row_prefix(page, other), row_prefix(page, world.measure_x)
    data[f"{mine}-status"] = MeasureStatus.IN_PROGRESS
    data[f"{theirs}-status"] = MeasureStatus.COMPLETED
    data[f"{theirs}-text"] = "Mitt syn."
    # Meanwhile the unit leader reports on the same measure.
    services.measure_report_status(
        actor=world.owner_a,
        measure=world.measure_x,
        status=MeasureStatus.POSTPONED,
        text="Utsatt til høsten.",
    )
    response = client.post(bulk_url(world.draft_x), data)
    assert response.status_code == 409
    assert StatusReport.objects.count() == 1  # only the other person's
    assert not StatusReport.objects.filter(measure=other).exists()
    body = response.content.decode()
    assert "Utsatt til høsten." in body and "Mitt syn." in body
    refused = {f.prefix: f for f in response.context["formset"]}[theirs]
    assert refused.non_field_errors()
    # Saving again, having seen it, goes through.
    newest = StatusReport.objects.get().pk
    assert f'value="{newest}"' in body
    data[f"{theirs}-last_report"] = str(newest)
    response = client.post(bulk_url(world.draft_x), data)
    assert response.status_code == 302
    assert StatusReport.objects.count() == 3


def test_measure_owner_sees_and_posts_only_their_units_measures(world):
    mine = MeasureFactory(plan=world.draft_y, responsible_unit=world.unit_a)
    client = signed_in(world.owner_a)
    page = client.get(bulk_url(world.draft_y))
    assert page.status_code == 200
    assert [f.measure.pk for f in page.context["formset"]] == [mine.pk]
    assert world.measure_y.title not in page.content.decode()
    data = page_data(page)
    prefix = row_prefix(page, mine)
    data[f"{prefix}-status"] = MeasureStatus.IN_PROGRESS
    data[f"{prefix}-measure_id"] = str(world.measure_y.pk)  # another unit's measure
    response = client.post(bulk_url(world.draft_y), data)
    assert response.status_code == 403
    assert StatusReport.objects.count() == 0
    world.measure_y.refresh_from_db()
    assert world.measure_y.status == MeasureStatus.NOT_STARTED
    # A plan without measures of their units is not theirs to report on.
    assert client.get(bulk_url(PlanFactory(process_group=world.group_y))).status_code == 403
    assert signed_in(world.editor_y).get(bulk_url(world.draft_x)).status_code == 403


def test_forged_total_forms_is_capped(world):
    client = signed_in(world.editor_x)
    page = client.get(bulk_url(world.draft_x))
    data = page_data(page)
    data["form-TOTAL_FORMS"] = "100000"
    response = client.post(bulk_url(world.draft_x), data)
    assert response.status_code == 400
    assert len(response.context["formset"].forms) == 1
    assert StatusReport.objects.count() == 0


@pytest.mark.parametrize("extra", [5, 50])
def test_query_count_is_flat(world, extra):
    for _ in range(extra):
        MeasureFactory(plan=world.draft_x, responsible_unit=world.unit_a)
    client = signed_in(world.editor_x)
    client.get(bulk_url(world.draft_x))  # warm the session
    with CaptureQueriesContext(connection) as get_queries:
        page = client.get(bulk_url(world.draft_x))
    assert len(page.context["formset"].forms) == extra + 1
    data = page_data(page)
    data[f"{row_prefix(page, world.measure_x)}-status"] = MeasureStatus.COMPLETED
    with CaptureQueriesContext(connection) as post_queries:
        response = client.post(bulk_url(world.draft_x), data)
    assert response.status_code == 302
    assert len(get_queries) <= 12, [q["sql"] for q in get_queries]
    # After the commit the publishing listeners update the read model and search index.
    assert len(post_queries) <= 40, [q["sql"] for q in post_queries]
    assert Measure.objects.get(pk=world.measure_x.pk).status == MeasureStatus.COMPLETED


def test_query_counts_are_the_same_for_5_and_50_measures(world):
    counts = []
    client = signed_in(world.editor_x)
    for extra in (4, 45):
        for _ in range(extra):
            MeasureFactory(plan=world.draft_x, responsible_unit=world.unit_a)
        client.get(bulk_url(world.draft_x))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(bulk_url(world.draft_x))
        data = page_data(page)
        data[f"{row_prefix(page, world.measure_x)}-text"] = f"Rapport {extra}"
        with CaptureQueriesContext(connection) as post_queries:
            assert client.post(bulk_url(world.draft_x), data).status_code == 302
        counts.append((len(queries), len(post_queries)))
    assert counts[0] == counts[1]


def test_links_from_the_dashboard_and_mine(world):
    url = bulk_url(world.draft_x)
    editor = signed_in(world.editor_x)
    dashboard = editor.get(reverse("measures:plan_dashboard", args=[world.draft_x.slug]))
    assert url in dashboard.content.decode()
    assert url in signed_in(world.owner_a).get(reverse("measures:mine")).content.decode()
