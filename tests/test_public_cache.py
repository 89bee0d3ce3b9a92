"""The public page cache: shared, versioned, invalidated by every write, bypassed by editors."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from core.middleware import CACHE_HEADER
from core.publishing import public_content_version
from measures.models import Measure
from measures.services import measure_report_status
from organisation.models import Unit
from tests.factories import PlanFactory, published_plan

pytestmark = pytest.mark.django_db

VIOLENCE = "/planer/handlingsplan-mot-vold-i-naere-relasjoner/"
PUBLIC_URLS = [
    "/",
    "/planer/",
    VIOLENCE,
    "/enheter/",
    "/enheter/barneverntjenesten/",
    "/sok/?q=vold",
    "/tilgjengelighet/",
    "/sitemap.xml",
    "/planer/handlingsplan-mot-vold-i-naere-relasjoner.json",
]


def measure_status_in(html: str, measure: Measure) -> str:
    block = html[html.index(f'aria-labelledby="measure-{measure.pk}"') :]
    return re.search(r"status-badge status-(\w+)", block).group(1)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_anonymous_pages_are_cached_and_identical(client, heim, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    assert first[CACHE_HEADER] == "miss"
    # One query: the public content version, kept in the database (core.publishing).
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert not second.cookies


def test_measure_status_report_invalidates(client, heim):
    measure = Measure.objects.get(
        title="Realisering av nye tiltak mot vold i nære relasjoner",
        plan__slug="handlingsplan-mot-vold-i-naere-relasjoner",
    )
    assert measure_status_in(client.get(VIOLENCE).content.decode(), measure) == "in_progress"
    assert client.get(VIOLENCE)[CACHE_HEADER] == "hit"
    measure_report_status(actor=None, measure=measure, status=Measure.Status.COMPLETED)
    response = client.get(VIOLENCE)
    assert response[CACHE_HEADER] == "miss"
    assert measure_status_in(response.content.decode(), measure) == "completed"


def test_adoption_invalidates_lists(client, heim):
    assert "Ny sykkelplan" not in client.get("/planer/").content.decode()
    published_plan(title="Ny sykkelplan", slug="ny-sykkelplan")
    assert "Ny sykkelplan" in client.get("/planer/").content.decode()
    assert "Ny sykkelplan" in client.get("/").content.decode()


def test_unit_renamed_in_admin_invalidates(client, admin_client, heim):
    unit = Unit.objects.get(slug="barneverntjenesten")
    url = f"/enheter/{unit.slug}/"
    assert client.get(url)[CACHE_HEADER] == "miss"
    assert client.get(url)[CACHE_HEADER] == "hit"
    response = admin_client.post(
        f"/admin/organisation/unit/{unit.pk}/change/",
        {"name": "Barnevernet i Heim", "slug": unit.slug, "kind": unit.kind, "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(url).content.decode()
    assert "Barnevernet i Heim" in html
    assert "Barnevernet i Heim" in client.get("/enheter/").content.decode()


def test_load_heim_bumps_the_version(heim):
    before = public_content_version()
    call_command("load_heim", verbosity=0)
    assert public_content_version() != before


def test_editors_always_get_fresh_pages(client, admin_client, heim):
    draft = PlanFactory(title="Utkast for redaktører", slug="utkast-for-redaktorer")
    for _ in range(2):
        response = admin_client.get(f"/planer/{draft.slug}/")
        assert response.status_code == 200
        assert CACHE_HEADER not in response
        assert CACHE_HEADER not in admin_client.get("/")
    assert client.get(f"/planer/{draft.slug}/").status_code == 404


def test_errors_posts_and_admin_are_never_cached(client, heim):
    for _ in range(2):
        assert CACHE_HEADER not in client.get("/planer/finnes-ikke/")
        assert CACHE_HEADER not in client.get("/admin/login/")
        assert CACHE_HEADER not in client.post("/planer/")


def test_unknown_query_parameters_are_answered_but_never_stored(client, heim):
    """Random parameters must not let anybody fill the shared cache."""
    for url in ("/?x=1", "/planer/?utm_source=nyhetsbrev", f"{VIOLENCE}?status=done&junk=1"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert CACHE_HEADER not in response, url
    # The parameters a page reads are still cached, one entry per valid value.
    status = Measure.objects.filter(plan__slug=VIOLENCE.strip("/").split("/")[-1]).first().status
    for url in ("/sok/?q=vold", f"{VIOLENCE}?status={status}", "/sitemap-plans.xml?p=1"):
        assert client.get(url)[CACHE_HEADER] == "miss", url
        assert client.get(url)[CACHE_HEADER] == "hit", url


def test_random_values_of_read_parameters_are_answered_but_never_stored(client, heim):
    """Finding 5 (issue 12): every distinct ?q= or filter value became a cache entry."""
    from django.core.cache import cache

    client.get("/planer/")  # the content version's own key
    client.get(f"{VIOLENCE}?uten-mellomlager=1")  # the plan's kept measure HTML, keyed by version
    before = len(cache._cache)
    for n in range(15):
        for url in (
            f"/sok/?q=tullord{n}",  # finds nothing
            f"/sok/?q=vold%20%20{n}",  # not normalised
            f"/sok/?q=vold&q={n}",  # the same parameter twice
            f"{VIOLENCE}?unit=finnes-ikke-{n}",  # not a choice
            f"{VIOLENCE}?level={n}",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert CACHE_HEADER not in response, url
    assert len(cache._cache) == before


def test_a_visitor_with_a_session_cookie_bypasses_the_cache(heim):
    visitor = Client()
    visitor.get("/")
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "whatever"
    assert CACHE_HEADER not in visitor.get("/")


# -- several server processes ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(params=["database", "redis"])
def two_workers(request, tmp_path):
    """gunicorn with two workers over a file database of its own, Heim loaded."""
    if request.param == "redis" and not _redis_available():
        pytest.skip("no Redis server at 127.0.0.1:6379")
    root = Path(settings.BASE_DIR)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "DJANGO_CONN_MAX_AGE": "0",
        "PYTHONPATH": str(root),
    }
    env.pop("REDIS_URL", None)
    if request.param == "redis":
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        env["HEIMPLAN_CACHE_KEY_PREFIX"] = f"heimplan-test-{uuid.uuid4()}"
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=root)  # noqa: S603
    subprocess.run([*manage, "load_heim", "-v0"], env=env, check=True, cwd=root)  # noqa: S603
    port = _free_port()
    log = tmp_path / "access.log"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "heimplan.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log),
         "--access-logformat", "%(p)s %(U)s"],
        env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.1)
        yield {"base": base, "env": env, "manage": manage, "root": root, "log": log}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return response.headers.get(CACHE_HEADER, ""), response.read().decode()


def _worker_pids(log: Path) -> set[str]:
    return {line.split()[0] for line in log.read_text().splitlines() if line.strip()}


def test_a_change_shows_on_the_next_request_to_any_worker(two_workers):
    base, log = two_workers["base"], two_workers["log"]
    url = base + VIOLENCE
    # Warm both workers' view of the cache with parallel requests.
    with ThreadPoolExecutor(4) as pool:
        before = list(pool.map(_get, [url] * 24))
    assert {header for header, _ in before} >= {"hit"}
    title = "Realisering av nye tiltak mot vold i nære relasjoner"
    script = (
        "from measures.models import Measure\n"
        "from measures.services import measure_report_status\n"
        f"m = Measure.objects.get(title={title!r}, plan__slug={VIOLENCE.split('/')[2]!r})\n"
        "measure_report_status(actor=None, measure=m, status='completed')\n"
        "print(m.pk)\n"
    )
    out = subprocess.run(  # noqa: S603
        [*two_workers["manage"], "shell", "-c", script],
        env=two_workers["env"], cwd=two_workers["root"], check=True, capture_output=True, text=True,
    )  # fmt: skip
    pk = int(out.stdout.strip().splitlines()[-1])
    log.write_text("")
    with ThreadPoolExecutor(4) as pool:
        after = list(pool.map(_get, [url] * 24))
    for _header, html in after:
        block = html[html.index(f'aria-labelledby="measure-{pk}"') :]
        assert re.search(r"status-badge status-(\w+)", block).group(1) == "completed"
    assert "hit" in {header for header, _ in after}  # the new version is cached again
    time.sleep(0.2)  # the access log is written after the response
    assert len(_worker_pids(log)) == 2, "both workers must have answered"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrent transactions need PostgreSQL",
)
# serialized_rollback, as the other transactional tests: without it the flush after this
# test re-creates the content types under new ids, and a serialized test that follows on
# the same database (another order of files, a pytest-xdist worker) fails to restore them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_index_rebuilds_leave_no_duplicate_hits():
    import threading

    from django.db import connection

    from search.models import SearchEntry
    from search.services import search_index_rebuild

    published_plan(measures=5)
    expected = search_index_rebuild()
    barrier = threading.Barrier(2)
    errors = []

    def rebuild():
        try:
            for _ in range(5):
                barrier.wait(timeout=30)
                search_index_rebuild()
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rebuild) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SearchEntry.objects.count() == expected


def test_a_lost_cache_never_revives_old_entries(client, heim):
    from django.core.cache import cache

    assert client.get("/planer/")[CACHE_HEADER] == "miss"
    assert client.get("/planer/")[CACHE_HEADER] == "hit"
    before = public_content_version()
    # Redis restarted or the database cache was culled: the version is not in it.
    cache.clear()
    assert public_content_version() == before
    other_worker = Client()  # without the first one's copies of recent entries
    assert other_worker.get("/planer/")[CACHE_HEADER] == "miss"
    assert other_worker.get("/planer/")[CACHE_HEADER] == "hit"


@pytest.mark.django_db(False)
def test_recent_entries_are_bounded_and_version_checked():
    from core.middleware import _RecentEntries

    recent = _RecentEntries()
    recent.MAX_ENTRIES = 3
    for n in range(5):
        recent.put(f"k{n}", (7, b"x" * 10, []))
    assert recent.get("k0", 7) is None
    assert recent.get("k4", 7) is not None
    assert recent.get("k4", 8) is None
    recent.put("huge", (7, b"x" * (recent.MAX_BYTES // 4), []))
    assert recent.get("huge", 7) is None
