"""Lighthouse 12.2.3 over every public page type: accessibility, best practices and
SEO each score 100 (issue 16).

Runs the Lighthouse CLI from npm (``npm ci``) on Debian's Chromium against a live
server with Heim's content. Skipped when Chromium or Lighthouse is missing, unless
HEIMPLAN_REQUIRE_A11Y_TOOLS=1 (as in ``.ci/run``), where a missing tool is a failure.

Two audits are left out where the page is right to fail them, and only there: the
404 page answers 404 (``http-status-code``), and search results say ``noindex``
(``is-crawlable``); the search page itself, without a query, is checked in full. On the
404 page the browser logs that 404 to the console; that one message, for the page's
own address, is allowed in ``errors-in-console`` and nothing else.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from organisation.models import Unit
from plans.models import Adoption

ROOT = Path(settings.BASE_DIR)
CHROMIUM = os.environ.get("HEIMPLAN_CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
REQUIRED = os.environ.get("HEIMPLAN_REQUIRE_A11Y_TOOLS") == "1"
CATEGORIES = ("accessibility", "best-practices", "seo")
VERSION = "12.2.3"

MISSING = [
    name
    for name, path in (
        (f"Chromium at {CHROMIUM}", CHROMIUM),
        ("lighthouse (run npm ci)", LIGHTHOUSE),
    )
    if not Path(path).exists()
]
if MISSING and REQUIRED:
    raise RuntimeError("Lighthouse tools missing: " + ", ".join(MISSING))
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(bool(MISSING), reason="missing: " + ", ".join(MISSING)),
]


@pytest.fixture
def heim_live(live_server):
    call_command("load_heim", verbosity=0)
    return live_server.url


def page_types() -> list[tuple[str, str, tuple[str, ...]]]:
    """One URL of each public page type, with the audits it is right to fail."""
    adoption = Adoption.objects.select_related("plan").order_by("plan__slug").first()
    plan = adoption.plan
    unit = Unit.objects.filter(published_responsible_for__isnull=False).order_by("slug").first()
    return [
        ("front page", "/", ()),
        ("plan list", "/planer/", ()),
        ("plan page", plan.get_absolute_url(), ()),
        ("version list", f"{plan.get_absolute_url()}versjoner/", ()),
        ("version", f"{plan.get_absolute_url()}versjoner/{adoption.version_number}/", ()),
        ("units", "/enheter/", ()),
        ("unit page", unit.get_absolute_url(), ()),
        ("search", "/sok/", ()),
        ("search results", "/sok/?q=vold", ("is-crawlable",)),
        ("accessibility", "/tilgjengelighet/", ()),
        # Lighthouse refuses an error status unless told; the page must still be good.
        ("not found", "/planer/finnes-ikke/", ("http-status-code",)),
    ]


def lighthouse(url: str, skip: tuple[str, ...], out: Path) -> dict:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
    ]  # fmt: skip
    if skip:
        command.append(f"--skip-audits={','.join(skip)}")
    if "http-status-code" in skip:
        command.append("--ignore-status-code")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(command, env=env, timeout=240, capture_output=True, text=True)  # noqa: S603
    if done.returncode or not out.exists():
        return {"runtimeError": {"message": f"lighthouse failed: {done.stderr[-2000:]}"}}
    return json.loads(out.read_text())


def _only_its_own_404(audit: dict, url: str) -> bool:
    items = audit.get("details", {}).get("items", [])
    return bool(items) and all(
        item.get("source") == "network"
        and item.get("sourceLocation", {}).get("url") == url
        and "status of 404" in item.get("description", "")
        for item in items
    )


def failures(report: dict, url: str, status: int) -> list[str]:
    found = []
    for name in CATEGORIES:
        category = report["categories"][name]
        failed = [
            report["audits"][ref["id"]]
            for ref in category["auditRefs"]
            if ref["weight"]
            and report["audits"][ref["id"]]["score"] is not None
            and report["audits"][ref["id"]]["score"] < 1
        ]
        if status == 404:
            failed = [
                audit
                for audit in failed
                if not (audit["id"] == "errors-in-console" and _only_its_own_404(audit, url))
            ]
        found += [f"{name}: {audit['id']} ({audit['title']})" for audit in failed]
        if not failed and category["score"] != 1 and status != 404:
            found.append(f"{name} {category['score']}")
    return found


def test_every_public_page_type_scores_100(heim_live, tmp_path):
    pages = page_types()
    problems = {}
    for number, (kind, path, skip) in enumerate(pages):
        report = lighthouse(heim_live + path, skip, tmp_path / f"{number}.json")
        if report.get("runtimeError"):
            problems[f"{kind} {path}"] = [report["runtimeError"]["message"]]
            continue
        assert report["lighthouseVersion"] == VERSION
        assert report["finalDisplayedUrl"].endswith(path)
        status = 404 if "http-status-code" in skip else 200
        found = failures(report, heim_live + path, status)
        if found:
            problems[f"{kind} {path}"] = found
    assert problems == {}
