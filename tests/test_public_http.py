"""The public face over HTTP: compression, revalidation, cache headers, head tags,
robots.txt, favicon, footer and the accessibility statement (issue 16)."""

import gzip
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from core.public_http import PERMISSIONS_POLICY, PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL
from tests.factories import UnitFactory, UserFactory, published_plan

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def plan(db):
    return published_plan(measures=2)


def _page(response) -> str:
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def _head(html: str) -> str:
    return html[: html.index("</head>")]


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from-page-cache"])
def test_public_html_is_compressed_and_a_revisit_gets_304(client, plan, cached):
    url = plan.get_absolute_url()
    if cached:
        client.get(url)  # fills the page cache: the next answer is a hit
    first = client.get(url, **GZIP)
    assert first.status_code == 200
    assert first["X-Heimplan-Cache"] == ("hit" if cached else "miss")
    assert first["Content-Encoding"] == "gzip"
    html = _page(first)
    assert plan.title in html and html.rstrip().endswith("</html>")
    assert len(first.content) < len(html.encode()) / 2
    assert int(first["Content-Length"]) == len(first.content)
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in first["Vary"].split(",")}
    assert first["Cache-Control"] == PUBLIC_CACHE_CONTROL
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and last_modified.endswith("GMT")

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == etag and by_etag["Cache-Control"] == PUBLIC_CACHE_CONTROL
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.status_code == 304 and by_date.content == b""
    # A browser without gzip gets the same page uncompressed, with the strong ETag.
    plain = client.get(url)
    assert "Content-Encoding" not in plain and plain.content.decode() == html
    assert plain["ETag"] == etag.removeprefix("W/")
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"', **GZIP).status_code == 200


def test_a_change_gives_a_new_etag_so_the_revisit_is_a_full_page(client, plan):
    from measures.services import measure_report_status

    url = plan.get_absolute_url()
    etag = client.get(url, **GZIP)["ETag"]
    measure = plan.measures.first()
    measure_report_status(actor=None, measure=measure, status="completed")
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 200 and again["ETag"] != etag


def test_signed_in_pages_are_never_public_nor_answered_304(plan):
    editor = Client()
    editor.force_login(UserFactory(username="redaktor"))
    url = plan.get_absolute_url()
    response = editor.get(url, **GZIP)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL
    assert "public" not in response["Cache-Control"]
    assert "Content-Encoding" not in response
    assert "X-Heimplan-Cache" not in response
    etag = Client().get(url)["ETag"]
    assert editor.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_pages_the_cache_refuses_are_private(client, plan):
    response = client.get("/sok/?q=finnesikkeiplanene")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL


@pytest.mark.parametrize("url", ["/", "/planer/", "/sok/", "/finnes-ikke/", "/logg-inn/"])
def test_every_page_has_a_permissions_policy(client, url):
    response = client.get(url)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY and "geolocation=()" in PERMISSIONS_POLICY


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /arbeid/" in lines and "Disallow: /admin/" in lines
    assert client.get("/sitemap.xml").status_code == 200


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    head = _head(client.get("/").content.decode())
    assert '<link rel="icon" href="/favicon.ico"' in head
    assert 'type="image/svg+xml"' in head


def _titles_and_descriptions(client, urls):
    found = {}
    for url in urls:
        head = _head(client.get(url).content.decode())
        title = unescape(re.search(r"<title>(.*?)</title>", head, re.S).group(1))
        description = unescape(
            re.search(r'<meta name="description" content="(.*?)">', head).group(1)
        )
        found[url] = (title, description)
    return found


def test_each_page_type_has_its_own_title_description_canonical_and_open_graph(client, plan):
    unit = plan.measures.first().responsible_unit
    urls = [
        "/",
        "/planer/",
        plan.get_absolute_url(),
        f"{plan.get_absolute_url()}versjoner/",
        f"{plan.get_absolute_url()}versjoner/1/",
        "/enheter/",
        unit.get_absolute_url(),
        "/sok/",
        "/tilgjengelighet/",
    ]
    found = _titles_and_descriptions(client, urls)
    titles = [title for title, _ in found.values()]
    descriptions = [description for _, description in found.values()]
    assert len(set(titles)) == len(titles), titles
    assert len(set(descriptions)) == len(descriptions), descriptions
    assert all(description.strip() for description in descriptions)
    assert found["/"][0] == "Planer i Heim kommune"  # "Planer" once, not twice
    assert found[plan.get_absolute_url()][0].startswith(plan.title)
    for url in urls:
        head = _head(client.get(url + "?status=x" if url == urls[2] else url).content.decode())
        assert f'<link rel="canonical" href="http://testserver{url}">' in head
        assert '<meta property="og:locale" content="nb_NO">' in head
        assert f'<meta property="og:url" content="http://testserver{url}">' in head
        assert '<meta property="og:title" content="' in head
        assert "noindex" not in head


