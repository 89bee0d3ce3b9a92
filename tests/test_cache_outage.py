"""Redis is an accelerator: with it unreachable every page works, and when it is back no
page rendered before a change made during the outage is ever served (issue 18)."""

import logging
import os
import socket
import uuid

import pytest
from django.test import Client

from core.cache import ResilientRedisCache
from core.middleware import CACHE_HEADER
from core.publishing import public_content_version
from organisation.models import Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:6390/0"  # nothing listens there
LIVE_REDIS = "redis://127.0.0.1:6379/0"
UNIT_URL = "/enheter/barneverntjenesten/"
PUBLIC_URLS = [
    "/",
    "/planer/",
    "/planer/handlingsplan-mot-vold-i-naere-relasjoner/",
    "/enheter/",
    UNIT_URL,
    "/sok/?q=vold",
    "/sitemap.xml",
    "/planer/handlingsplan-mot-vold-i-naere-relasjoner.json",
]
PASSWORD = "correct horse battery staple"  # noqa: S105 - the factories' test password


def _redis_cache(location: str, prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }


def _live_redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def live_redis():
    if not _live_redis_reachable():
        if os.environ.get("HEIMPLAN_REQUIRE_REDIS"):
            pytest.fail("HEIMPLAN_REQUIRE_REDIS is set but no Redis answers at 127.0.0.1:6379")
        pytest.skip("no Redis server at 127.0.0.1:6379")
    prefix = f"heimplan-test-{uuid.uuid4()}"
    yield prefix
    _delete_keys(prefix)


def _delete_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(LIVE_REDIS)
    try:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    finally:
        client.close()


def _sign_in_and_rename_unit(name: str) -> Client:
    """The admin signs in through the login form and renames a unit (a save)."""
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    editor = Client()
    response = editor.post("/logg-inn/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert editor.get("/arbeid/").status_code == 200
    unit = Unit.objects.get(slug="barneverntjenesten")
    response = editor.post(
        f"/admin/organisation/unit/{unit.pk}/change/",
        {"name": name, "slug": unit.slug, "kind": unit.kind, "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.get(pk=unit.pk).name == name
    return editor


def test_with_redis_unreachable_every_page_works_and_is_logged_once(client, heim, settings, caplog):
    settings.CACHES = _redis_cache(DEAD_REDIS, f"heimplan-test-{uuid.uuid4()}")
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for url in PUBLIC_URLS * 2:
            response = client.get(url)
            assert response.status_code == 200, url
        assert client.get("/logg-inn/").status_code == 200
        before = public_content_version()
        _sign_in_and_rename_unit("Barnevernet i Heim")
        assert public_content_version() > before  # the bump did not need Redis
        html = client.get(UNIT_URL).content.decode()
        assert "Barnevernet i Heim" in html
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "Cache unavailable" in warnings[0].getMessage()


def test_a_dead_redis_costs_milliseconds_and_reads_are_misses(settings):
    import time

    from django.core.cache import cache

    settings.CACHES = _redis_cache(DEAD_REDIS, f"heimplan-test-{uuid.uuid4()}")
    started = time.perf_counter()
    for _ in range(20):
        assert cache.get("page") is None
        assert cache.get("page", "fallback") == "fallback"
        cache.set("page", b"x")
        assert cache.add("page", b"x") is False
        assert cache.get_many(["a", "b"]) == {}
        cache.delete("page")
    assert time.perf_counter() - started < 1.0
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_the_backend_tries_redis_again_after_the_back_off(settings, monkeypatch):
    from django.core.cache import caches

    settings.CACHES = _redis_cache(DEAD_REDIS, "heimplan-test-backoff")
    backend = caches["default"]
    assert isinstance(backend, ResilientRedisCache)
    assert backend.get("k") is None
    assert not backend.health.available
    calls = []
    monkeypatch.setattr(
        type(backend._cache), "get", lambda self, key, default: calls.append(key) or default
    )
    backend.get("k")
    assert calls == []  # within the back-off Redis is not asked at all
    monkeypatch.setattr(backend.health, "_skip_until", 0.0)
    backend.get("k")
    assert len(calls) == 1
    assert backend.health.available  # it answered: available again


def test_a_change_made_during_an_outage_is_served_at_once_when_redis_is_back(
    client, heim, settings, live_redis
):
    settings.CACHES = _redis_cache(LIVE_REDIS, live_redis)
    assert client.get(UNIT_URL)[CACHE_HEADER] == "miss"
    assert client.get(UNIT_URL)[CACHE_HEADER] == "hit"
    before = public_content_version()

    # Redis unreachable: the change is saved, and its bump cannot reach Redis.
    settings.CACHES = _redis_cache(DEAD_REDIS, live_redis)
    _sign_in_and_rename_unit("Barnevernet i Heim")
    assert "Barnevernet i Heim" in client.get(UNIT_URL).content.decode()

    # Redis back with its old entries: none of them is served, from any process.
    settings.CACHES = _redis_cache(LIVE_REDIS, live_redis)
    other_worker = Client()
    for visitor in (client, other_worker):
        response = visitor.get(UNIT_URL)
        assert response.status_code == 200
        assert "Barnevernet i Heim" in response.content.decode()
    assert client.get(UNIT_URL)[CACHE_HEADER] == "hit"  # cached again, under the new version

    # Redis restarted empty (only this test's keys: the server is shared, no FLUSHDB):
    # the version does not go back, nothing old comes back.
    _delete_keys(live_redis)
    assert public_content_version() > before
    assert "Barnevernet i Heim" in Client().get(UNIT_URL).content.decode()


def test_the_version_never_goes_back_when_its_row_is_lost(heim):
    from core.models import PublicContentVersion

    before = public_content_version()
    PublicContentVersion.objects.all().delete()  # a flushed table: a fresh, larger number
    assert public_content_version() > before
