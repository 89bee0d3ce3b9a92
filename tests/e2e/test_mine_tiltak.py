"""In a real browser (Debian's Chromium): a unit leader reports status in Mine tiltak.

Skipped when /usr/bin/chromium is missing, unless HEIMPLAN_REQUIRE_BROWSER=1
(set by .ci/run, which installs Chromium), where a missing browser fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from tests.followup_world import PASSWORD, build_world

CHROMIUM = Path(os.environ.get("HEIMPLAN_CHROMIUM", "/usr/bin/chromium"))

# serialized_rollback: the flush after a transactional test also empties the rows
# migrations made (the roles); this puts them back for the tests that follow.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world():
    # Built before Playwright starts: once its event loop runs, Django hands ORM calls
    # a connection of their own that teardown would not close (PostgreSQL then refuses
    # to drop the test database).
    return build_world()


@pytest.fixture
def browser_page(world):
    if not CHROMIUM.exists():
        if os.environ.get("HEIMPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"HEIMPLAN_REQUIRE_BROWSER=1 but {CHROMIUM} is not installed")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop; Django refuses ORM calls under one otherwise.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        messages = []
        page.on("console", lambda msg: messages.append(msg.text))
        yield page, messages
        browser.close()


def test_unit_leader_reports_status_and_public_page_shows_it(live_server, world, browser_page):
    page, console = browser_page
    measure = world.measure_pub  # unit A's measure in the adopted plan
    assert measure.status == "not_started"

    page.goto(f"{live_server.url}/logg-inn/")
    page.fill("input[name=username]", world.owner_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/logg-inn/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mine/")

    card = page.locator(f"#measure-{measure.pk}")
    card.locator("summary").click()
    card.locator("select[name$='-status']").select_option("completed")
    card.locator("textarea[name$='-text']").fill("Gjennomført i høst.")
    card.locator("input[name$='-reported_on']").fill(timezone.localdate().isoformat())
    # "/mine/*" also matches the page we are on: wait for the navigation itself.
    with page.expect_navigation(wait_until="load"):
        card.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/mine/*")
    assert (
        page.locator(f"#measure-{measure.pk} [data-status]").get_attribute("data-status")
        == "completed"
    )

    # Anyone (a fresh context, not signed in) sees the new status on the public page.
    public = page.context.browser.new_page()
    public.goto(f"{live_server.url}{world.published_y.get_absolute_url()}")
    badge = public.locator(f"#measure-{measure.pk}").locator("xpath=..").locator(".status-badge")
    assert "status-completed" in badge.get_attribute("class")
    # No CSP violations were reported by the browser on the way.
    assert not [m for m in console if "Content Security Policy" in m]
