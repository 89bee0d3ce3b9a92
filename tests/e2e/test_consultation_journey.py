"""In a real browser (issue 15): a citizen responds to a plan on consultation and gets a
receipt; an editor publishes the response, assesses it and links it to a measure; after
the adoption the public page and the PDF show the consultation summary and the trail.

Skipped when /usr/bin/chromium is missing, unless HEIMPLAN_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from pypdf import PdfReader

from organisation.permissions import ROLE_ADMINISTRATOR
from plans.services import plan_send_to_consultation
from tests.e2e.test_plan_journey import Visit, browser  # noqa: F401 - the browser fixture
from tests.factories import UserFactory
from tests.lifecycle_helpers import editor_of, plan_with_content

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RESPONSE = "Ungdomsrådet ønsker et lavterskeltilbud på kveldstid."
ASSESSMENT = "Tatt til følge: tiltaket utvides med kveldsåpent tilbud."


@pytest.fixture
def world():
    # Made before Playwright starts (see tests/e2e/test_mine_tiltak.py).
    plan = plan_with_content(title="Plan for psykisk helse", slug="plan-for-psykisk-helse")
    editor = editor_of(plan)
    admin = UserFactory(username="planadmin")
    admin.groups.add(Group.objects.get(name=ROLE_ADMINISTRATOR))
    plan_send_to_consultation(
        actor=editor, plan=plan, deadline=timezone.localdate() + timedelta(days=30)
    )
    return {"plan": plan, "measure": plan.measures.order_by("pk").first()}


def axe_violations(chromium, url: str) -> list[str]:
    """axe-core (WCAG 2.1 A/AA) and the heading order on ``url``, as tests/test_a11y.py checks."""
    if not AXE.exists():
        return []
    page = chromium.new_page(bypass_csp=True)  # axe is injected inline
    page.goto(url)
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    found = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
    levels = page.evaluate(
        "() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))"
        ".filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))"
    )
    found += [f"h{a} then h{b}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    page.close()
    return found


def test_a_response_from_the_form_to_the_adopted_plan(live_server, world, browser):  # noqa: F811
    plan, measure = world["plan"], world["measure"]
    citizen = Visit(browser, live_server.url)
    editor = Visit(browser, live_server.url)
    admin = Visit(browser, live_server.url)

    # The public pages of the consultation pass axe-core.
    for path in [plan.get_absolute_url(), f"/planer/{plan.slug}/horing/"]:
        assert axe_violations(browser, live_server.url + path) == [], path

    # The citizen reads the draft, responds and sees the receipt.
    citizen.go(plan.get_absolute_url())
    assert "På høring til" in citizen.page.content()
    with citizen.page.expect_navigation():
        citizen.page.get_by_role("link", name="Les høringsutkastet og gi innspill").click()
    citizen.page.get_by_label("Ungdomsråd", exact=False).first.check()
    citizen.page.fill("input[name=name]", "Heim ungdomsråd")
    citizen.page.fill("input[name=email]", "ungdomsradet@example.org")
    citizen.page.fill("textarea[name=text]", RESPONSE)
    citizen.submit("main button[type=submit]")
    receipt = citizen.page.content()
    assert "Takk for innspillet" in receipt
    reference = citizen.page.locator(".alert-success").inner_text().split()[-1].rstrip(".")
    assert reference.startswith("H-")
    assert axe_violations(browser, citizen.page.url) == []

    # The editor publishes it, assesses it and links it to the measure.
    editor.sign_in("redaktor")
    editor.go(f"/arbeid/planer/{plan.slug}/horingsinnspill/")
    with editor.page.expect_navigation():
        editor.page.get_by_role("link", name=reference).click()
    assert RESPONSE in editor.page.content()
    editor.page.check("input[name=publication][value=published]")
    editor.page.fill("textarea[name=assessment]", ASSESSMENT)
    editor.page.check(f"input[name=measures][value='{measure.pk}']")
    editor.submit("main form button.btn-primary[type=submit]")
    assert "/horingsinnspill/" in editor.page.url and "Publisert" in editor.page.content()

    # The council adopts the plan (before the deadline, confirmed).
    admin.sign_in("planadmin")
    admin.form(
        f"/arbeid/planer/{plan.slug}/vedtak/",
        meeting_date=timezone.localdate().isoformat(),
        confirm_before_deadline="on",
    )

    # The public page and the PDF of the adopted version show the summary and the trail.
    public = Visit(browser, live_server.url)
    public.go(plan.get_absolute_url())
    html = public.page.content()
    assert "consultation-summary" in html
    assert RESPONSE in html and ASSESSMENT in html and measure.title in html
    assert "ungdomsradet@example.org" not in html
    pdf = public.page.request.get(f"{live_server.url}/planer/{plan.slug}/pdf/")
    assert pdf.ok
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert ASSESSMENT.split(":")[0] in text and "kveldsåpent" in text
