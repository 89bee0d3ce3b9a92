#!/usr/bin/env python
"""Benchmark of the public web pages (not a test; `make bench` runs it).

Loads Heim and a plan with 300 measures (and one with 10) into a throwaway
database (PostgreSQL when 127.0.0.1:5432 answers, else SQLite), runs gunicorn on
loopback and prints, for the plan page, the front page and search:

- server time per request, uncached and cached (median and 95th percentile of
  sequential requests over loopback; an unused query parameter makes a request
  miss the cache without touching the content version),
- SQL queries per uncached request, for the plans with 10 and 300 measures,
- throughput with wrk (32 connections, 20 s) of each cached page next to a
  static file of the same size served by the same server (WhiteNoise),
- errors (non-2xx responses and socket errors) under load.

Targets: plan page uncached < 80 ms, cached throughput >= 50 % of static,
zero errors, the same query count for 10 and 300 measures.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="wrk seconds per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--threads", type=int, default=1, help="gthread threads per worker")
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even if PostgreSQL runs")
    parser.add_argument("--no-redis", action="store_true", help="use the database cache")
    return parser.parse_args()


def setup_environment(args, workdir: Path) -> dict:
    use_pg = port_open(5432) and not args.sqlite
    db_name = f"heimplan_bench_{os.getpid()}"
    if use_pg:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
        conn.autocommit = True
        conn.cursor().execute(f'CREATE DATABASE "{db_name}"')
        conn.close()
        database_url = f"postgres://postgres@127.0.0.1:5432/{db_name}"
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Production's static storage (hashed names from collectstatic), in a throwaway folder.
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "HEIMPLAN_CACHE_KEY_PREFIX": f"heimplan-bench-{uuid.uuid4()}",
        "REDIS_URL": "",
    }
    if port_open(6379) and not args.no_redis:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    os.environ.update(env)
    return {"env": env, "pg": use_pg, "db_name": db_name}


def drop_database(db_name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    conn.cursor().execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    conn.close()


def build_content(measure_counts: list[int]) -> dict[int, str]:
    """Heim plus one adopted plan per count; returns count → plan URL."""
    from django.core.management import call_command

    from plans.services import plan_register_adoption
    from tests.factories import (
        FocusAreaFactory,
        MeasureFactory,
        MembershipFactory,
        PlanFactory,
        PlanSectionFactory,
        TargetGroupFactory,
        UnitFactory,
    )

    call_command("migrate", verbosity=0)
    call_command("load_heim", verbosity=0)
    units = UnitFactory.create_batch(12)
    groups = TargetGroupFactory.create_batch(6)
    levels = ["universal", "selective", "indicated", ""]
    urls = {}
    for count in measure_counts:
        plan = PlanFactory(
            title=f"Benkplan med {count} tiltak mot vold og for forebygging",
            slug=f"benkplan-{count}",
        )
        MembershipFactory.create_batch(6, group=plan.process_group)
        for n in range(5):
            PlanSectionFactory(
                plan=plan,
                title=f"Kapittel {n + 1}",
                body="Forebygging av vold i nære relasjoner. " * 40,
            )
        areas = FocusAreaFactory.create_batch(6, plan=plan)
        for i in range(count):
            measure = MeasureFactory(
                plan=plan,
                focus_area=areas[i % 6],
                title=f"Tiltak {i + 1}: forebygge vold blant voldsutsatte barn",
                description="Kompetanseheving og samarbeid mellom tjenestene. " * 4,
                responsible_unit=units[i % 12],
                prevention_level=levels[i % 4],
            )
            measure.partner_units.set([units[(i + 1) % 12], units[(i + 2) % 12]])
            measure.target_groups.set([groups[i % 6], groups[(i + 3) % 6]])
        plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
        urls[count] = plan.get_absolute_url()
    return urls


def count_queries(path: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    sep = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{path}{sep}uncached={uuid.uuid4().hex}")
    assert response.status_code == 200, (path, response.status_code)
    # Cache reads/writes through the database cache are queries too; count the page's own.
    return sum(1 for q in ctx.captured_queries if "heimplan_cache" not in q["sql"])


def fetch(url: str) -> tuple[float, bytes, str]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        body = response.read()
        header = response.headers.get("X-Heimplan-Cache", "")
    return (time.perf_counter() - start) * 1000, body, header


def timings(base: str, path: str, n: int = 40) -> dict:
    sep = "&" if "?" in path else "?"
    fetch(base + path)  # warm the cache entry and the worker
    uncached = [fetch(f"{base}{path}{sep}u={uuid.uuid4().hex}")[0] for _ in range(n)]
    cached = []
    for _ in range(n):
        ms, _body, header = fetch(base + path)
        assert header == "hit", (path, header)
        cached.append(ms)

    def summary(values):
        values = sorted(values)
        return statistics.median(values), values[int(len(values) * 0.95) - 1]

    return {"uncached": summary(uncached), "cached": summary(cached)}


def wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(x) for x in sock.groups()) if sock else 0
    )
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {"rps": rps, "errors": errors, "p99": p99.group(1) if p99 else "?"}


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian package wrk): apt-get install -y wrk")
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="heimplan-bench-"))
    setup = setup_environment(args, workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    server = None
    static_dir = Path(settings.STATIC_ROOT) / "bench"
    try:
        print(
            f"database: {'PostgreSQL' if setup['pg'] else 'SQLite'}; cache: "
            f"{'Redis' if setup['env']['REDIS_URL'] else 'database'}; "
            f"gunicorn workers: {args.workers} x {args.threads} thread(s); CPUs: {os.cpu_count()}"
        )
        t0 = time.perf_counter()
        urls = build_content([10, args.measures])
        print(f"content loaded in {time.perf_counter() - t0:.1f} s")
        pages = {
            "plan page": urls[args.measures],
            "front page": "/",
            "search": "/sok/?q=vold",
        }
        queries = {
            "plan page": (count_queries(urls[10]), count_queries(urls[args.measures])),
            "front page": (count_queries("/"), count_queries("/")),
            "search": (count_queries("/sok/?q=vold"), count_queries("/sok/?q=vold")),
        }
        # Static files of the same sizes as the pages, served by the same server.
        static_dir.mkdir(parents=True, exist_ok=True)
        client = Client()
        static = {}
        for name, path in pages.items():
            body = client.get(path).content
            file = static_dir / f"{name.replace(' ', '-')}.html"
            file.write_bytes(body)
            static[name] = (f"{settings.STATIC_URL}bench/{file.name}", len(body))
        connections.close_all()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "gunicorn", "heimplan.wsgi", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(args.workers), "--log-level", "warning"]  # fmt: skip
        if args.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(args.threads)]
        server = subprocess.Popen(command, cwd=ROOT, env={**os.environ})  # noqa: S603
        for _ in range(200):
            if port_open(port):
                break
            time.sleep(0.05)
        time.sleep(1)

        print()
        header = f"{'page':<11} {'bytes':>7} {'queries 10/' + str(args.measures):>15} "
        header += f"{'uncached ms (med/p95)':>22} {'cached ms (med/p95)':>20}"
        print(header)
        results = {}
        for name, path in pages.items():
            t = timings(base, path)
            results[name] = t
            q10, qn = queries[name]
            print(
                f"{name:<11} {static[name][1]:>7} {f'{q10}/{qn}':>15} "
                f"{t['uncached'][0]:>12.1f} / {t['uncached'][1]:>6.1f} "
                f"{t['cached'][0]:>11.2f} / {t['cached'][1]:>5.2f}"
            )

        print(f"\nthroughput, wrk {args.connections} connections {args.duration} s each")
        print(f"{'page':<11} {'cached req/s':>13} {'static req/s':>13} {'ratio':>6} {'errors':>7}")
        ok = True
        for name, path in pages.items():
            page = wrk(base + path, args.duration, args.connections)
            stat = wrk(base + static[name][0], args.duration, args.connections)
            ratio = page["rps"] / stat["rps"]
            errors = page["errors"] + stat["errors"]
            print(
                f"{name:<11} {page['rps']:>13.0f} {stat['rps']:>13.0f} {ratio:>6.0%} {errors:>7}"
                f"   (p99 {page['p99']} vs {stat['p99']})"
            )
            ok &= ratio >= 0.5 and errors == 0
        plan_uncached = results["plan page"]["uncached"][0]
        flat = queries["plan page"][0] == queries["plan page"][1]
        print(
            f"\ntargets: plan page uncached < 80 ms: {'yes' if plan_uncached < 80 else 'NO'} "
            f"({plan_uncached:.1f} ms); queries flat 10 vs {args.measures}: "
            f"{'yes' if flat else 'NO'}; cached >= 50 % of static and zero errors: "
            f"{'yes' if ok else 'NO'}"
        )
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(static_dir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
        from django.db import connections as conns

        conns.close_all()
        if setup["pg"]:
            drop_database(setup["db_name"])


if __name__ == "__main__":
    sys.exit(main())
