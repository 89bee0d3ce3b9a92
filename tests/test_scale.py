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
    from search.selectors import _matches_postgresql

    published_plan(measures=5)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = _matches_postgresql(["tiltak"]).explain()
    assert "search_searchentry_vector_gin" in plan
