"""CSV and PDF exports of the register and activity lists."""

import csv
import io
import logging
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from stakeholders.models import Activity, Stakeholder
from tests.factories import (
    ActivityFactory,
    StakeholderAnalysisFactory,
    StakeholderFactory,
    UnitFactory,
)
from tests.stakeholders_helpers import client_for, editor_of


@pytest.fixture
def analysis(db):
    analysis = StakeholderAnalysisFactory(title="Interessentanalyse for reformene")
    parents = StakeholderFactory(
        analysis=analysis,
        name="Foreldre og føresette",
        interest=3,
        influence=1,
        information_needs="Hva reformen betyr; hvem de kan spørre",
    )
    StakeholderFactory(
        analysis=analysis,
        name='=HYPERLINK("http://x")',
        order=1,
        role=Stakeholder.Role.ACTOR,
        interest=0,
        influence=3,
    )
    video = ActivityFactory(
        analysis=analysis,
        title="Animasjonsfilm om reformene",
        channel=Activity.Channel.VIDEO,
        message="«Døren inn» til reformene",
        responsible_unit=UnitFactory(name="Oppvekst"),
        completed_on=date(2022, 12, 31),
    )
    video.stakeholders.add(parents)
    ActivityFactory(analysis=analysis, title="Verksted", kind=Activity.Kind.OWNERSHIP)
    return analysis


def _parse(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode())  # BOM: Excel opens æøå right
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_register_csv(analysis):
    client = client_for(editor_of(analysis.process_group))
    rows = _parse(client.get(reverse("stakeholders:register_csv", args=[analysis.pk])))
    assert len(rows) == 3 and len(rows[0]) == 11
    first = rows[1]
    assert first[0] == "1" and first[1] == "Foreldre og føresette"
    assert first[6] == analysis.label_keep_informed  # interest high, influence low
    assert first[9] == "Hva reformen betyr; hvem de kan spørre"  # ; quoted, not split
    # A cell a spreadsheet would run as a formula is neutralised.
    assert rows[2][1] == '\'=HYPERLINK("http://x")'
    assert rows[2][6] == analysis.label_keep_satisfied


def test_activities_csv(analysis):
    client = client_for(editor_of(analysis.process_group))
    rows = _parse(client.get(reverse("stakeholders:activities_csv", args=[analysis.pk])))
    assert len(rows) == 3
    video = next(r for r in rows if r[1] == "Animasjonsfilm om reformene")
    assert video[3] == "«Døren inn» til reformene"
    assert video[4] == "Foreldre og føresette"
    assert video[7] == "Oppvekst"
    assert video[9] == "2022-12-31"
    workshop = next(r for r in rows if r[1] == "Verksted")
    assert workshop[9] == ""


def test_printable_pdf(analysis, caplog):
    client = client_for(editor_of(analysis.process_group))
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        response = client.get(reverse("stakeholders:analysis_pdf", args=[analysis.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Interessentanalyse for reformene" in text
    assert "Foreldre og føresette" in text
    assert "Animasjonsfilm om reformene" in text
    assert f"Side 1 av {len(reader.pages)}" in text
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in f for f in fonts)


def test_pdf_failure_gives_a_clear_page(analysis, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("weasyprint.HTML.write_pdf", broken)
    client = client_for(editor_of(analysis.process_group))
    response = client.get(reverse("stakeholders:analysis_pdf", args=[analysis.pk]))
    assert response.status_code == 503
    assert reverse("stakeholders:analysis_detail", args=[analysis.pk]) in response.content.decode()


def test_csv_cell_escaping():
    # Shared by these exports and the open-data CSV of plans.
    from core.text import spreadsheet_safe

    assert spreadsheet_safe("-1+1") == "'-1+1"
    assert spreadsheet_safe("@x") == "'@x"
    assert spreadsheet_safe("=SUM(A1)") == "'=SUM(A1)"
    assert spreadsheet_safe("Barn") == "Barn"
    assert spreadsheet_safe(None) == ""
