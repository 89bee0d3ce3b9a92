"""The site's size: search, unit pages, the plan list and the sitemap come in pages."""

import re

import pytest
from django.db import connection

from core.paging import Page, requested_page
from search.selectors import PAGE_SIZE
from tests.factories import published_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (None, 1),
        ("", 1),
        ("2", 2),
        ("0", 1),
        ("-3", 1),
        ("x", 1),
        ("1e9", 1),
        ("٣", 1),
        ("9" * 40, 1),
        (" 4 ", 4),
    ],
)
def test_requested_page_never_fails(value, number):
    assert requested_page(value) == number


def test_page_links_keep_the_query_and_leave_gaps():
    page = Page(number=10, count=1000, per_page=20, query=(("q", "vold & barn"),))
    assert page.page_count == 50
    assert (page.offset, page.limit) == (180, 200)
    assert page.previous_url == "?q=vold+%26+barn&side=9"
    assert Page(number=2, count=30, per_page=20, query=(("q", "a"),)).previous_url == "?q=a"
    numbers = [link.number if link else None for link in page.links]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 50]
    assert Page(number=1, count=0, per_page=20).page_count == 1


def _result_titles(response):
    return [hit.title for hit in response.context["hits"]]


def test_search_results_come_in_pages(client):
    published_plan(measures=PAGE_SIZE + 5, title="Sjiraffplan")
    first = client.get("/sok/", {"q": "tiltak"})
    total = first.context["total"]
    assert total >= PAGE_SIZE + 5
    assert len(first.context["hits"]) == PAGE_SIZE
    html = first.content.decode()
    assert 'href="?q=tiltak&amp;side=2"' in html
    assert 'aria-current="page"' in html
    second = client.get("/sok/", {"q": "tiltak", "side": "2"})
    assert second.status_code == 200
    assert len(second.context["hits"]) == total - PAGE_SIZE
    assert not set(_result_titles(first)) & set(_result_titles(second))
    assert re.search(r'<ol[^>]*start="21"', second.content.decode())


@pytest.mark.parametrize("side", ["0", "-1", "x", "99999999999999999999", "2.5", "", "%00"])
def test_bad_page_numbers_give_a_page(client, side):
    published_plan(measures=3)
    response = client.get("/sok/", {"q": "tiltak", "side": side})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert response.context["hits"]


