#!/usr/bin/env python
"""Benchmark the follow-up (issue 14): the yearly report PDF, importing indicator values,
and the public plan page with goals and indicators.

Standalone: `.venv/bin/python bench/followup.py` (a throwaway SQLite database), or
`--database-url postgres://postgres@127.0.0.1:5432/<name>` (the database is created
by the test-free `migrate` and left for you to drop). Made-up data only. Prints:

- the yearly report made final (snapshot + tagged PDF rendered once) for a plan with
  200 measures and 20 indicators of 10 yearly values each: target < 3 s;
- importing 10,000 values of one indicator from a CSV file (read, preview, apply all
  or nothing): target < 5 s;
- the public plan page of that plan, uncached (an unused query parameter misses the
  page cache): median and 95th percentile of 30 requests and the SQL query count,
  target < 80 ms.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("bench_plan_pdf", ROOT / "bench" / "pdf.py")
plan_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plan_bench)

TARGETS = {"report": 3.0, "import": 5.0, "page_ms": 80.0}


def build(measures: int = 200, indicators: int = 20, years: int = 10):
    from measures.models import Measure, StatusReport
    from plans.models import Goal
    from plans.services import plan_register_adoption
    from results.models import Indicator, IndicatorValue

    plan = plan_bench.make_plan(measures)
    mains = [Goal.objects.create(plan=plan, order=n, title=f"Hovedmål {n + 1}") for n in range(5)]
    goals = mains + [
        Goal.objects.create(plan=plan, parent=main, order=1, title=f"Delmål {main.order + 1}.1")
        for main in mains
    ]
    for n in range(indicators):
        indicator = Indicator.objects.create(
            goal=goals[n % len(goals)],
            order=n,
            name=f"Indikator {n + 1}",
            unit="prosent",
            direction="up" if n % 2 else "down",
            data_source="kostra",
            baseline_value=Decimal(50),
            baseline_date=date(2014, 1, 1),
            target_value=Decimal(60 if n % 2 else 40),
            target_date=date(2030, 1, 1),
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator,
                date=date(2015 + y, 1, 1),
                period=str(2015 + y),
                value=Decimal(50 + (y if n % 2 else -y) * (n % 3)),
            )
            for y in range(years)
        )
    StatusReport.objects.bulk_create(
        StatusReport(
            measure=m,
            status="in_progress",
            text="Arbeidet er i gang.",
            reported_on=date(2024, 1 + i % 12, 10),
        )
        for i, m in enumerate(Measure.objects.filter(plan=plan))
    )
    plan_register_adoption(actor=None, plan=plan, meeting_date=date(2024, 1, 5))
    plan.refresh_from_db()
    return plan


def timed(function):
    """(wall seconds, CPU seconds of this process, result) of ``function()``."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - started, time.process_time() - cpu, result


def bench_report(plan) -> tuple[float, float]:
    from results.services import yearly_report_create, yearly_report_finalise

    report = yearly_report_create(actor=None, plan=plan, data={"year": 2024})
    wall, cpu, _ = timed(lambda: yearly_report_finalise(actor=None, yearly_report=report))
    return wall, cpu


def bench_plan_pdf(plan) -> tuple[float, float]:
    """The reference: the plan's own PDF (same pipeline, same measures), rendered afresh."""
    from plans import pdf, selectors

    document = selectors.build_plan_document(plan)
    pdf.clear_render_cache()
    wall, cpu, _ = timed(lambda: pdf.render_plan_pdf(document, status_display="Vedtatt"))
    return wall, cpu


def bench_import(plan, rows: int = 10_000) -> tuple[float, float, int]:
    from results import importers
    from results.models import Indicator
    from results.services import indicator_import_preview, indicator_values_import

    indicator = Indicator.objects.create(
        goal=plan.goals.first(), name="Daglig", direction="up", data_source="own_register"
    )
    start = date(1990, 1, 1)
    lines = ["dato;verdi;merknad"] + [
        f"{(start + timedelta(days=n)).strftime('%d.%m.%Y')};{n % 1000},{n % 10};"
        for n in range(rows)
    ]
    data = ("\n".join(lines) + "\n").encode()

    def run():
        result = importers.read_csv(data)
        indicator_import_preview(indicator=indicator, result=result)
        indicator_values_import(actor=None, indicator=indicator, result=result)
        return result

    wall, cpu, result = timed(run)
    indicator.delete()  # the plan page below has its 20 indicators only
    return wall, cpu, len(result.rows)


def bench_page(plan) -> dict:
    from django.db import connection
    from django.test import Client

    from results.models import Indicator

    client = Client()
    url = plan.get_absolute_url()
    assert client.get(url).status_code == 200

    def timings(prefix: str) -> list[float]:
        times = []
        for n in range(30):
            started = time.perf_counter()
            assert client.get(f"{url}?{prefix}={n}").status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        return times

    # The reference: the indicators moved for a moment to a goal the adopted version
    # does not have (so the page shows none of them).
    from plans.models import Goal

    goal_ids = dict(Indicator.objects.values_list("pk", "goal_id"))
    hidden = Goal.objects.create(plan=plan, title="Ikke vedtatt")
    Indicator.objects.update(goal=hidden)
    assert 'class="indicator card' not in client.get(f"{url}?check=1").content.decode()
    baseline = statistics.median(timings("without"))
    for pk, goal_id in goal_ids.items():
        Indicator.objects.filter(pk=pk).update(goal_id=goal_id)
    times = timings("bench")
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(f"{url}?bench=q")
    body = client.get(f"{url}?bench=last").content.decode()
    return {
        "median": statistics.median(times),
        "p95": sorted(times)[int(len(times) * 0.95) - 1],
        "queries": len(queries),
        "indicators": body.count('class="indicator card'),
        "baseline_median": baseline,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="heimplan-bench-") as tmp:
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
        else:
            plan_bench.setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.conf import settings
        from django.db import connection

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        import weasyprint  # noqa: F401  (a server process has it imported already)

        print(f"Database: {connection.vendor}")
        plan = build()
        report_s, report_cpu = bench_report(plan)
        pdf_s, pdf_cpu = bench_plan_pdf(plan)
        import_s, import_cpu, rows = bench_import(plan)
        page = bench_page(plan)
        print(
            f"Yearly report made final (snapshot + PDF), 200 measures, 20 indicators × 10 "
            f"years: {report_s:.2f} s, CPU {report_cpu:.2f} s (target < {TARGETS['report']:g} s)"
        )
        print(
            f"  reference on this machine now: the plan's own PDF (200 measures) "
            f"{pdf_s:.2f} s, CPU {pdf_cpu:.2f} s"
        )
        print(
            f"Import of {rows:,} indicator values from CSV (read, preview, apply): "
            f"{import_s:.2f} s, CPU {import_cpu:.2f} s (target < {TARGETS['import']:g} s)"
        )
        print(
            f"Public plan page, {page['indicators']} indicators, uncached: median "
            f"{page['median']:.1f} ms, p95 {page['p95']:.1f} ms, {page['queries']} queries "
            f"(target < {TARGETS['page_ms']:g} ms)"
        )
        print(
            f"  reference on this machine now: the same page without goals and indicators "
            f"{page['baseline_median']:.1f} ms"
        )
        missed = [
            name
            for name, value, target in (
                ("report", report_s, TARGETS["report"]),
                ("import", import_s, TARGETS["import"]),
                ("page", page["median"], TARGETS["page_ms"]),
            )
            if value >= target
        ]
        print("Targets missed: " + (", ".join(missed) if missed else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
