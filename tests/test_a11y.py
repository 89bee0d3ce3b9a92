"""Every public page passes axe-core (WCAG 2.1 A/AA) and the Nu Html Checker.

Runs in headless Debian Chromium through Playwright over every public URL of
Heim's loaded content. Skipped when Chromium, Java or the npm tools
(``npm ci``) are missing, unless HEIMPLAN_REQUIRE_A11Y_TOOLS=1 (as in CI),
where a missing tool is a failure.
"""

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from organisation.models import Unit
from plans.models import Adoption, Plan

ROOT = Path(settings.BASE_DIR)
CHROMIUM = os.environ.get("HEIMPLAN_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REQUIRED = os.environ.get("HEIMPLAN_REQUIRE_A11Y_TOOLS") == "1"


def _missing_tools() -> list[str]:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM}")
    if shutil.which("java") is None:
        missing.append("java")
    if not AXE.exists() or not VNU.exists():
        missing.append("axe-core and vnu-jar (run npm ci)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (Python)")
    return missing


MISSING = _missing_tools()
if MISSING and REQUIRED:
    raise RuntimeError("Accessibility tools missing: " + ", ".join(MISSING))
# serialized_rollback: the flush after a transactional test also empties the rows
# migrations made (the roles); this puts them back for the tests that follow.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(bool(MISSING), reason="missing: " + ", ".join(MISSING)),
]


def public_urls() -> list[str]:
    """Every public page of the loaded content, plus search, filters and an error page."""
    urls = ["/", "/planer/", "/enheter/", "/tilgjengelighet/", "/sok/", "/sok/?q=vold",
            "/sok/?q=forebygging+barn", "/sok/?q=finnesikkeiplanene", "/sok/?q=%22%26%7C%21",
            "/planer/finnes-ikke/", "/planer/handlingsplan-mot-vold-i-naere-relasjoner/?status=in_progress",
            "/planer/handlingsplan-mot-vold-i-naere-relasjoner/?status=ugyldig"]  # fmt: skip
    urls += [plan.get_absolute_url() for plan in Plan.objects.public().order_by("slug")]
    urls += [unit.get_absolute_url() for unit in Unit.objects.order_by("slug")]
    for adoption in Adoption.objects.filter(plan__in=Plan.objects.public()).select_related("plan"):
        slug = adoption.plan.slug
        urls.append(reverse("plans:version_list", kwargs={"slug": slug}))
        urls.append(
            reverse(
                "plans:version_detail", kwargs={"slug": slug, "number": adoption.version_number}
            )
        )
    return sorted(set(urls), key=urls.index)


@pytest.fixture
def heim_live(live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright runs an event loop
    call_command("load_heim", verbosity=0)
    return live_server.url


@pytest.fixture
def public_pages(heim_live):
    # Read from the database before the browser starts: a query made while Playwright's
    # loop runs opens a connection of its own that is never closed, and PostgreSQL then
    # refuses to drop the test database.
    return public_urls()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield instance
        instance.close()


HEADINGS_JS = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
  .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))"""


def test_every_public_page_passes_axe_and_structure_checks(heim_live, public_pages, browser):
    axe_source = AXE.read_text()
    # axe-core is injected as an inline script, which the site's CSP rightly forbids.
    page = browser.new_page(bypass_csp=True)
    problems = {}
    assert len(public_pages) > 20
    for url in public_pages:
        response = page.goto(heim_live + url)
        assert response.status in (200, 404), url
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        violations = [
            f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
            for v in result["violations"]
        ]
        levels = page.evaluate(HEADINGS_JS)
        if levels.count(1) != 1:
            violations.append(f"expected one h1, found {levels.count(1)}")
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                violations.append(f"heading h{before} followed by h{after}")
        if page.evaluate("document.documentElement.lang") != "nb":
            violations.append("lang is not nb")
        if (
            not page.locator("a.skip-link[href='#main']").count()
            or not page.locator("main#main").count()
        ):
            violations.append("skip link or main landmark missing")
        if violations:
            problems[url] = violations
    assert problems == {}


def test_pages_reflow_at_400_percent_zoom(heim_live, public_pages, browser):
    # 400 % of a 1280 px wide window is 320 CSS pixels (WCAG 1.4.10).
    page = browser.new_page(viewport={"width": 320, "height": 256})
    too_wide = {}
    for url in public_pages:
        page.goto(heim_live + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[url] = width
    assert too_wide == {}


def test_filters_and_search_work_without_javascript(heim_live, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(heim_live + "/")
    page.get_by_role("searchbox").fill("vold")
    # count() does not wait: let the result page load before counting on it.
    with page.expect_navigation(wait_until="load"):
        page.locator("form[role=search] button[type=submit]").click()
    assert "/sok/?q=vold" in page.url
    assert page.locator(".search-hit").count() > 0
    page.goto(heim_live + "/planer/handlingsplan-mot-vold-i-naere-relasjoner/")
    total = page.locator("article.measure").count()
    page.select_option("#filter-status", "in_progress")
    with page.expect_navigation(wait_until="load"):
        page.locator("form.measure-filters button[type=submit]").click()
    assert "status=in_progress" in page.url
    shown = page.locator("article.measure").count()
    assert 0 < shown < total
    # Every measure shown is in progress: its own status tag (the only one with data-status;
    # its status reports show statuses too).
    assert page.locator('article.measure [data-status="in_progress"]').count() == shown
    context.close()


def _fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - live server
            return response.read()
    except urllib.error.HTTPError as error:  # the 404 page is checked too
        return error.read()


def test_every_public_page_passes_the_nu_html_checker(heim_live, public_pages, tmp_path):
    files = []
    for number, url in enumerate(public_pages):
        path = tmp_path / f"page-{number:03d}.html"
        path.write_bytes(_fetch(heim_live + url))
        files.append((url, path))
    result = subprocess.run(  # noqa: S603
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always",  # noqa: S607
         *[str(path) for _, path in files]],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    by_file = {str(path): url for url, path in files}
    errors = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []


def test_keyboard_focus_is_visible_and_skip_link_works(heim_live, browser):
    page = browser.new_page()
    page.goto(heim_live + "/planer/handlingsplan-mot-vold-i-naere-relasjoner/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement, style = getComputedStyle(el),
                  box = el.getBoundingClientRect();
          return {cls: el.className, outline: style.outlineStyle,
                  width: box.width, height: box.height}; }"""
    )
    assert "skip-link" in focused["cls"]
    assert focused["outline"] != "none" and focused["width"] > 1 and focused["height"] > 1
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Every link and form control shows a visible outline when focused from the keyboard.
    for _ in range(15):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", page.evaluate("document.activeElement.outerHTML")
