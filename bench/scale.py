#!/usr/bin/env python
"""Benchmark of the site's size: does a save, a search or a page cost more as the site grows?

For each size (1,000, 10,000 and 50,000 measures by default) it builds a fresh
PostgreSQL database (``heimplan_scale_<size>`` on 127.0.0.1:5432, dropped afterwards
unless ``--keep``) with bulk operations: plans of 250 measures each (the first has
300), adopted and published, and the search index built. Then it prints:

- one admin save of a unit (a rename) and one workspace save of a measure
  (``/tiltak/<id>/rediger/``), each the median of 3, including the publishing that
  runs after the commit (read model, search index),
- search: median and p95 over ten common words, uncached (each word asked once per
  round, 5 rounds, pages of 20 hits),
- the front page, the plan list, a unit page (the unit with the most measures), the sitemap index and
  its first page, and the uncached 300-measure plan page (median of 10),
- a full index rebuild (``rebuild_search_index``),
- peak memory (max RSS) of the process that built and measured that size.

Pages are asked for through Django's test client in-process (no network), with an
unused query parameter so they miss the page cache. The cache is Redis when
127.0.0.1:6379 answers (a key prefix of its own), else the database cache.

    .venv/bin/python bench/scale.py                  # 1000, 10000, 50000
    .venv/bin/python bench/scale.py --sizes 10000    # one size
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCH_WORDS = [
    "barn",
    "vold",
    "skole",
    "helse",
    "forebygging",
    "samarbeid",
    "ungdom",
    "familie",
    "rus",
    "bolig",
]

# A vocabulary with a few very common words, as in real plan text.
_VOCABULARY_TEXT = (
    "barn barn barn unge ungdom familie familier skole skolen helse helsestasjon vold "
    "forebygging forebyggende samarbeid samarbeide tiltak kommunen tjenester tjenesten "
    "rus psykisk bolig boliger oppfølging kompetanse kartlegging foreldre barnehage "
    "barnehagen tverrfaglig innsats tidlig nettverk frivillig idrett kultur fritid "
    "arbeid inkludering mangfold trygghet trygg omsorg eldre hjemmetjeneste legevakt "
    "politi barnevern NAV veiledning kurs opplæring informasjon digital rutiner plan "
    "evaluering rapport ansvar koordinering møte møter dialog brukere pårørende "
    "medvirkning levekår fattigdom ensomhet aktivitet deltakelse mestring livskvalitet"
)
VOCABULARY = _VOCABULARY_TEXT.split()


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# -- the parent: one child process per size ------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    args = parser.parse_args()
    if args.one:
        run_one(args.one, reuse=args.reuse)
        return
    if not port_open(5432):
        sys.exit("PostgreSQL is not answering on 127.0.0.1:5432.")
    for size in [int(s) for s in args.sizes.split(",")]:
        db_name = f"heimplan_scale_{size}"
        if not args.reuse:
            _admin_sql(f'DROP DATABASE IF EXISTS "{db_name}"')
            _admin_sql(f'CREATE DATABASE "{db_name}"')
        env = dict(os.environ)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db_name}"
        env["DJANGO_DEBUG"] = "0"
        env["DJANGO_SECRET_KEY"] = "bench-" + uuid.uuid4().hex * 2
        env["DJANGO_SECURE_SSL_REDIRECT"] = "0"
        # Static files by name (no collectstatic manifest needed for a bench).
        env["DJANGO_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
        env["HEIMPLAN_CACHE_KEY_PREFIX"] = f"scale-bench-{os.getpid()}-{size}"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0" if port_open(6379) else ""
        command = [sys.executable, __file__, "--one", str(size)]
        if args.reuse:
            command.append("--reuse")
        subprocess.run(command, env=env, check=True, cwd=ROOT)
        if not args.keep:
            _admin_sql(f'DROP DATABASE IF EXISTS "{db_name}"')


def _admin_sql(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    conn.cursor().execute(sql)
    conn.close()


# -- the child: build one size and measure -------------------------------------------


def run_one(size: int, *, reuse: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    from django.core.management import call_command

    started = time.perf_counter()
    if not reuse:
        call_command("migrate", verbosity=0)
        build(size)
    built = time.perf_counter() - started
    from measures.models import Measure

    print(f"\n== {Measure.objects.count():,} measures (built in {built:.0f} s) ==", flush=True)
    measure_everything()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory (max RSS)          {peak_kib / 1024:.0f} MiB", flush=True)


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(VOCABULARY, k=count))


def build(size: int) -> None:
    """Units, one process group, plans of 250 measures (the first 300), adopted and published."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from measures.models import FocusArea, Measure
    from organisation.models import Membership, ProcessGroup, Unit
    from plans.models import Adoption, Plan, PlanSection
    from plans.published import published_update
    from plans.selectors import build_plan_document
    from search.services import search_index_rebuild

    rng = random.Random(17)
    units = Unit.objects.bulk_create(
        Unit(name=f"Enhet {n} for {_words(rng, 2)}", slug=f"enhet-{n}", kind=Unit.Kind.UNIT)
        for n in range(40)
    )
    group = ProcessGroup.objects.create(name="OKS-gruppen", slug="oks-gruppen")
    Membership.objects.bulk_create(
        Membership(group=group, role_title="Enhetsleder", unit=unit, order=n)
        for n, unit in enumerate(units[:8])
    )
    plan_sizes = [300]
    while sum(plan_sizes) + 250 <= max(size, 300) + 50:
        plan_sizes.append(250)
    today = timezone.localdate()
    plans = Plan.objects.bulk_create(
        Plan(
            title=f"Handlingsplan {n} om {_words(rng, 3)}",
            slug=f"handlingsplan-{n}",
            summary=_words(rng, 30),
            process_group=group,
        )
        for n in range(len(plan_sizes))
    )
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, order=s, title=f"Kapittel {s}", body=_words(rng, 120))
        for plan in plans
        for s in range(3)
    )
    areas = FocusArea.objects.bulk_create(
        FocusArea(plan=plan, order=a, title=f"Innsatsområde {a} {_words(rng, 2)}")
        for plan in plans
        for a in range(5)
    )
    areas_by_plan: dict[int, list] = {}
    for area in areas:
        areas_by_plan.setdefault(area.plan_id, []).append(area)
    measures = []
    for plan, count in zip(plans, plan_sizes, strict=True):
        for m in range(count):
            measures.append(
                Measure(
                    plan=plan,
                    focus_area=areas_by_plan[plan.pk][m % 5],
                    order=m,
                    title=f"Tiltak {m}: {_words(rng, 4)}",
                    description=_words(rng, 40),
                    # A few units own most measures (as the big ones do).
                    responsible_unit=units[min(int(rng.expovariate(0.15)), 39)],
                    responsible_role="Enhetsleder",
                )
            )
    measures = Measure.objects.bulk_create(measures, batch_size=2000)
    through = Measure.partner_units.through
    through.objects.bulk_create(
        (through(measure_id=m.pk, unit_id=units[rng.randrange(40)].pk) for m in measures),
        batch_size=5000,
        ignore_conflicts=True,
    )
    adoptions = [
        Adoption(
            plan=plan,
            version_number=1,
            meeting_date=today,
            snapshot=build_plan_document(plan),
            pdf=b"",
        )
        for plan in plans
    ]
    Adoption.objects.bulk_create(adoptions, batch_size=50)
    Plan.objects.filter(pk__in=[p.pk for p in plans]).update(status=Plan.Status.ADOPTED)
    published_update(plan_ids=None)
    search_index_rebuild()
    with connection.cursor() as cursor:
        # What autovacuum does in time on a live site: statistics and no dead rows.
        cursor.execute("VACUUM ANALYZE")
    get_user_model().objects.create_superuser("bench", "bench@example.invalid", "bench-pass-17")


