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


@pytest.mark.django_db(False)
def test_gunicorn_serves_through_an_outage_and_every_worker_sees_the_change_after_it(
    tmp_path, live_redis
):
    """Two gunicorn workers: Redis up, then unreachable (a change is made), then up again."""
    import subprocess
    import sys
    import time
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    base_env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "DJANGO_CONN_MAX_AGE": "0",
        "PYTHONPATH": str(root),
        "HEIMPLAN_CACHE_KEY_PREFIX": live_redis,
    }
    live = {**base_env, "REDIS_URL": LIVE_REDIS}
    dead = {**base_env, "REDIS_URL": DEAD_REDIS}
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=live, check=True, cwd=root)  # noqa: S603
    subprocess.run([*manage, "load_heim", "-v0"], env=live, check=True, cwd=root)  # noqa: S603
    port = 8116
    log = tmp_path / "access.log"

    def serve(env):
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "heimplan.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log),
             "--access-logformat", "%(p)s %(U)s"],
            env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/helse/", timeout=2)  # noqa: S310
                return server
            except OSError:
                time.sleep(0.1)
        server.terminate()
        raise AssertionError("gunicorn did not start")

    def get(path):
        url = f"http://127.0.0.1:{port}{path}"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()

    def stop(server):
        server.terminate()
        server.wait(timeout=10)

    server = serve(live)
    try:
        with ThreadPoolExecutor(4) as pool:
            before = list(pool.map(get, [UNIT_URL] * 12))
        assert all(status == 200 and "Barnevernet i Heim" not in html for status, html in before)
    finally:
        stop(server)

    server = serve(dead)
    try:
        for path in [*PUBLIC_URLS, "/logg-inn/"]:
            assert get(path)[0] == 200, path
        status, health = get("/helse/")
        assert status == 200
        assert '"database": "ok"' in health
        assert '"cache": "unavailable"' in health
        script = (
            "from organisation.models import Unit\n"
            "from organisation.services import unit_update\n"
            "u = Unit.objects.get(slug='barneverntjenesten')\n"
            "unit_update(actor=None, unit=u, data={'name': 'Barnevernet i Heim'})\n"
        )
        subprocess.run([*manage, "shell", "-c", script], env=dead, check=True, cwd=root)  # noqa: S603
        assert "Barnevernet i Heim" in get(UNIT_URL)[1]
    finally:
        stop(server)

    server = serve(live)
    try:
        log.write_text("")
        with ThreadPoolExecutor(4) as pool:
            after = list(pool.map(get, [UNIT_URL] * 24))
        assert all(status == 200 and "Barnevernet i Heim" in html for status, html in after)
        time.sleep(0.2)  # the access log is written after the response
        pids = {line.split()[0] for line in log.read_text().splitlines() if line.strip()}
        assert len(pids) == 2, "both workers must have answered"
    finally:
        stop(server)