def test_search_results_are_not_indexed(client, plan):
    assert 'name="robots" content="noindex"' in _head(client.get("/sok/?q=tiltak").content.decode())
    assert "noindex" not in _head(client.get("/sok/").content.decode())


def test_footer_shows_the_contact_details_that_are_set(client, settings):
    settings.HEIMPLAN_CONTACT = {
        "address": "Rådhusvegen 1, 7200 Heim",
        "phone": "+47 72 00 00 00",
        "email": "postmottak@heim.kommune.no",
        "website": "",
        "feedback_url": "",
    }
    html = client.get("/planer/").content.decode()
    footer = html[html.index("<footer") :]
    assert "Rådhusvegen 1, 7200 Heim" in footer
    assert 'href="tel:+4772000000"' in footer
    assert 'href="mailto:postmottak@heim.kommune.no"' in footer
    assert "Nettstedet til" not in footer  # no website set: left out
    assert '<img src="/static/img/logo.svg" alt=""' in html  # the logo, named by the text by it


def test_footer_leaves_out_empty_contact_details(client, settings):
    settings.HEIMPLAN_CONTACT = {
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "feedback_url": "",
    }
    footer = client.get("/planer/").content.decode().split("<footer", 1)[1]
    assert "tel:" not in footer and "mailto:" not in footer and "Telefon" not in footer
    assert "Meld fra om feil" not in footer  # nowhere to send it: no link


def test_accessibility_statement_has_a_way_to_report_the_authority_and_review_date(
    client, settings
):
    settings.HEIMPLAN_CONTACT = {
        "email": "post@heim.kommune.no",
        "feedback_url": "https://heim.kommune.no/tilbakemelding",
    }
    settings.HEIMPLAN_ACCESSIBILITY_REVIEWED_ON = "2026-12-02"
    html = client.get("/tilgjengelighet/").content.decode()
    assert 'href="https://heim.kommune.no/tilbakemelding"' in html
    assert 'href="mailto:post@heim.kommune.no"' in html
    assert 'href="https://www.uutilsynet.no/"' in html
    assert "sist gjennomgått for tilgjengelighet 2. desember 2026" in html
    settings.HEIMPLAN_CONTACT = {"email": "post@heim.kommune.no"}
    cache.clear()  # settings are not content: no publish moved the page cache on
    main = Client().get("/tilgjengelighet/").content.decode().split("<footer", 1)[0]
    # Without a feedback link the e-mail address is the way to report, offered once.
    assert 'href="mailto:post@heim.kommune.no">Meld fra om et problem med nettstedet' in main
    assert main.count("mailto:post@heim.kommune.no") == 1


def test_plan_page_links_open_data_and_folds_the_checksum(client, plan):
    html = client.get(plan.get_absolute_url()).content.decode()
    assert f'href="/planer/{plan.slug}.json"' in html
    assert f'href="/planer/{plan.slug}/tiltak.csv"' in html
    sha = plan.adoptions.get().pdf_sha256
    details = re.search(r'<details class="sha256-details[^"]*"[^>]*>(.*?)</details>', html, re.S)
    assert details and sha in details.group(1) and "<summary>" in details.group(1)
    assert html.count(sha) == 1
    filters = re.search(r'<details class="measure-filters-details[^"]*"[^>]*>', html)
    assert filters and " open" not in filters.group(0)  # folded until a filter is used
    filtered = client.get(plan.get_absolute_url() + "?status=in_progress").content.decode()
    assert re.search(r'<details class="measure-filters-details[^"]*" open>', filtered)


def test_status_is_shown_in_words_with_its_colour(client, plan):
    html = client.get(plan.get_absolute_url()).content.decode()
    tag = re.search(
        r'<span class="badge status-badge status-(\w+)[^>]*>(.*?)</span>\s*</p>', html, re.S
    )
    assert tag
    words = re.sub(r"<[^>]+>", "", tag.group(2)).strip()
    assert words.startswith("Status:") and len(words) > len("Status:") + 3


def test_units_without_measures_are_listed_apart(client, plan):
    idle = UnitFactory(name="Enhet uten tiltak")
    responsible = plan.measures.first().responsible_unit
    html = client.get("/enheter/").content.decode()
    apart = html[html.index('id="without-measures-heading"') :]
    assert idle.name in apart and responsible.name not in apart
    assert responsible.name in html[: html.index('id="without-measures-heading"')]
    assert "0 tiltak" not in html


def test_error_pages_do_not_echo_the_address_asked_for(client):
    response = client.get("/planer/ukjent-merke-123/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ukjent-merke-123" not in html
    assert 'rel="canonical"' not in html and "og:url" not in html


def test_only_public_pages_name_their_address(client):
    html = client.get("/logg-inn/").content.decode()
    assert 'rel="canonical"' not in html and "og:url" not in html
    assert (
        '<link rel="canonical" href="http://testserver/planer/">'
        in client.get("/planer/").content.decode()
    )
