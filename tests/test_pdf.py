"""The plan PDF, checked with pypdf. Rendered once per module (rendering is slow)."""

import io
import logging
import re

import pytest
from pypdf import PdfReader

from plans import pdf

TITLE = "Handlingsplan for trygge oppvekstvilkår"
SECTIONS = ["Forord og mandat", "Bakgrunn og kartlegging", "Oppfølging og evaluering"]
AREAS = ["Tidlig innsats", "Samarbeid rundt barnet"]


def document(measures_per_area: int = 12) -> dict:
    """A plan document as plans.selectors.build_plan_document makes it."""
    unit = {"name": "Helsestasjon", "slug": "helsestasjon"}
    return {
        "schema": 1,
        "municipality": "Heim kommune",
        "title": TITLE,
        "slug": "handlingsplan-for-trygge-oppvekstvilkar",
        "kind": "action_plan",
        "kind_display": "Handlingsplan",
        "summary": "Planen samler kommunens forebyggende arbeid.",
        "period": "2024–2027",
        "legal_bases": [
            {"law": "Barnevernsloven", "section": "§ 15-1", "summary": "Plankrav.", "url": ""}
        ],
        "reforms": [{"name": "Oppvekstreformen", "description": "", "url": ""}],
        "group": {
            "name": "OKS-gruppen",
            "kind_display": "Prosessgruppe",
            "purpose": "",
            "established_by": "",
            "established_on": None,
            "members": [
                {"role_title": "Enhetsleder helsestasjon", "unit": unit, "is_leader": False}
            ],
        },
        "sections": [
            {"id": n, "kind": "other", "title": title, "body": ("Avsnitt med tekst. " * 80)}
            for n, title in enumerate(SECTIONS, start=1)
        ],
        "links": [],
        "focus_areas": [
            {
                "id": a,
                "title": area,
                "description": "",
                "measures": [
                    {
                        "id": a * 1000 + n,
                        "title": f"Tiltak {a}.{n}",
                        "description": "Hva tiltaket går ut på, og hvorfor.",
                        "responsible_unit": unit,
                        "responsible_role": "Enhetsleder",
                        "partners": [{"name": "PPT", "slug": "ppt"}],
                        "target_groups": ["Barn", "Foreldre"],
                        "prevention_level": "universal",
                        "prevention_level_display": "Universell",
                        "start_date": None,
                        "deadline": "2025-06-30",
                        "timing": "",
                        "resources": "",
                        "status": "in_progress",
                        "status_display": "Igangsatt",
                        "participation": [{"source": "Ungdomsrådet", "received_on": None}],
                    }
                    for n in range(1, measures_per_area + 1)
                ],
            }
            for a, area in enumerate(AREAS, start=1)
        ],
        "measure_count": measures_per_area * len(AREAS),
        "participation_inputs": [
            {
                "source": "Ungdomsrådet",
                "received_on": "2023-03-01",
                "summary": "Ønsker mer informasjon på skolen.",
                "measures": ["Tiltak 1.1"],
            }
        ],
    }


