"""Bokmål and nynorsk: the municipality's default, the visitor's switch, the page cache."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from core.middleware import CACHE_HEADER

pytestmark = pytest.mark.django_db


def switch(client: Client, language: str, page: str = "/planer/"):
    """Press the switch on ``page`` (the browser sends the page as its Referer)."""
    return client.post("/sprak/", {"language": language}, HTTP_REFERER=f"http://testserver{page}")


def test_bokmal_by_default_with_a_switch_to_nynorsk(client, heim):
    html = client.get("/planer/").content.decode()
    assert '<html lang="nb">' in html
    assert 'action="/sprak/"' in html
    assert 'name="language" value="nn" lang="nn">Nynorsk</button>' in html
    assert 'name="next"' not in html  # the page's address is not echoed into it


def test_the_switch_works_without_javascript_and_the_page_follows(client, heim):
    response = switch(client, "nn", "/planer/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/planer/?x=1"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    html = client.get("/planer/").content.decode()
    assert '<html lang="nn">' in html
    assert 'value="nb" lang="nb">Bokmål</button>' in html
    switch(client, "nb")
    assert '<html lang="nb">' in client.get("/planer/").content.decode()


def test_the_switch_does_not_redirect_to_another_site(client, heim):
    response = client.post("/sprak/", {"language": "nn"}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    response = client.post("/sprak/", {"language": "nb", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_without_a_referer_the_switch_goes_to_the_front_page(client, heim):
    response = client.post("/sprak/", {"language": "nn"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    assert client.get("/sprak/").status_code == 405


def test_an_unknown_language_keeps_the_default(client, heim):
    switch(client, "en")  # Django knows English; the portal does not offer it
    assert '<html lang="nb">' in client.get("/planer/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="nb">' in client.get("/planer/").content.decode()


def test_the_browsers_language_does_not_override_the_municipalitys(client, heim):
    html = client.get("/planer/", HTTP_ACCEPT_LANGUAGE="nn,en;q=0.5").content.decode()
    assert '<html lang="nb">' in html


@override_settings(LANGUAGE_CODE="nn")
def test_a_nynorsk_municipality_gets_nynorsk_by_default(client, heim):
    html = client.get("/planer/").content.decode()
    assert '<html lang="nn">' in html
    assert 'value="nb" lang="nb">Bokmål</button>' in html


@pytest.mark.parametrize("url", ["/", "/planer/", "/enheter/", "/tilgjengelighet/"])
def test_the_page_cache_never_serves_one_language_to_the_other(heim, url):
    nynorsk, bokmal = Client(), Client()
    switch(nynorsk, "nn")
    first = nynorsk.get(url)
    assert first[CACHE_HEADER] == "miss"
    assert nynorsk.get(url)[CACHE_HEADER] == "hit"
    page = bokmal.get(url)
    assert page[CACHE_HEADER] == "miss"
    assert '<html lang="nb">' in page.content.decode()
    assert bokmal.get(url)[CACHE_HEADER] == "hit"
    assert '<html lang="nn">' in nynorsk.get(url).content.decode()
    assert "Cookie" in page["Vary"]