class FormScraper(HTMLParser):
    """The fields of the first form with method=post on a page, as a browser would send them."""

    def __init__(self, form_id: str | None = None):
        super().__init__()
        self.form_id = form_id
        self.in_form = False
        self.done = False
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: list[str] = []
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if (
            tag == "form"
            and not self.done
            and (a.get("method") or "").lower() == "post"
            and (self.form_id is None or a.get("id") == self.form_id)
        ):
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, [], None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_value.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select" and self._select is not None:
            for value in self._select_value:
                self.data.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.data.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def _form_data(html: str, form_id: str | None = None) -> dict:
    scraper = FormScraper(form_id)
    scraper.feed(html)
    data: dict = {}
    for name, value in scraper.data:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def _errors(response) -> str:
    context = response.context or {}
    form = context.get("form") or context.get("adminform")
    errors = getattr(form, "errors", None)
    return f"{response.status_code}: {errors!r}"


def _timed(func, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return times


def measure_everything() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from measures.models import Measure
    from organisation.models import Unit
    from plans.models import Plan, PublishedMeasure, PublishedPlan
    from search.services import search_index_rebuild

    host = {"HTTP_HOST": "127.0.0.1"}
    anonymous = Client(**host)
    admin = Client(**host)
    admin.force_login(get_user_model().objects.get(username="bench"))

    def miss() -> str:
        return f"nocache={uuid.uuid4().hex}"

    # -- saves ----------------------------------------------------------------------
    unit = Unit.objects.order_by("pk").first()
    url = f"/admin/organisation/unit/{unit.pk}/change/"
    data = _form_data(admin.get(url).content.decode(), "unit_form")
    counter = iter(range(1000))

    def admin_save():
        data["name"] = f"Enhet nummer {next(counter)}"
        response = admin.post(url, data)
        assert response.status_code == 302, _errors(response)

    admin_save()  # warm-up
    times = _timed(admin_save, 3)
    print(f"admin save (unit rename)       {ms(statistics.median(times))}", flush=True)
    # A plan under revision (adopted plans are locked): its saves still republish it.
    revised = PublishedPlan.objects.order_by("pk")[1]
    Plan.objects.filter(pk=revised.plan_id).update(status=Plan.Status.REVISION)
    measure = Measure.objects.filter(plan_id=revised.plan_id).order_by("pk").first()
    url = f"/tiltak/{measure.pk}/rediger/"

    def workspace_save() -> float:
        page = admin.get(url).content.decode()
        fields = _form_data(page[page.index("<main") :])
        fields["title"] = f"Tiltak endret {next(counter)}"
        started = time.perf_counter()
        response = admin.post(url, fields)
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, _errors(response)
        return elapsed

    workspace_save()  # warm-up
    times = [workspace_save() for _ in range(3)]
    print(f"workspace save (measure form)  {ms(statistics.median(times))}", flush=True)

    # -- search ---------------------------------------------------------------------
    hits = {}
    times = []
    for round_ in range(5):
        for word in SEARCH_WORDS:
            started = time.perf_counter()
            response = anonymous.get(f"/sok/?q={word}&{miss()}")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
            if round_ == 0:
                heading = re.search(r'id="results-heading"[^>]*>([^<]*)', response.text)
                number = re.search(r"\d[\d\s\xa0]*", heading.group(1)) if heading else None
                count = re.sub(r"\s", "", number.group(0)) if number else "?"
                hits[word] = count + ("+" if "Mer enn" in heading.group(1) else "")
    print(
        f"search, 10 words (uncached)    median {ms(statistics.median(times))}, "
        f"p95 {ms(p95(times))}  (hits: {', '.join(f'{w} {n}' for w, n in hits.items())})",
        flush=True,
    )

    # -- pages ----------------------------------------------------------------------
    def page(path: str, repeat: int = 5) -> tuple[float, int]:
        anonymous.get(path)
        sep = "&" if "?" in path else "?"
        response = anonymous.get(f"{path}{sep}{miss()}")
        assert response.status_code == 200, (path, response.status_code)
        times = _timed(lambda: anonymous.get(f"{path}{sep}{miss()}"), repeat)
        return statistics.median(times), len(response.content)

    big_unit = (
        Unit.objects.annotate(n=Count("published_responsible_for")).order_by("-n", "pk").first()
    )
    unit_measures = PublishedMeasure.objects.filter(responsible_unit=big_unit).count()
    first = PublishedPlan.objects.order_by("pk").first()
    for label, path, repeat in [
        ("front page /", "/", 5),
        ("plan list /planer/", "/planer/", 5),
        (f"unit page ({unit_measures} measures)", f"/enheter/{big_unit.slug}/", 5),
        ("sitemap index /sitemap.xml", "/sitemap.xml", 5),
        ("sitemap page", _first_sitemap_page(anonymous), 5),
        ("plan page, 300 measures", f"/planer/{first.slug}/", 10),
    ]:
        if path is None:
            continue
        median, size = page(path, repeat)
        print(f"{label:<31}{ms(median)}  ({size / 1024:.1f} KiB)", flush=True)

    # -- a full rebuild -------------------------------------------------------------
    started = time.perf_counter()
    entries = search_index_rebuild()
    print(
        f"full index rebuild             {time.perf_counter() - started:.2f} s "
        f"({entries:,} entries)",
        flush=True,
    )


def _first_sitemap_page(client) -> str | None:
    body = client.get("/sitemap.xml").content.decode()
    if "<sitemapindex" not in body:
        return None
    found = re.search(r"<loc>https?://[^/]+(/[^<]+)</loc>", body)
    return found.group(1).replace("&amp;", "&") if found else None


if __name__ == "__main__":
    main()
