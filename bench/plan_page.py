#!/usr/bin/env python
"""Benchmark of the public plan page (``/planer/<slug>/``) of a 300-measure plan, uncached.

Builds an adopted, published plan shaped like Heim's (chapters, goals, 12 focus
areas, 300 measures with Markdown descriptions, a responsible unit, partners, target
groups, prevention level, deadline or timing, goals, and status reports on a third
of them), then asks for the page 30 times as an anonymous visitor through Django's
test client in-process, each with an unused query parameter so that the page cache
neither serves nor stores it. Prints the median and p95 wall-clock and CPU time,
the SQL queries per request and the page size, in bokmål and nynorsk.

Settings as in production (``DJANGO_DEBUG=0``; the shared cache is Redis when
127.0.0.1:6379 answers, under a key prefix of its own, else the database cache). The database is a throwaway SQLite
file unless ``--database-url`` names a PostgreSQL database, which is dropped and
created afresh (so never name one that matters):

    .venv/bin/python bench/plan_page.py
    .venv/bin/python bench/plan_page.py --database-url postgres://postgres@127.0.0.1:5432/planpage_bench

Target (issue 17): under 30 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import port_open  # noqa: E402

MEASURES = 300
RENDERS = 30
TARGET_MS = 30.0

_WORDS = [
    "barn",
    "unge",
    "familie",
    "vold",
    "skole",
    "helse",
    "forebygging",
    "samarbeid",
    "tidlig",
    "innsats",
    "oppfølging",
    "foreldre",
    "tjenester",
    "kommunen",
    "tverrfaglig",
    "veiledning",
    "kurs",
    "opplæring",
    "rutiner",
    "ansatte",
    "barnehage",
    "helsestasjon",
    "politi",
    "barnevern",
    "NAV",
    "trygghet",
    "kompetanse",
]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(_WORDS, k=count))


def _description(rng: random.Random) -> str:
    return (
        f"{_words(rng, 25).capitalize()}, med **{_words(rng, 2)}** og "
        f"[mer om tiltaket](https://www.heim.kommune.no/{rng.randrange(1000)}).\n\n"
        f"- {_words(rng, 6)}\n- {_words(rng, 5)}\n- {_words(rng, 7)}\n"
    )


def _recreate_postgres(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = "bench-" + uuid.uuid4().hex * 2
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_SESSION_COOKIE_SECURE"] = "0"
    os.environ["DJANGO_CSRF_COOKIE_SECURE"] = "0"
    # The shared cache as in production: Redis when it answers, else the database cache.
    os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/0" if port_open(6379) else ""
    os.environ["HEIMPLAN_CACHE_KEY_PREFIX"] = f"plan-page-bench-{os.getpid()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0, interactive=False)


def build() -> str:
    """An adopted, published plan of ``MEASURES`` measures; returns its slug."""
    from datetime import date, timedelta

    from django.utils import timezone

    from measures.models import FocusArea, Measure, StatusReport, TargetGroup
    from organisation.models import Membership, ProcessGroup, Unit
    from plans.models import Adoption, Goal, Plan, PlanSection
    from plans.selectors import build_plan_document
    from plans.services import plans_republish

    rng = random.Random(17)
    units = Unit.objects.bulk_create(
        Unit(name=f"Enhet {n} for {_words(rng, 2)}", slug=f"enhet-{n}") for n in range(20)
    )
    group = ProcessGroup.objects.create(name="OKS-gruppen", slug="oks-gruppen")
    Membership.objects.bulk_create(
        Membership(group=group, role_title=f"Enhetsleder {n}", unit=unit, order=n)
        for n, unit in enumerate(units[:8])
    )
    plan = Plan.objects.create(
        title="Handlingsplan mot vold i nære relasjoner",
        slug="handlingsplan-bench",
        summary=_words(rng, 30),
        period_start=2025,
        period_end=2028,
        process_group=group,
    )
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, order=n, title=f"Kapittel {n + 1}", body=_words(rng, 200))
        for n in range(5)
    )
    main_goals = [
        Goal.objects.create(plan=plan, order=n, title=f"Hovedmål {n + 1}: {_words(rng, 5)}")
        for n in range(3)
    ]
    goals = main_goals + [
        Goal.objects.create(plan=plan, parent=main, order=n, title=f"Delmål: {_words(rng, 5)}")
        for main in main_goals
        for n in range(2)
    ]
    targets = [
        TargetGroup.objects.get_or_create(slug=f"tg-{n}", defaults={"name": name})[0]
        for n, name in enumerate(["Barn", "Unge", "Foreldre", "Ansatte", "Eldre"])
    ]
    areas = FocusArea.objects.bulk_create(
        FocusArea(plan=plan, order=n, title=f"Innsatsområde {n + 1}: {_words(rng, 3)}")
        for n in range(12)
    )
    today = timezone.localdate()
    measures = Measure.objects.bulk_create(
        Measure(
            plan=plan,
            focus_area=areas[n * len(areas) // MEASURES],
            order=n,
            title=f"Tiltak {n + 1}: {_words(rng, 5)}",
            description=_description(rng),
            responsible_unit=units[rng.randrange(len(units))],
            responsible_role="Enhetsleder",
            prevention_level=["universal", "selective", "indicated", ""][n % 4],
            deadline=date(2026, 1, 1) + timedelta(days=n) if n % 2 else None,
            timing="" if n % 2 else "Hele planperioden",
            status=["not_started", "in_progress", "completed"][n % 3],
        )
        for n in range(MEASURES)
    )
    through = Measure.partner_units.through
    through.objects.bulk_create(
        through(measure_id=m.pk, unit_id=units[(i + k) % len(units)].pk)
        for i, m in enumerate(measures)
        for k in (1, 2)
    )
    through = Measure.target_groups.through
    through.objects.bulk_create(
        through(measure_id=m.pk, targetgroup_id=targets[(i + k) % len(targets)].pk)
        for i, m in enumerate(measures)
        for k in (0, 1)
    )
    through = Measure.goals.through
    through.objects.bulk_create(
        through(measure_id=m.pk, goal_id=goals[i % len(goals)].pk) for i, m in enumerate(measures)
    )
    Adoption.objects.create(
        plan=plan,
        version_number=1,
        meeting_date=today,
        snapshot=build_plan_document(plan),
        pdf=b"",
    )
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ADOPTED)
    # Follow-up after adoption: reports on a third of the measures, some with history.
    StatusReport.objects.bulk_create(
        StatusReport(
            measure=m,
            reported_on=today - timedelta(days=30 * k),
            status="in_progress",
            text=f"{_words(rng, 15)}.\n{_words(rng, 8)}.",
        )
        for i, m in enumerate(measures)
        if i % 3 == 0
        for k in range(1 + i % 4)
    )
    # The rows above were written in bulk, past the services: publish them the way a loader does.
    plans_republish(actor=None)
    return plan.slug


def measure(slug: str) -> None:
    from django.db import connection
    from django.test import Client

    def p95(values: list[float]) -> float:
        return sorted(values)[max(0, int(len(values) * 0.95) - 1)]

    for language in ("nb", "nn"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["django_language"] = language
        path = f"/planer/{slug}/"
        first = client.get(path)
        assert first.status_code == 200, first.status_code
        assert "Tiltak 300:" in first.content.decode(), "the measures are missing"
        queries = []

        def counted(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        # Counted by a wrapper: the request_started signal empties connection.queries.
        with connection.execute_wrapper(counted):
            client.get(f"{path}?nocache=warm")
        wall, cpu = [], []
        for n in range(RENDERS):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(f"{path}?nocache={n}")
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200
            assert response.get("X-Heimplan-Cache") != "hit"
        print(
            f"{language}: median {statistics.median(wall):6.1f} ms, p95 {p95(wall):6.1f} ms"
            f"  (CPU median {statistics.median(cpu):.1f} ms, p95 {p95(cpu):.1f} ms)"
            f"  {len(queries)} queries, {len(response.content) / 1024:.0f} KiB",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL (dropped and recreated)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="heimplan-plan-page-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        if url.startswith("postgres"):
            _recreate_postgres(url)
        setup_django(url)
        from django.db import connection

        slug = build()
        print(
            f"Plan page, {MEASURES} measures, {RENDERS} uncached renders "
            f"({connection.vendor}, cache {os.environ['REDIS_URL'] and 'Redis' or 'database'};"
            f" target < {TARGET_MS:g} ms):",
            flush=True,
        )
        measure(slug)


if __name__ == "__main__":
    main()
