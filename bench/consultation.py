#!/usr/bin/env python
"""Benchmark of the public consultation form (issue 15; not a test).

Makes a throwaway PostgreSQL database (``heimplan_consultation_bench``), puts a plan
out for consultation, runs gunicorn on 127.0.0.1:8102 and has 20 concurrent clients
post 200 responses (10 each: fetch the form for the CSRF token, then post). Prints
the errors (anything but the redirect to the receipt), the responses counted in the
database (none may be lost) and the time per post (median and 95th percentile).
The rate limit is raised for the run: every client posts from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.cookiejar
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
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "heimplan_consultation_bench"
WORKDIR = Path(tempfile.mkdtemp(prefix="heimplan-consultation-bench-"))


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--responses", type=int, default=200)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    return parser.parse_args()


def _admin_db(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    conn.cursor().execute(sql)
    conn.close()


def setup_environment() -> None:
    _admin_db(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin_db(f'CREATE DATABASE "{DB_NAME}"')
    os.environ.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SESSION_COOKIE_SECURE": "0",
            "DJANGO_CSRF_COOKIE_SECURE": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "HEIMPLAN_CACHE_KEY_PREFIX": f"consultation-bench-{uuid.uuid4()}",
            "REDIS_URL": "redis://127.0.0.1:6379/0" if port_open(6379) else "",
            "HEIMPLAN_CONSULTATION_RATE_LIMIT": "1000000",
            "DJANGO_MEDIA_ROOT": str(WORKDIR / "media"),
            # Production's static storage (hashed names from collectstatic), thrown away after.
            "DJANGO_STATIC_ROOT": str(WORKDIR / "static"),
        }
    )


def build_plan() -> str:
    from django.core.management import call_command
    from django.utils import timezone

    from plans.services import plan_send_to_consultation
    from tests.factories import FocusAreaFactory, MeasureFactory, PlanFactory, PlanSectionFactory

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    plan = PlanFactory(title="Benkplan på høring", slug="benkplan-horing")
    PlanSectionFactory(plan=plan, title="Bakgrunn", body="Forebygging. " * 100)
    area = FocusAreaFactory(plan=plan)
    for n in range(20):
        MeasureFactory(plan=plan, focus_area=area, title=f"Tiltak {n + 1}")
    plan_send_to_consultation(
        actor=None, plan=plan, deadline=timezone.localdate() + timedelta(days=30)
    )
    return f"/planer/{plan.slug}/horing/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client_run(base: str, path: str, n: int, client_no: int) -> tuple[list[float], list[str]]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    times, errors = [], []
    for i in range(n):
        try:
            with opener.open(base + path, timeout=60) as page:
                html = page.read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "kind": "person",
                    "name": f"Benk {client_no}-{i}",
                    "email": f"benk{client_no}-{i}@example.org",
                    "text": f"Innspill {client_no}-{i}. " + "Planen bør styrkes. " * 50,
                    "website": "",
                }
            ).encode()
            request = urllib.request.Request(  # noqa: S310 - loopback
                base + path, data=body, headers={"Referer": base + path}, method="POST"
            )
            start = time.perf_counter()
            try:
                with opener.open(request, timeout=60) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            times.append((time.perf_counter() - start) * 1000)
            if status != 302:
                errors.append(f"HTTP {status}")
        except Exception as exc:  # noqa: BLE001 - every failure is counted and printed
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
    return times, errors


def main() -> int:
    args = parse_args()
    if not port_open(5432):
        print("PostgreSQL does not answer at 127.0.0.1:5432")
        return 2
    if port_open(args.port):
        print(f"port {args.port} is in use")
        return 2
    setup_environment()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")
    import django

    django.setup()
    from django.db import connections

    from consultation.models import ConsultationResponse

    server = None
    try:
        path = build_plan()
        connections.close_all()
        command = [sys.executable, "-m", "gunicorn", "heimplan.wsgi", "--bind",
                   f"127.0.0.1:{args.port}", "--workers", str(args.workers),
                   "--log-level", "warning"]  # fmt: skip
        server = subprocess.Popen(command, cwd=ROOT, env={**os.environ})  # noqa: S603
        for _ in range(200):
            if port_open(args.port):
                break
            time.sleep(0.05)
        time.sleep(1)
        base = f"http://127.0.0.1:{args.port}"
        per_client = args.responses // args.clients
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(
                pool.map(lambda c: client_run(base, path, per_client, c), range(args.clients))
            )
        elapsed = time.perf_counter() - started
        times = sorted(t for r in results for t in r[0])
        errors = [e for r in results for e in r[1]]
        stored = ConsultationResponse.objects.count()
        posted = per_client * args.clients
        print(
            f"database: PostgreSQL ({DB_NAME}); gunicorn workers: {args.workers}; "
            f"CPUs: {os.cpu_count()}; clients: {args.clients}"
        )
        print(f"responses posted: {posted} in {elapsed:.1f} s ({posted / elapsed:.1f}/s)")
        print(f"errors: {len(errors)}" + (f" (first: {errors[:3]})" if errors else ""))
        print(f"responses in the database: {stored}; lost: {posted - len(errors) - stored}")
        if times:
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(f"POST time ms: median {statistics.median(times):.1f}, p95 {p95:.1f}, "
                  f"max {times[-1]:.1f}")  # fmt: skip
        return 0 if not errors and stored == posted else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        connections.close_all()
        _admin_db(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
