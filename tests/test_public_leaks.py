"""The public sees only what the council adopted (issue 12).

The leak sweep walks every URL pattern the site has (found through the URL resolver, so
a new page is covered without touching this file), with real arguments from the data,
while a revision is in progress whose every live text field carries a marker and while
a draft and a plan on consultation carry it too. The marker must appear nowhere an
anonymous visitor, or a signed-in person who may not edit the plans, can reach.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from consultation.models import ConsultationResponse
from core.publishing import PublicChange, publish_now
from measures.models import FocusArea, Measure
from plans.models import Goal, Plan, PlanLink, PlanSection
from plans.services import (
    plan_register_adoption,
    plan_send_to_consultation,
    plan_start_revision,
)
from results.models import Indicator, IndicatorValue, YearlyReport
from results.services import yearly_report_create, yearly_report_finalise
from tests.factories import (
    FocusAreaFactory,
    MeasureFactory,
    PlanFactory,
    PlanSectionFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What drafts carry. Search is asked for a prefix of it, so a page that echoes the
# query does not count as a leak.
MARKER = "leakmarkerzq"
SEARCH_TERM = "leakmark"


def _mark(text: str) -> str:
    return f"{text} {MARKER.upper()}"


@pytest.fixture
def world():
    unit, partner = UnitFactory(slug="enhet-a"), UnitFactory(slug="enhet-b")
    adopted = PlanFactory(title="Vedtatt plan", slug="vedtatt-plan")
    area = FocusAreaFactory(plan=adopted, title="Område")
    for n in range(2):
        measure = MeasureFactory(
            plan=adopted, focus_area=area, title=f"Tiltak {n}", responsible_unit=unit
        )
        measure.partner_units.add(partner)
    PlanSectionFactory(plan=adopted, title="Kapittel", body="Vedtatt tekst.")
    goal = Goal.objects.create(plan=adopted, title="Vedtatt mål", order=1)
    indicator = Indicator.objects.create(goal=goal, name="Vedtatt indikator", direction="up")
    IndicatorValue.objects.create(indicator=indicator, date=date(2023, 1, 1), value=1)
    IndicatorValue.objects.create(indicator=indicator, date=date(2024, 1, 1), value=2)
    plan_register_adoption(actor=None, plan=adopted, meeting_date=adopted.created_at.date())
    adopted.refresh_from_db()
    report = yearly_report_create(actor=None, plan=adopted, data={"year": 2024})
    yearly_report_finalise(actor=None, yearly_report=report)
    plan_start_revision(actor=None, plan=adopted)
    # Goals are plan text: the revision's changes and new goals are drafts.
    Goal.objects.filter(plan=adopted).update(title=_mark("Vedtatt mål"))
    draft_goal = Goal.objects.create(plan=adopted, title=_mark("Nytt mål"), order=2)
    Indicator.objects.create(goal=draft_goal, name=_mark("Utkastindikator"), direction="down")
    yearly_report_create(actor=None, plan=adopted, data={"year": 2025, "went_well": _mark("Ny")})

    # The revision's working copy: every text field of every live row gets the marker.
    Plan.objects.filter(pk=adopted.pk).update(title=_mark("Vedtatt plan"), summary=_mark("Ny"))
    PlanSection.objects.filter(plan=adopted).update(title=_mark("Kapittel"), body=_mark("Tekst"))
    PlanSectionFactory(plan=adopted, title=_mark("Nytt kapittel"), body=_mark("Mer"))
    FocusArea.objects.filter(plan=adopted).update(title=_mark("Område"))
    Measure.objects.filter(plan=adopted).update(
        title=_mark("Endret tiltak"),
        description=_mark("Beskrivelse"),
        responsible_role=_mark("Rolle"),
        timing=_mark("Høst"),
        resources=_mark("Ressurser"),
    )
    MeasureFactory(
        plan=adopted,
        focus_area=FocusArea.objects.filter(plan=adopted).first(),
        title=_mark("Nytt tiltak"),
        responsible_unit=unit,
    )
    PlanLink.objects.create(plan=adopted, title=_mark("Lenke"), url="https://example.org/")

    draft = PlanFactory(title=_mark("Utkast"), slug=f"utkast-{MARKER}", summary=_mark("Utkast"))
    draft_only_goal = Goal.objects.create(plan=draft, title=_mark("Utkastmål"))
    Indicator.objects.create(goal=draft_only_goal, name=_mark("Indikator"), direction="up")
    area = FocusAreaFactory(plan=draft, title=_mark("Område"))
    MeasureFactory(plan=draft, focus_area=area, title=_mark("Utkasttiltak"), responsible_unit=unit)
    PlanSectionFactory(plan=draft, title=_mark("Kapittel"), body=_mark("Tekst"))

    # A plan on consultation: its frozen draft is public; what the group changes after
    # sending it out (the marked text) is not, nor are responses not yet published.
    consultation = PlanFactory(title="Høring", slug="horing-plan")
    MeasureFactory(plan=consultation, title="Høringstiltak", responsible_unit=partner)
    PlanSectionFactory(plan=consultation, title="Høringskapittel", body="Høringstekst.")
    plan_send_to_consultation(
        actor=None, plan=consultation, deadline=date.today() + timedelta(days=42)
    )
    Plan.objects.filter(pk=consultation.pk).update(title=_mark("Høring"), summary=_mark("Ny"))
    PlanSection.objects.filter(plan=consultation).update(body=_mark("Endret etter utsending"))
    Measure.objects.filter(plan=consultation).update(title=_mark("Endret høringstiltak"))
    ConsultationResponse.objects.create(
        consultation=consultation.consultations.get(),
        reference="H-LEAKTEST",
        kind=ConsultationResponse.Kind.PERSON,
        name=_mark("Navn"),
        email=f"{MARKER}@example.org",
        text=_mark("Ubehandlet innspill"),
    )

    # Every listener runs over everything, as after any later write.
    publish_now(PublicChange(plan_ids=None))
    return {"adopted": adopted, "draft": draft, "consultation": consultation, "unit": unit}


def _patterns(resolvers=None, prefix=""):
    """(name including namespace, converters) of every named URL pattern, admin excepted."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace == "admin":
                continue
            inner = f"{prefix}{namespace}:" if namespace else prefix
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            yield f"{prefix}{entry.name}", dict(converters), entry.default_args


