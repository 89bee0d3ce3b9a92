#!/usr/bin/env python
"""Soak run (not a test): gunicorn under a mixed load for a long while (issue 18).

Loads Heim into a PostgreSQL database of its own (dropped and made again), runs
gunicorn (``gunicorn.conf.py``, production settings: DEBUG off, Redis with a key
prefix of its own) and lets several clients, each with its own cookies, loop over
a mix of

- ``public``: anonymous public pages (front page, lists, every plan and unit page
  of the sitemap, JSON, the sitemap itself),
- ``search``: anonymous searches (``/sok/?q=``), hits and misses,
- ``signin``: the login form, the signed-in start page, sign out,
- ``save``: a signed-in administrator renames a unit in the admin (a write that
  changes public content: the content version moves and the page cache misses),

for ``--duration`` seconds (default 600). Prints the errors (any failure to connect,
any status other than the expected one; target 0), the median and 95th percentile
per kind, and the resident memory of each gunicorn worker after the warm-up and at
the end (target: growth under 10 %).

    .venv/bin/python bench/soak.py                 # ten minutes on port 8106
    .venv/bin/python bench/soak.py --duration 60   # a short check
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "soak-" + secrets.token_urlsafe(12)
SEARCH_WORDS = ["vold", "barn", "helse", "skole", "bolig", "klima", "eldre", "ungdom", "rus"]
SEARCH_MISSES = ["qqxzv", "ingentreffher"]
WEIGHTS = {"public": 60, "search": 25, "save": 10, "signin": 5}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=600, help="seconds of load")
    parser.add_argument("--warmup", type=int, default=30, help="seconds of load before")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--think", type=float, default=0.05, help="seconds between requests")
    parser.add_argument("--database", default="heimplan_soak_failure")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--keep-database", action="store_true")
    return parser.parse_args()


def make_env(args, workdir: Path) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "REDIS_URL": args.redis,
        "HEIMPLAN_CACHE_KEY_PREFIX": f"heimplan-soak-{uuid.uuid4()}",
        # Sign-ins from one address by several clients: the throttle counts failures only.
        "HEIMPLAN_LOGIN_FAILURE_LIMIT": "5",
    }


def recreate_database(name: str, *, drop_only: bool = False) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


SETUP_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from organisation.models import Unit
User = get_user_model()
units = list(Unit.objects.order_by("pk")[:{clients}])
for n in range({clients}):
    user, _ = User.objects.get_or_create(username=f"soak{{n}}", defaults={{"email": f"soak{{n}}@example.invalid"}})
    user.is_staff = user.is_superuser = True
    user.set_password({password!r})
    user.save()
print(json.dumps([{{"pk": u.pk, "slug": u.slug, "kind": u.kind, "name": u.name}} for u in units]))
"""


def manage(env, *args, capture=False) -> str:
    out = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, check=True, capture_output=capture, text=True,
    )  # fmt: skip
    return out.stdout if capture else ""


