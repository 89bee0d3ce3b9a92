"""In a real browser: a whole plan, from the first draft to its second adopted version, in
the front end only (a Planredaktør writes it, a Planadministrator registers the adoptions).

Skipped when /usr/bin/chromium is missing, unless HEIMPLAN_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from organisation.permissions import ROLE_ADMINISTRATOR, ROLE_EDITOR
from tests.factories import ProcessGroupFactory, UnitFactory, UserFactory

CHROMIUM = Path(os.environ.get("HEIMPLAN_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "correct horse battery staple"
TITLE = "Handlingsplan for rusforebygging 2027–2030"
SLUG = "handlingsplan-for-rusforebygging-2027-2030"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people():
    # Made before Playwright starts (see tests/e2e/test_mine_tiltak.py).
    group = ProcessGroupFactory(name="Rusgruppa", slug="rusgruppa")
    UnitFactory(name="Helsestasjon", slug="helsestasjon")
    editor = UserFactory(username="redaktor", first_name="Rita", last_name="Redaktør")
    editor.groups.add(Group.objects.get(name=ROLE_EDITOR))
    group.editors.add(editor)
    admin = UserFactory(username="planadmin", first_name="Per", last_name="Plan")
    admin.groups.add(Group.objects.get(name=ROLE_ADMINISTRATOR))
    return {"editor": editor, "admin": admin}


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("HEIMPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"HEIMPLAN_REQUIRE_BROWSER=1 but {CHROMIUM} is not installed")
        pytest.skip(f"{CHROMIUM} is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


class Visit:
    """One person's browser tab, counting the pages it loads and the forms it sends."""

    def __init__(self, browser, base: str):
        self.page = browser.new_page()
        self.base = base
        self.visited: list[str] = []
        self.submissions = 0
        self.page.on(
            "framenavigated",
            lambda frame: frame == self.page.main_frame and self.visited.append(frame.url),
        )

    def go(self, path: str):
        self.page.goto(self.base + path)

    def sign_in(self, username: str):
        self.go("/logg-inn/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.submit("form[action='/logg-inn/'] button[type=submit]")

    def submit(self, selector: str = "main button.btn-primary[type=submit]"):
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.submissions += 1

    def form(self, path: str, **fields):
        """Open ``path``, fill ``fields`` (text inputs, selects by label) and save."""
        self.go(path)
        for name, value in fields.items():
            field = self.page.locator(f"main [name={name}]").first
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(label=value)
            elif field.get_attribute("type") == "checkbox":
                field.check()
            else:
                field.fill(value)
        self.submit()
        return self.page


def test_a_plan_from_first_draft_to_its_second_adopted_version(live_server, people, browser):
    from measures.models import FocusArea, Measure

    editor = Visit(browser, live_server.url)
    admin = Visit(browser, live_server.url)
    public = Visit(browser, live_server.url)
    editor.sign_in("redaktor")
    admin.sign_in("planadmin")
    work = f"/arbeid/planer/{SLUG}"

    # The editor writes the plan: metadata, two chapters, two focus areas, five measures.
    editor.form(
        "/arbeid/planer/ny/",
        title=TITLE,
        summary="Forebygge rusproblemer blant barn og unge.",
        process_group="Rusgruppa",
        period_start="2027",
        period_end="2030",
    )
    for title in ("Bakgrunn", "Mål"):
        editor.form(f"{work}/kapitler/ny/", title=title, body=f"Om **{title.lower()}**.")
    for title in ("Tidlig innsats", "Samarbeid"):
        editor.form(f"{work}/innsatsomrader/ny/", title=title)
    areas = list(FocusArea.objects.filter(plan__slug=SLUG).order_by("order"))
    assert [a.title for a in areas] == ["Tidlig innsats", "Samarbeid"]
    for number in range(1, 6):
        area = areas[number % 2]
        editor.form(
            f"{work}/innsatsomrader/{area.pk}/tiltak/ny/",
            title=f"Tiltak {number}",
            responsible_unit="Helsestasjon",
        )
    assert Measure.objects.filter(plan__slug=SLUG).count() == 5

    # Consultation (editor), adoption of version 1 (Planadministrator).
    deadline = timezone.localdate() + timedelta(days=42)
    editor.form(f"{work}/horing/", deadline=deadline.isoformat())
    admin.form(
        f"{work}/vedtak/",
        meeting_date=timezone.localdate().isoformat(),
        meeting_case_number="PS 12/27",
        confirm_before_deadline="on",
    )
    public.go(f"/planer/{SLUG}/")
    assert "Tiltak 3" in public.page.content()
    assert "versjon 1" in public.page.content().casefold()

    # A revision changes a measure; the public still reads version 1.
    editor.form(f"{work}/revisjon/")
    measure = Measure.objects.get(plan__slug=SLUG, title="Tiltak 3")
    editor.form(f"{work}/tiltak/{measure.pk}/", title="Tiltak 3, utvidet")
    public.go(f"/planer/{SLUG}/")
    html = public.page.content()
    assert "Tiltak 3" in html and "Tiltak 3, utvidet" not in html

    # Version 2, and the comparison of the two.
    admin.form(f"{work}/vedtak/", meeting_date=timezone.localdate().isoformat())
    public.go(f"/planer/{SLUG}/")
    assert "Tiltak 3, utvidet" in public.page.content()
    editor.go(f"/planer/{SLUG}/versjoner/sammenlign/?fra=1&til=2")
    assert "Tiltak 3, utvidet" in editor.page.content()

    visited = editor.visited + admin.visited
    assert not [url for url in visited if "/admin/" in url]
    print(
        f"journey: {len(visited)} pages loaded and "
        f"{editor.submissions + admin.submissions} forms sent (sign-ins included)"
    )