class _Errors(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def _render(**kwargs):
    """Render for real (not from the in-memory cache), collecting WeasyPrint's errors."""
    pdf.clear_render_cache()
    handler = _Errors()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        rendered = pdf.render_plan_pdf(document(), **kwargs)
    finally:
        logger.removeHandler(handler)
    return PdfReader(io.BytesIO(rendered.content)), handler.records


ADOPTION = {
    "body_display": "Kommunestyret",
    "meeting_date": "2023-09-28",
    "meeting_case_number": "PS 18/24",
    "archive_case_number": "2024/1065",
    "version_number": 1,
    "decision_text": "Kommunestyret vedtar planen.",
}


@pytest.fixture(scope="module")
def adopted():
    return _render(adoption=ADOPTION, status_display="Vedtatt")


@pytest.fixture(scope="module")
def draft():
    return _render(status_display="Utkast", draft=True)


@pytest.fixture(scope="module", params=["adopted", "draft"])
def any_pdf(request, adopted, draft):
    return {"adopted": adopted, "draft": draft}[request.param][0]


def texts(reader):
    return [page.extract_text() for page in reader.pages]


def test_no_errors_from_weasyprint(adopted, draft):
    assert adopted[1] == []
    assert draft[1] == []


def test_cover_has_title_period_and_adoption(adopted):
    reader, _ = adopted
    cover = " ".join(texts(reader)[0].split())
    assert TITLE in cover
    assert "Heim kommune" in cover
    assert "2024–2027" in cover
    assert "Kommunestyret" in cover
    assert "Møtesaksnummer PS 18/24" in cover
    assert "Arkivsaksnummer 2024/1065" in cover
    assert "Ikke oppgitt" not in cover
    assert "Kommunestyret vedtar planen." in cover
    assert reader.metadata.title == TITLE


def test_every_heading_in_the_toc_with_a_nonzero_page_number(any_pdf):
    pages = texts(any_pdf)
    toc = {
        title.strip(): int(number) for title, number in re.findall(r"^(.+?) (\d+)$", pages[1], re.M)
    }
    for heading in SECTIONS + AREAS:
        assert heading in toc, heading
        number = toc[heading]
        assert 0 < number < len(pages)
        # The cover is not counted, so "page N" is the (N+1)th sheet; the heading is there.
        assert heading in pages[number]


def test_every_chapter_bookmarked_in_the_pdf_is_in_the_toc(adopted):
    """Not only the sections we know: every h2 of the document (the outline's top level,
    which WeasyPrint builds from the headings themselves) has a TOC line with its page."""
    reader, _ = adopted
    pages = texts(reader)
    toc = {
        title.strip(): int(number) for title, number in re.findall(r"^(.+?) (\d+)$", pages[1], re.M)
    }
    chapters = [item.title for item in reader.outline if not isinstance(item, list)]
    chapters = [title for title in chapters if title not in ("Innhold", TITLE)]
    assert len(chapters) >= len(SECTIONS) + 3  # summary, legal basis, group, measures…
    for chapter in chapters:
        assert chapter in toc, chapter
        assert 0 < toc[chapter] < len(pages)
        assert chapter in pages[toc[chapter]]


def test_footer_counts_pages_without_the_cover(any_pdf):
    pages = texts(any_pdf)
    total = len(pages) - 1
    assert total >= 3
    assert "Side" not in pages[0]
    for number, text in enumerate(pages[1:], start=1):
        assert f"Side {number} av {total}" in text
    assert TITLE in pages[2]  # running header


def test_watermark_only_on_drafts(adopted, draft):
    assert all("UTKAST" in text for text in texts(draft[0]))
    assert not any("UTKAST" in text for text in texts(adopted[0]))


def test_tagged_pdf_ua_in_norwegian(any_pdf):
    root = any_pdf.trailer["/Root"]
    assert root["/Lang"] == "nb"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in metadata


def test_fonts_are_the_bundled_ones_and_embedded(any_pdf):
    fonts = {}
    for page in any_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts
    assert all("DejaVu" in name for name in fonts), fonts
    assert all(fonts.values()), fonts


def test_outline_has_bookmarks_for_headings(adopted):
    reader, _ = adopted

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    bookmarks = set(titles(reader.outline))
    assert set(SECTIONS + AREAS) <= bookmarks
    assert "Tiltak 1.1" not in bookmarks  # measures are not bookmarked, headings are


def test_only_bundled_files_are_fetched_while_rendering():
    fetcher = pdf.local_only_fetcher()
    font = (pdf.FONT_DIR / "DejaVuSans.ttf").as_uri()
    assert fetcher.fetch(font).read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    for url in [
        "http://127.0.0.1:9/tracker.png",
        "https://example.invalid/x.png",
        "file:///etc/passwd",
        (pdf.FONT_DIR / ".." / ".." / ".." / "manage.py").as_uri(),
        "ftp://example.invalid/x",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_external_images_in_plan_text_do_not_break_rendering(monkeypatch):
    import urllib.request

    opened = []
    real_open = urllib.request.OpenerDirector.open

    def recording_open(self, url, *args, **kwargs):
        opened.append(getattr(url, "full_url", url))
        return real_open(self, url, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", recording_open)
    doc = document(measures_per_area=1)
    doc["sections"][0]["body"] = "![sporing](http://127.0.0.1:9/x.png) ![fil](file:///etc/passwd)"
    pdf.clear_render_cache()
    rendered = pdf.render_plan_pdf(doc)
    assert rendered.content.startswith(b"%PDF-")
    assert opened  # the fonts were loaded through the same path...
    assert all(url.startswith("file:///") and "/static/" in url for url in opened), opened