def test_a_page_past_the_end_shows_the_last(client):
    published_plan(measures=PAGE_SIZE + 5)
    response = client.get("/sok/", {"q": "tiltak", "side": "40"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == page.page_count == 2
    assert response.context["hits"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index is PostgreSQL's")
def test_search_uses_the_gin_index(db):
    """The match conditions of both reads can be answered by their GIN indexes.

    On a few test rows the planner prefers other paths (a sequential scan, or the join
    from the published plans through the plan_id index), so those are switched off:
    what is left is a bitmap scan, which only an index on the matched column can give.
    """
    from search.models import SearchEntry
    from search.selectors import _tsquery

    published_plan(measures=5)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    for field, index in (
        ("search_vector", "search_searchentry_vector_gin"),
        ("title_vector", "search_searchentry_title_vector_gin"),
    ):
        plan = SearchEntry.objects.filter(**{field: _tsquery(["tiltak"])}).explain()
        assert f"Bitmap Index Scan on {index}" in plan, plan


# -- the index follows publishing, plan by plan ---------------------------------------


def _index_rows():
    from search.models import SearchEntry

    return sorted(
        SearchEntry.objects.values_list("plan_id", "kind", "title", "body", "url", "position")
    )


@pytest.fixture
def index_updates(monkeypatch):
    """The plan ids each index update was asked for (None: every plan)."""
    import search.services

    calls = []
    update = search.services.search_index_update

    def counting(*, plan_ids):
        calls.append(None if plan_ids is None else set(plan_ids))
        return update(plan_ids=plan_ids)

    monkeypatch.setattr(search.services, "search_index_update", counting)
    return calls


def test_the_index_holds_exactly_what_a_full_rebuild_would(index_updates):
    import measures.services
    import organisation.services
    import plans.services
    from search.services import search_index_rebuild
    from tests.factories import MeasureFactory, PlanFactory, UnitFactory

    first = published_plan(measures=3, title="Kattplan")
    second = published_plan(measures=2, title="Hundeplan")
    draft = PlanFactory(title="Museplan")
    MeasureFactory(plan=draft, title="Hemmelig mus")
    same_day = first.adoptions.get().meeting_date

    # A revision: saves to the live plan change nothing public until it is adopted.
    plans.services.plan_start_revision(actor=None, plan=first)
    measure = first.measures.order_by("pk").first()
    measures.services.measure_update(
        actor=None, measure=measure, data={"title": "Katteluke", "description": "Ny tekst."}
    )
    measures.services.measure_create(
        actor=None,
        plan=first,
        data={
            "title": "Kattemat",
            "focus_area": measure.focus_area,
            "responsible_unit": UnitFactory(),
        },
    )
    assert _index_rows() == _rebuilt(search_index_rebuild, index_updates)
    plans.services.plan_register_adoption(actor=None, plan=first, meeting_date=same_day)
    plans.services.plan_retire(actor=None, plan=second)
    organisation.services.unit_update(
        actor=None, unit=measure.responsible_unit, data={"name": "Omdøpt enhet"}
    )
    measures.services.measure_update(
        actor=None, measure=MeasureFactory(plan=draft), data={"title": "Mus"}
    )

    rows = _index_rows()
    titles = {row[2] for row in rows}
    assert {"Katteluke", "Kattemat", "Hundeplan"} <= titles
    assert not {"Museplan", "Hemmelig mus", "Mus"} & titles
    assert rows == _rebuilt(search_index_rebuild, index_updates)
    # Every update named its plans; none rebuilt the whole index.
    assert None not in index_updates
    assert {draft.pk} in index_updates and set() in index_updates  # the draft; the rename


def _rebuilt(rebuild, index_updates):
    """The index after a full rebuild (which is left out of ``index_updates``)."""
    rebuild()
    assert index_updates.pop() is None
    return _index_rows()


def test_a_unit_rename_rewrites_no_plan(index_updates, django_assert_max_num_queries):
    import organisation.services

    plan = published_plan(measures=30)
    unit = plan.measures.first().responsible_unit
    before = _index_rows()
    index_updates.clear()
    # The unit, its history and the version; nothing per plan or per measure.
    with django_assert_max_num_queries(20):
        organisation.services.unit_update(actor=None, unit=unit, data={"name": "Nytt navn"})
    assert index_updates == [set()]
    assert _index_rows() == before


# -- pages that stay small ------------------------------------------------------------


def test_a_unit_page_comes_in_pages(client, monkeypatch):
    import organisation.views
    from tests.factories import FocusAreaFactory, MeasureFactory, PlanFactory, UnitFactory

    monkeypatch.setattr(organisation.views, "UNIT_MEASURES_PER_PAGE", 4)
    unit, other = UnitFactory(slug="storenhet"), UnitFactory()
    plan = PlanFactory(title="Enhetsplan")
    area = FocusAreaFactory(plan=plan)
    for n in range(5):
        MeasureFactory(plan=plan, focus_area=area, responsible_unit=unit, title=f"Ansvar {n}")
    for n in range(2):
        partner = MeasureFactory(
            plan=plan, focus_area=area, responsible_unit=other, title=f"Partner {n}"
        )
        partner.partner_units.add(unit)
    from plans.services import plan_register_adoption

    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())

    def titles(response, key):
        return [m.title for m in response.context[key]]

    first = client.get("/enheter/storenhet/")
    assert titles(first, "responsible_measures") == [f"Ansvar {n}" for n in range(4)]
    assert titles(first, "partner_measures") == []
    assert 'href="?side=2"' in first.content.decode()
    second = client.get("/enheter/storenhet/?side=2")
    assert titles(second, "responsible_measures") == ["Ansvar 4"]
    assert titles(second, "partner_measures") == ["Partner 0", "Partner 1"]
    html = second.content.decode()
    assert "Partner 1" in html and "Ansvar 0" not in html
    assert second.context["responsible_measures"][0].status_display
    for side in ("0", "x", "99", "-1"):
        assert client.get(f"/enheter/storenhet/?side={side}").status_code == 200


def test_the_plan_list_comes_in_pages(client, monkeypatch):
    import plans.views
    from plans.models import Plan

    monkeypatch.setattr(plans.views, "PLANS_PER_PAGE", 2)
    for n in range(3):
        published_plan(title=f"Plan {n}")
    retired = published_plan(title="Gammel plan")
    from plans.services import plan_retire

    plan_retire(actor=None, plan=retired)
    assert Plan.objects.get(pk=retired.pk).status == Plan.Status.RETIRED
    first = client.get("/planer/")
    assert [p.title for p in first.context["plans"]] == ["Plan 0", "Plan 1"]
    assert first.context["retired_plans"] == []
    second = client.get("/planer/?side=2")
    assert [p.title for p in second.context["plans"]] == ["Plan 2"]
    assert [p.title for p in second.context["retired_plans"]] == ["Gammel plan"]
    assert "No plans" not in second.content.decode()
    assert client.get("/planer/?side=abc").context["page"].number == 1


def test_the_front_page_shows_a_few_plans_in_force_and_links_to_all(client, monkeypatch):
    import plans.views
    from plans.services import plan_retire

    monkeypatch.setattr(plans.views, "FRONT_PAGE_PLANS", 2)
    for n in range(3):
        published_plan(title=f"Plan {n}")
    plan_retire(actor=None, plan=published_plan(title="Gammel plan"))
    page = client.get("/")
    assert [p.title for p in page.context["plans"]] == ["Plan 0", "Plan 1"]
    html = page.content.decode()
    assert "Gammel plan" not in html
    assert 'href="/planer/">Se alle 3 planer som gjelder</a>' in html


def test_the_front_page_without_plans_in_force_points_to_the_old_ones(client):
    from plans.services import plan_retire

    plan_retire(actor=None, plan=published_plan(title="Gammel plan"))
    html = client.get("/").content.decode()
    assert "Ingen plan gjelder nå." in html
    assert 'href="/planer/">Se planene som ikke lenger gjelder</a>' in html
    assert "Se alle" not in html


def test_the_sitemap_is_an_index_of_pages(client, monkeypatch):
    from heimplan import sitemaps

    assert sitemaps.URLS_PER_PAGE == 50_000
    monkeypatch.setattr(sitemaps.PlanSitemap, "limit", 2)
    for n in range(5):
        published_plan(title=f"Kartplan {n}", slug=f"kartplan-{n}")
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    locations = re.findall(r"<loc>http://testserver([^<]+)</loc>", index)
    plan_pages = [loc for loc in locations if loc.startswith("/sitemap-plans.xml")]
    assert plan_pages == [
        "/sitemap-plans.xml",
        "/sitemap-plans.xml?p=2",
        "/sitemap-plans.xml?p=3",
    ]
    found = []
    for page in plan_pages:
        xml = client.get(page).content.decode()
        found += re.findall(r"/planer/(kartplan-\d)/", xml)
        assert xml.count("<url>") <= 2
    assert sorted(found) == [f"kartplan-{n}" for n in range(5)]
    assert client.get("/sitemap-plans.xml?p=9").status_code == 404
    assert client.get("/sitemap-plans.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_save_that_changes_no_published_version_rewrites_no_entry():
    import measures.services
    import plans.services
    from search.models import SearchEntry

    plan = published_plan(measures=4)
    before = sorted(SearchEntry.objects.filter(plan=plan).values_list("pk", flat=True))
    plans.services.plan_start_revision(actor=None, plan=plan)
    measure = plan.measures.first()
    measures.services.measure_update(actor=None, measure=measure, data={"title": "Utkast"})
    assert sorted(SearchEntry.objects.filter(plan=plan).values_list("pk", flat=True)) == before
    plans.services.plan_register_adoption(
        actor=None, plan=plan, meeting_date=plan.adoptions.get().meeting_date
    )
    after = SearchEntry.objects.filter(plan=plan)
    assert not set(after.values_list("pk", flat=True)) & set(before)
    assert "Utkast" in set(after.values_list("title", flat=True))