def set_up(args, env) -> list[dict]:
    recreate_database(args.database)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_heim", "-v0")
    manage(env, "republish", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    script = SETUP_SCRIPT.format(clients=args.clients, password=PASSWORD)
    out = manage(env, "shell", "-c", script, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Visitor:
    """One client: its own cookies, no automatic redirects."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback
        if data is not None:
            req.add_header("Referer", self.base + path)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
            return exc.code, exc.read().decode("utf-8", "replace")

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token on the form")
        return match.group(1)

    def forget(self) -> None:
        self.jar.clear()


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.recording = False

    def step(self, kind: str, func) -> None:
        start = time.perf_counter()
        try:
            func()
        except Exception as exc:  # every failure counts, and is shown below
            with self.lock:
                self.errors.append(f"{kind}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        elapsed = (time.perf_counter() - start) * 1000
        if self.recording:
            with self.lock:
                self.times[kind].append(elapsed)


def expect(status: int, wanted: int, what: str) -> None:
    if status != wanted:
        raise RuntimeError(f"{what}: {status} (expected {wanted})")


def client_loop(n: int, base: str, public: list[str], unit: dict, rec: Recorder, stop, think):
    rng = random.Random(n)
    anonymous = Visitor(base)
    signer = Visitor(base)
    editor = Visitor(base)
    username = f"soak{n}"
    saves = 0

    def sign_in(visitor: Visitor) -> None:
        status, html = visitor.request("/logg-inn/")
        expect(status, 200, "GET /logg-inn/")
        status, _ = visitor.request(
            "/logg-inn/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": visitor.csrf(html)},
        )
        expect(status, 302, "POST /logg-inn/")

    def do_public():
        path = rng.choice(public)
        status, _ = anonymous.request(path)
        expect(status, 200, f"GET {path}")

    def do_search():
        word = rng.choice(SEARCH_WORDS if rng.random() < 0.85 else SEARCH_MISSES)
        status, _ = anonymous.request(f"/sok/?q={word}")
        expect(status, 200, f"GET /sok/?q={word}")

    def do_signin():
        signer.forget()
        sign_in(signer)
        status, html = signer.request("/arbeid/")
        expect(status, 200, "GET /arbeid/")
        status, _ = signer.request("/logg-ut/", {"csrfmiddlewaretoken": signer.csrf(html)})
        expect(status, 302, "POST /logg-ut/")

    def do_save():
        nonlocal saves
        if not any(c.name == "sessionid" for c in editor.jar):
            sign_in(editor)
        path = f"/admin/organisation/unit/{unit['pk']}/change/"
        status, html = editor.request(path)
        expect(status, 200, f"GET {path}")
        saves += 1
        data = {
            "name": unit["name"],
            "slug": unit["slug"],
            "kind": unit["kind"],
            "description": f"Endret i soak-kjøringen ({saves}).",
            "csrfmiddlewaretoken": editor.csrf(html),
        }
        status, body = editor.request(path, data)
        expect(status, 302, f"POST {path}")

    actions = {"public": do_public, "search": do_search, "signin": do_signin, "save": do_save}
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    while not stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        rec.step(kind, actions[kind])
        if think:
            time.sleep(think * rng.uniform(0.5, 1.5))


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="heimplan-soak-") as tmp:
        workdir = Path(tmp)
        env = make_env(args, workdir)
        print(f"Setting up database {args.database!r} (Heim) ...", flush=True)
        units = set_up(args, env)
        base = f"http://127.0.0.1:{args.port}"
        log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{args.port}",
             "--workers", str(args.workers)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            return run(args, base, server, units, workdir)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
            tail = (workdir / "gunicorn.log").read_text().splitlines()[-15:]
            if tail:
                print("gunicorn log (last lines):")
                for line in tail:
                    print("  " + line)
            if not args.keep_database:
                recreate_database(args.database, drop_only=True)


def run(args, base: str, server, units: list[dict], workdir: Path) -> int:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/helse/", timeout=2)  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.1)
    status, sitemap = Visitor(base).request("/sitemap.xml")
    expect(status, 200, "sitemap")
    paths = {urllib.parse.urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    public = sorted(paths | {"/", "/planer/", "/enheter/", "/sitemap.xml", "/tilgjengelighet/"})
    public += [p[:-1] + ".json" for p in paths if re.fullmatch(r"/planer/[^/]+/", p)]
    booted = {pid: rss_kib(pid) for pid in worker_pids(server.pid)}
    print(
        f"gunicorn on {base}: {args.workers} workers, {args.clients} clients, "
        f"{len(public)} public URLs, warm-up {args.warmup} s, soak {args.duration} s",
        flush=True,
    )
    rec = Recorder()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=client_loop,
            args=(n, base, public, units[n % len(units)], rec, stop, args.think),
            daemon=True,
        )
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)
    with rec.lock:
        warmup_errors = list(rec.errors)
        rec.errors.clear()
        rec.recording = True
    start_pids = worker_pids(server.pid)
    at_start = {pid: rss_kib(pid) for pid in start_pids}
    started = time.monotonic()
    next_report = started + 60
    while time.monotonic() - started < args.duration:
        time.sleep(1)
        if time.monotonic() >= next_report:
            next_report += 60
            with rec.lock:
                done = sum(len(v) for v in rec.times.values())
                errors = len(rec.errors)
            print(
                f"  {int(time.monotonic() - started)} s: {done} steps, {errors} errors", flush=True
            )
    with rec.lock:
        rec.recording = False
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    end_pids = worker_pids(server.pid)
    at_end = {pid: rss_kib(pid) for pid in end_pids}
    elapsed = time.monotonic() - started

    print()
    print(f"Soak: {elapsed:.0f} s, {args.clients} clients, {args.workers} gunicorn workers")
    total = sum(len(v) for v in rec.times.values())
    print(f"steps: {total} ({total / elapsed:.1f}/s); errors: {len(rec.errors)} (target 0)")
    if warmup_errors:
        print(f"errors during the warm-up: {len(warmup_errors)}")
    for line in (warmup_errors + rec.errors)[:20]:
        print("  " + line)
    print(f"{'kind':<8} {'count':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in WEIGHTS:
        values = rec.times.get(kind, [])
        if values:
            print(
                f"{kind:<8} {len(values):>7} {statistics.median(values):>8.1f} "
                f"{percentile(values, 0.95):>8.1f}"
            )
    print("worker RSS (KiB): after boot -> start of soak -> end; growth over the soak")
    worst = 0.0
    for pid in sorted(set(start_pids) | set(end_pids)):
        first, last = at_start.get(pid), at_end.get(pid)
        growth = (last - first) / first * 100 if first and last else None
        if growth is not None:
            worst = max(worst, growth)
        shown = f"{growth:+.1f} %" if growth is not None else "(worker replaced)"
        print(f"  pid {pid}: {booted.get(pid)} -> {first} -> {last}  {shown}")
    print(f"largest growth: {worst:.1f} % (target < 10 %)")
    return 0 if not rec.errors and worst < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
