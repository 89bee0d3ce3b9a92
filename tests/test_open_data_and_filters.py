"""Open data (JSON, CSV, sitemap), plan page filters and the accessibility page."""

import csv
import io
import json
import re

import pytest

from measures.models import Measure
from measures.services import measure_report_status
from organisation.models import Membership
from plans.models import Plan
from plans.open_data import CSV_COLUMNS, OPEN_DATA_SCHEMA_VERSION
from tests.factories import (
    FocusAreaFactory,
    MeasureFactory,
    PlanFactory,
    TargetGroupFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

VIOLENCE = "handlingsplan-mot-vold-i-naere-relasjoner"
CHILD = "handlingsplan-for-forebygging-av-omsorgssvikt-og-atferdsvansker"


def test_plan_json_has_the_documented_schema(client, heim):
    # A made-up name in a seat, which the open data must not carry.
    Membership.objects.filter(role_title="Veileder NAV Heim").update(person_name="Kari Testesen")
    response = client.get(f"/planer/{VIOLENCE}.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["schema_version"] == OPEN_DATA_SCHEMA_VERSION
    assert set(data) == {
        "schema_version",
        "municipality",
        "title",
        "slug",
        "url",
        "kind",
        "status",
        "summary",
        "period",
        "consultation_draft",
        "consultation",
        "adoption",
        "legal_bases",
        "reforms",
        "group",
        "sections",
        "links",
        "focus_areas",
    }
    assert data["title"] == "Handlingsplan mot vold i nære relasjoner"
    assert data["url"] == f"http://testserver/planer/{VIOLENCE}/"
    assert data["adoption"]["meeting_date"] == "2023-08-23"
    measures = [m for area in data["focus_areas"] for m in area["measures"]]
    plan = Plan.objects.get(slug=VIOLENCE)
    assert len(measures) == plan.measures.count()
    assert set(measures[0]) == {
        "id",
        "title",
        "description_markdown",
        "responsible_unit",
        "responsible_role",
        "partners",
        "target_groups",
        "prevention_level",
        "status",
        "start_date",
        "deadline",
        "timing",
        "resources",
        "url",
    }
    # Roles and units only, never names of people.
    assert "Kari Testesen" not in response.content.decode()
    assert all(set(member) == {"role_title", "unit"} for member in data["group"]["members"])


def test_plan_csv_lists_every_published_measure(client, heim):
    response = client.get(f"/planer/{CHILD}/tiltak.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == CSV_COLUMNS
    plan = Plan.objects.get(slug=CHILD)
    assert len(rows) - 1 == plan.measures.count()
    by_title = {row[3]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    measure = plan.measures.select_related("responsible_unit").first()
    assert by_title[measure.title]["responsible_unit_slug"] == measure.responsible_unit.slug
    assert by_title[measure.title]["status"] == measure.status


def test_csv_shows_live_status_and_defuses_formulas(client, db):
    plan = PlanFactory(slug="formelplan")
    area = FocusAreaFactory(plan=plan)
    measure = MeasureFactory(plan=plan, focus_area=area, title="=HYPERLINK(1)", order=0)
    MeasureFactory(plan=plan, focus_area=area, title="-2+3", order=1)
    from plans.services import plan_register_adoption

    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    measure_report_status(actor=None, measure=measure, status=Measure.Status.COMPLETED)
    rows = list(
        csv.reader(io.StringIO(client.get("/planer/formelplan/tiltak.csv").content.decode()))
    )
    assert rows[1][3] == "'=HYPERLINK(1)"
    assert rows[2][3] == "'-2+3"
    assert rows[1][CSV_COLUMNS.index("status")] == "completed"


@pytest.mark.parametrize("suffix", [".json", "/tiltak.csv"])
def test_open_data_of_drafts_is_404_even_for_editors(client, admin_client, suffix):
    draft = PlanFactory(slug="hemmelig-utkast")
    MeasureFactory(plan=draft)
    assert client.get(f"/planer/{draft.slug}{suffix}").status_code == 404
    assert admin_client.get(f"/planer/{draft.slug}{suffix}").status_code == 404
    assert client.get(f"/planer/finnes-ikke{suffix}").status_code == 404


def test_sitemap_lists_public_pages_only(client, heim):
    PlanFactory(slug="utkast-i-sitemap")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = response.content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml)</loc>", index)
    assert sorted(sections) == [
        "/sitemap-pages.xml",
        "/sitemap-plans.xml",
        "/sitemap-reports.xml",
        "/sitemap-units.xml",
    ]
    xml = "".join(client.get(section).content.decode() for section in sections)
    for path in ["/", "/planer/", f"/planer/{VIOLENCE}/", f"/planer/{CHILD}/", "/enheter/"]:
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert "/tilgjengelighet/" in xml
    assert "/enheter/barneverntjenesten/" in xml
    assert "utkast-i-sitemap" not in xml


def test_accessibility_page_and_footer_links(client, heim, settings):
    response = client.get("/tilgjengelighet/")
    assert response.status_code == 200
    assert settings.HEIMPLAN_ACCESSIBILITY_STATEMENT_URL in response.content.decode()
    for url in ["/", "/planer/", f"/planer/{VIOLENCE}/", "/enheter/", "/sok/?q=vold", "/nope/"]:
        html = client.get(url).content.decode()
        footer = html[html.index("<footer") :]
        assert settings.HEIMPLAN_ACCESSIBILITY_STATEMENT_URL in footer
        assert 'href="/tilgjengelighet/"' in footer


# -- filters -------------------------------------------------------------------


@pytest.fixture
def filter_plan(db):
    """A published plan with measures that differ in every filterable way."""
    from plans.services import plan_register_adoption

    plan = PlanFactory(slug="filterplan")
    school, health = (
        UnitFactory(name="Skolen", slug="skolen"),
        UnitFactory(name="Helsestasjonen", slug="helsestasjonen"),
    )
    kids, parents = TargetGroupFactory(name="Barn"), TargetGroupFactory(name="Foreldre")
    area_a, area_b = (
        FocusAreaFactory(plan=plan, title="Tidlig innsats"),
        FocusAreaFactory(plan=plan, title="Samarbeid"),
    )
    m1 = MeasureFactory(
        plan=plan,
        focus_area=area_a,
        title="Tiltak A1",
        responsible_unit=school,
        prevention_level="universal",
    )
    m1.target_groups.set([kids])
    m2 = MeasureFactory(
        plan=plan,
        focus_area=area_a,
        title="Tiltak A2",
        responsible_unit=health,
        prevention_level="indicated",
    )
    m2.target_groups.set([parents])
    m3 = MeasureFactory(
        plan=plan,
        focus_area=area_b,
        title="Tiltak B1",
        responsible_unit=health,
        prevention_level="selective",
    )
    m3.target_groups.set([kids, parents])
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    measure_report_status(actor=None, measure=m3, status=Measure.Status.IN_PROGRESS)
    return {"plan": plan, "areas": (area_a, area_b), "measures": (m1, m2, m3)}


def shown_titles(response):
    return [m["title"] for area in response.context["doc"]["focus_areas"] for m in area["measures"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Tiltak A1", "Tiltak A2", "Tiltak B1"]),
        ({"unit": "helsestasjonen"}, ["Tiltak A2", "Tiltak B1"]),
        ({"status": "in_progress"}, ["Tiltak B1"]),
        ({"status": "not_started"}, ["Tiltak A1", "Tiltak A2"]),
        ({"target_group": "Barn"}, ["Tiltak A1", "Tiltak B1"]),
        ({"level": "indicated"}, ["Tiltak A2"]),
        ({"unit": "helsestasjonen", "target_group": "Barn"}, ["Tiltak B1"]),
        ({"unit": "skolen", "level": "indicated"}, []),
    ],
)
def test_filters(client, filter_plan, params, expected):
    response = client.get("/planer/filterplan/", params)
    assert response.status_code == 200
    assert shown_titles(response) == expected
    assert response.context["measure_filter"].invalid == []


def test_focus_area_filter_and_form_markup(client, filter_plan):
    area_b = filter_plan["areas"][1]
    response = client.get("/planer/filterplan/", {"focus_area": str(area_b.pk)})
    assert shown_titles(response) == ["Tiltak B1"]
    html = response.content.decode()
    assert '<form method="get" action="#measures"' in html
    assert f'<option value="{area_b.pk}" selected>Samarbeid</option>' in html
    assert 'for="filter-unit"' in html and 'id="filter-unit"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"focus_area": "abc"},
        {"focus_area": "999999"},
        {"unit": "<script>"},
        {"level": "x\x00"},  # NUL is stripped before views (middleware); "x" is invalid
        {"target_group": "x" * 5000},
    ],
)
def test_invalid_filter_values_are_ignored_with_a_message(client, filter_plan, params):
    response = client.get("/planer/filterplan/", params)
    assert response.status_code == 200
    assert shown_titles(response) == ["Tiltak A1", "Tiltak A2", "Tiltak B1"]
    assert len(response.context["measure_filter"].invalid) == 1
    assert 'class="alert alert-warning"' in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]
