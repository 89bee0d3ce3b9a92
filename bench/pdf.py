#!/usr/bin/env python
"""Benchmark the plan PDF: render time, pages, peak memory and size for 20, 200 and 1,000
measures, and the time to serve a stored adopted PDF.

Standalone: `.venv/bin/python bench/pdf.py`. Seconds are wall-clock time of one
render (WeasyPrint already imported, as in a server process); CPU seconds show how
much of it was this process's own work when the machine is busy. It sets up Django with its own throwaway
SQLite database, so it never touches yours. Each size renders in a fresh process so
that peak memory (RSS) is that size's own. Targets on the reference machine: 200
measures < 3 s, 1,000 < 15 s, stored PDF served < 20 ms (median of 50).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (20, 200, 1000)
TARGETS = {200: 3.0, 1000: 15.0}
SERVE_TARGET_MS = 20.0


def setup_django(db_path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_plan(measures: int):
    """A plan shaped like Heim's: sections, a group, focus areas of up to 25 measures."""
    from measures.models import FocusArea, Measure, TargetGroup
    from organisation.models import Membership, ProcessGroup, Unit
    from plans.models import Plan, PlanSection

    suffix = f"{measures}-{time.monotonic_ns()}"
    units = [
        Unit.objects.create(name=f"Enhet {suffix} {n}", slug=f"enhet-{suffix}-{n}")
        for n in range(8)
    ]
    group = ProcessGroup.objects.create(name=f"Gruppe {suffix}", slug=f"gruppe-{suffix}")
    for n, unit in enumerate(units):
        Membership.objects.create(group=group, role_title=f"Enhetsleder {n}", unit=unit)
    plan = Plan.objects.create(
        title=f"Handlingsplan med {measures} tiltak",
        slug=f"plan-{suffix}",
        summary="Planen samler kommunens forebyggende arbeid for barn, unge og familier.",
        period_start=2024,
        period_end=2027,
        process_group=group,
    )
    body = "\n\n".join(
        "Kommunen skal forebygge omsorgssvikt og atferdsvansker gjennom tidlig innsats, "
        "tverrfaglig samarbeid og tjenester som er lett tilgjengelige for alle. " * 4
        for _ in range(5)
    )
    for n, title in enumerate(["Forord og mandat", "Bakgrunn", "Kartlegging", "Mål", "Oppfølging"]):
        PlanSection.objects.create(plan=plan, order=n, title=title, body=body)
    targets = [
        TargetGroup.objects.get_or_create(slug=f"tg-{n}", defaults={"name": name})[0]
        for n, name in enumerate(["Barn", "Unge", "Foreldre", "Ansatte"])
    ]
    areas = [
        FocusArea.objects.create(plan=plan, order=n, title=f"Innsatsområde {n + 1}")
        for n in range((measures + 24) // 25)
    ]
    created = Measure.objects.bulk_create(
        Measure(
            plan=plan,
            focus_area=areas[n // 25],
            order=n,
            title=f"Tiltak {n + 1}: tverrfaglig oppfølging av familier",
            description="Tjenestene samarbeider om tidlig oppfølging av familier som strever, "
            "med faste møtepunkter og tydelig ansvar.",
            responsible_unit=units[n % len(units)],
            responsible_role="Enhetsleder",
            prevention_level=["universal", "selective", "indicated"][n % 3],
            timing="Planperioden",
        )
        for n in range(measures)
    )
    Partner = Measure.partner_units.through
    Target = Measure.target_groups.through
    Partner.objects.bulk_create(
        Partner(measure_id=m.pk, unit_id=units[(i + 1) % len(units)].pk)
        for i, m in enumerate(created)
    )
    Target.objects.bulk_create(
        Target(measure_id=m.pk, targetgroup_id=targets[i % len(targets)].pk)
        for i, m in enumerate(created)
    )
    return plan


def measure_one(measures: int, db_path: str) -> dict:
    """Run in a child process: build, render once (no cache), report."""
    import io
    import resource

    setup_django(db_path)
    import weasyprint  # noqa: F401  (a server process has it imported already)
    from pypdf import PdfReader

    from plans import pdf, selectors

    plan = make_plan(measures)
    document = selectors.build_plan_document(plan)
    pdf.clear_render_cache()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    rendered = pdf.render_plan_pdf(document, status_display="Utkast", draft=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "measures": measures,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "pages": len(PdfReader(io.BytesIO(rendered.content)).pages),
        "peak_rss_mb": round(peak, 1),
        "rss_growth_mb": round(peak - rss_before, 1),
        "size_kb": round(len(rendered.content) / 1024, 1),
    }


def measure_serving(db_path: str) -> dict:
    setup_django(db_path)
    from django.test import Client
    from django.test.utils import setup_test_environment

    from plans.services import plan_register_adoption

    setup_test_environment()
    plan = make_plan(200)
    from django.utils import timezone

    adoption = plan_register_adoption(actor=None, plan=plan, meeting_date=timezone.localdate())
    client = Client()
    url = f"/planer/{plan.slug}/pdf/"
    assert client.get(url).content == bytes(adoption.pdf)
    times = []
    for _ in range(50):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 2),
        "size_kb": round(len(adoption.pdf) / 1024, 1),
    }


def child(kind: str, arg: str, db_path: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, arg, db_path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, arg, db_path = sys.argv[2:5]
        result = measure_one(int(arg), db_path) if kind == "render" else measure_serving(db_path)
        print(json.dumps(result))
        return 0

    with tempfile.TemporaryDirectory(prefix="heimplan-bench-") as tmp:
        db_path = str(Path(tmp) / "bench.sqlite3")
        print("Plan PDF (WeasyPrint, PDF/UA-1, draft with watermark), one render per size:")
        print(
            f"{'measures':>9} {'seconds':>8} {'CPU s':>6} {'target':>7} {'pages':>6} "
            f"{'peak RSS MB':>12} {'of it render':>13} {'size KB':>8}"
        )
        missed = []
        for size in SIZES:
            r = child("render", str(size), db_path)
            target = TARGETS.get(size)
            mark = f"<{target:g}s" if target else "-"
            if target and r["seconds"] >= target:
                missed.append(f"{size} measures: {r['seconds']} s (target {target} s)")
            print(
                f"{r['measures']:>9} {r['seconds']:>8} {r['cpu_seconds']:>6} {mark:>7} "
                f"{r['pages']:>6} {r['peak_rss_mb']:>12} {r['rss_growth_mb']:>13} "
                f"{r['size_kb']:>8}"
            )
        s = child("serve", "0", db_path)
        print(
            f"Stored adopted PDF ({s['size_kb']} KB) served through Django: "
            f"median {s['median_ms']} ms, p95 {s['p95_ms']} ms of 50 (target < {SERVE_TARGET_MS:g} ms)"
        )
        if s["median_ms"] >= SERVE_TARGET_MS:
            missed.append(f"serving: {s['median_ms']} ms")
        print("All targets met." if not missed else "Missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
