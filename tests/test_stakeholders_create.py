"""New analyses from the working pages; stakeholder numbers that never shift; the PDF."""

from __future__ import annotations

import csv
import importlib
import io

import pytest
from django.apps import apps as global_apps
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from stakeholders import services
from stakeholders.models import Finding, Stakeholder, StakeholderAnalysis
from tests.factories import (
    PlanFactory,
    ProcessGroupFactory,
    StakeholderAnalysisFactory,
    StakeholderFactory,
)
from tests.followup_world import build_world
from tests.stakeholders_helpers import client_for, editor_of

pytestmark = pytest.mark.django_db

CREATE = "stakeholders:analysis_create"


def test_editor_creates_an_analysis_for_their_group_only():
    world = build_world()
    client = client_for(world.editor_x)
    page = client.get(reverse(CREATE))
    assert page.status_code == 200
    form = page.context["form"]
    assert set(form.fields["process_group"].queryset) == {world.group_x}
    assert set(form.fields["plan"].queryset) == {world.draft_x}

    response = client.post(
        reverse(CREATE), {"title": "Ny analyse", "process_group": world.group_x.pk}
    )
    analysis = StakeholderAnalysis.objects.get(title="Ny analyse")
    assert response.status_code == 302
    assert response["Location"] == reverse("stakeholders:analysis_detail", args=[analysis.pk])
    assert analysis.history.get().history_user == world.editor_x

    group_page = client.get(reverse("organisation:group_detail", args=[world.group_x.slug]))
    assert reverse(CREATE) in group_page.content.decode()

    # Another group's group or plan is not on offer: the form refuses it.
    for field, value in (("process_group", world.group_y.pk), ("plan", world.draft_y.pk)):
        response = client.post(reverse(CREATE), {"title": f"Fremmed {field}", field: value})
        assert response.status_code == 400
        assert not StakeholderAnalysis.objects.filter(title=f"Fremmed {field}").exists()
    # Neither a group nor a plan.
    assert client.post(reverse(CREATE), {"title": "Løs"}).status_code == 400


def test_plan_analysis_and_who_may_create():
    world = build_world()
    response = client_for(world.editor_y).post(
        reverse(CREATE), {"title": "For voldsplanen", "plan": world.draft_y.pk}
    )
    assert response.status_code == 302
    assert StakeholderAnalysis.objects.get(title="For voldsplanen").plan == world.draft_y
    admin_form = client_for(world.admin).get(reverse(CREATE)).context["form"]
    assert world.group_y in admin_form.fields["process_group"].queryset
    assert client_for(world.owner_a).get(reverse(CREATE)).status_code == 403
    assert client_for(world.owner_a).post(reverse(CREATE), {"title": "X"}).status_code == 403
    assert client_for(editor_of()).get(reverse(CREATE)).status_code == 403
    anonymous = Client().get(reverse(CREATE))
    assert anonymous.status_code == 302 and "/logg-inn/" in anonymous["Location"]


def _add(analysis, name, **data):
    return services.stakeholder_create(
        actor=None, analysis=analysis, data={"name": name, "role": "target_group", **data}
    )


def test_numbers_stay_when_stakeholders_are_added_and_deleted():
    analysis = StakeholderAnalysisFactory(process_group=ProcessGroupFactory())
    first = _add(analysis, "Foreldre", order=5)
    second = _add(analysis, "Barn og unge", order=5)
    third = _add(analysis, "Ansatte", order=5)
    assert [first.number, second.number, third.number] == [1, 2, 3]
    # Added later but listed first: its number is the next one, the others keep theirs.
    early = _add(analysis, "Aaa-gruppen", order=0)
    assert early.number == 4
    services.stakeholder_delete(actor=None, stakeholder=second)
    later = _add(analysis, "Ungdomsrådet", order=9)
    assert later.number == 5
    numbers = dict(analysis.stakeholders.values_list("name", "number"))
    assert numbers == {"Foreldre": 1, "Ansatte": 3, "Aaa-gruppen": 4, "Ungdomsrådet": 5}
    # Each analysis counts on its own.
    other = StakeholderAnalysisFactory(process_group=analysis.process_group)
    assert _add(other, "Foreldre").number == 1


def test_the_migration_numbers_existing_rows_in_display_order():
    migration = importlib.import_module("stakeholders.migrations.0004_stakeholder_number")
    analysis = StakeholderAnalysisFactory(process_group=ProcessGroupFactory())
    rows = [
        StakeholderFactory(analysis=analysis, name="B", order=1, number=0),
        StakeholderFactory(analysis=analysis, name="A", order=1, number=0),
        StakeholderFactory(analysis=analysis, name="C", order=0, number=0),
    ]
    migration.number_stakeholders(global_apps, None)
    assert [Stakeholder.objects.get(pk=s.pk).number for s in rows] == [3, 2, 1]


@pytest.fixture
def numbered(db):
    group = ProcessGroupFactory()
    analysis = StakeholderAnalysisFactory(
        title="Analyse med hull", process_group=group, plan=PlanFactory(process_group=group)
    )
    _add(analysis, "Foreldre", order=1)
    gone = _add(analysis, "Slettes", order=1)
    _add(analysis, "Barnehagene", order=1, interest=3, influence=3)
    _add(analysis, "Aller først", order=0)
    services.stakeholder_delete(actor=None, stakeholder=gone)
    services.finding_create(
        actor=None,
        analysis=analysis,
        data={"kind": Finding.Kind.STRENGTH, "scope": "organisation", "text": "Sterkt lag"},
    )
    services.finding_create(
        actor=None,
        analysis=analysis,
        data={"kind": Finding.Kind.WEAKNESS, "scope": "community", "text": "Svak kontakt"},
    )
    return analysis, editor_of(group)


def test_numbers_on_the_page_in_the_csv_and_the_grid(numbered):
    analysis, editor = numbered
    client = client_for(editor)
    page = client.get(reverse("stakeholders:analysis_detail", args=[analysis.pk]))
    assert page.status_code == 200
    points = {p.name: p.number for p in page.context["grid"].points}
    assert points == {"Aller først": 4, "Foreldre": 1, "Barnehagene": 3}
    body = page.content.decode()
    assert '<td>4</td><th scope="row">Aller først' in body
    response = client.get(reverse("stakeholders:register_csv", args=[analysis.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("4", "Aller først"),
        ("3", "Barnehagene"),
        ("1", "Foreldre"),
    ]


@override_settings(HEIMPLAN_MUNICIPALITY="Testheim kommune")
def test_pdf_has_numbers_findings_and_the_municipality(numbered):
    analysis, editor = numbered
    response = client_for(editor).get(reverse("stakeholders:analysis_pdf", args=[analysis.pk]))
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Testheim kommune" in text
    assert "Sterkt lag" in text and "Svak kontakt" in text
    assert "Styrker" in text and "Svakheter" in text
    lines = text.splitlines()
    assert any(line.startswith("4 Aller først") for line in lines), lines[:20]
    assert any(line.startswith("3 Barnehagene") for line in lines)
    assert not any(line.startswith("2 ") for line in lines)