def _argument_values(world) -> dict[str, list]:
    plans = Plan.objects.all()
    slugs = [p.slug for p in plans] + ["enhet-a", "enhet-b"]
    slugs += ["pages", "plans", "units"]  # the sitemap's sections
    slugs += [g.slug for g in world["adopted"].process_group.__class__.objects.all()]
    ids = {1, 2, 3}
    for model in (Measure, PlanSection, FocusArea, Goal, Indicator):
        ids.update(model.objects.values_list("pk", flat=True))
    years = sorted(set(YearlyReport.objects.values_list("year", flat=True)))
    return {"slug": sorted(set(slugs)), "int": sorted(ids)[:12] + years}


def _urls(world):
    values = _argument_values(world)
    urls = set()
    for name, converters, _defaults in _patterns():
        choices = []
        for kwarg, converter in converters.items():
            kind = "int" if converter.regex == "[0-9]+" else "slug"
            choices.append([(kwarg, value) for value in values[kind]])
        for combination in itertools.product(*choices):
            try:
                urls.add(reverse(name, kwargs=dict(combination)))
            except Exception:  # noqa: S112 - a value the converter refuses: not a URL
                continue
    queries = ["", f"?q={SEARCH_TERM}", "?unit=enhet-a", "?status=in_progress&level=universal"]
    queries += ["?side=2", f"?q={SEARCH_TERM}&side=2"]
    # A PDF reads no query parameter: one request each (rendering them is the sweep's cost).
    return sorted(
        url + query
        for url in urls
        for query in ([""] if url.endswith(("pdf/", ".pdf")) else queries)
    )


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    return content.decode("utf-8", "replace")


def _leaks(client, urls) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if MARKER in _text(response).casefold().replace("\u00ad", ""):
            found.append(url)
    return found


def test_no_public_url_shows_a_draft_to_anonymous_visitors(client, world):
    urls = _urls(world)
    # The sweep reaches the pages that matter (and so would reach a new one).
    for page in ["/", "/planer/", "/planer/vedtatt-plan/", "/enheter/enhet-a/", "/sitemap.xml",
                 "/robots.txt", "/favicon.ico"]:  # fmt: skip
        assert page in urls
    for page in ["/planer/horing-plan/", "/planer/horing-plan/horing/", "/planer/horing-plan/pdf/"]:
        assert page in urls
        assert client.get(page).status_code == 200, page
    assert "/planer/horing-plan/horing/pdf/" in urls
    assert "/sitemap-plans.xml" in urls
    assert "/planer/vedtatt-plan/versjoner/1/pdf/" in urls
    for page in [
        "/planer/vedtatt-plan/rapporter/2024/",
        "/planer/vedtatt-plan/rapporter/2024/pdf/",
    ]:
        assert page in urls
    assert "Vedtatt indikator" in client.get("/planer/vedtatt-plan/").content.decode()
    assert client.get("/planer/vedtatt-plan/rapporter/2025/").status_code == 404
    assert _leaks(client, urls) == []


def test_no_public_url_shows_a_draft_to_a_signed_in_outsider(world):
    outsider = Client()
    outsider.force_login(UserFactory(username="utenforstaende"))
    assert _leaks(outsider, _urls(world)) == []


def test_revision_drafts_stay_off_unit_pages_counts_cards_and_version_lists(client, world):
    """Finding 1: these pages read live rows during a revision."""
    adopted = world["adopted"]
    unit_page = client.get("/enheter/enhet-a/").content.decode()
    assert "Tiltak" in unit_page and MARKER not in unit_page.casefold()
    units = client.get("/enheter/").context["units"]
    assert {u.slug: u.public_measure_count for u in units}["enhet-a"] == 2  # not the third
    for page in ["/", "/planer/", f"/planer/{adopted.slug}/versjoner/"]:
        html = client.get(page).content.decode()
        assert "Vedtatt plan" in html and MARKER not in html.casefold()


def test_the_adopted_pdf_link_during_a_revision_is_the_adopted_bytes(world):
    """Finding 3: an editor's "download the adopted plan" link served the draft PDF."""
    from tests.lifecycle_helpers import editor_of

    adopted = world["adopted"]
    editor = Client()
    editor.force_login(editor_of(adopted))
    html = editor.get(adopted.get_absolute_url()).content.decode()
    link = re.search(r'href="([^"]+)">[^<]*\(versjon 1\)', html).group(1)
    response = editor.get(link)
    assert response["ETag"] == f'"{adopted.adoptions.get().pdf_sha256}"'
    assert "arbeidskopi" in html.casefold()  # the banner says the text is the working copy
