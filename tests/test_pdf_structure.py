"""What a PDF/UA review reads in the plan PDF and the stakeholder analysis PDF (pikepdf, pypdf).

Page furniture (running header, footer, the contents' dots) is an artifact, never
content in the structure tree; every chapter is in a contents list tagged TOC/TOCI;
links say in Norwegian where they go; the viewer's page labels match "Side N".
"""

import io

import pikepdf
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from plans import pdf
from tests.stakeholders_helpers import client_for, editor_of
from tests.test_pdf import ADOPTION, AREAS, SECTIONS, TITLE, document
from tests.test_stakeholders_exports import analysis  # noqa: F401 (a fixture)

CHAPTERS = [
    "Sammendrag",
    *SECTIONS,
    "Lovhjemmel",
    "Reformer og nasjonale satsinger",
    "Hvem laget planen",
    "Tiltak",
    *AREAS,
    "Medvirkning",
]


def _render(**kwargs) -> bytes:
    pdf.clear_render_cache()
    return pdf.render_plan_pdf(document(measures_per_area=6), **kwargs).content


@pytest.fixture(scope="module")
def adopted() -> bytes:
    return _render(adoption=ADOPTION, status_display="Vedtatt")


@pytest.fixture(scope="module")
def draft() -> bytes:
    return _render(status_display="Utkast", draft=True)


def tagged_and_artifact_text(content: bytes) -> list[tuple[list[str], list[str]]]:
    """Per page: (text inside tagged content, text inside /Artifact marked content)."""
    result = []
    for page in PdfReader(io.BytesIO(content)).pages:
        stack, tagged, artifacts = [], [], []

        def before(operator, operands, cm, tm, stack=stack):
            if operator in (b"BDC", b"BMC"):
                stack.append(str(operands[0]))
            elif operator == b"EMC":
                stack.pop()

        def text(chunk, cm, tm, font, size, stack=stack, tagged=tagged, artifacts=artifacts):
            if chunk.strip():
                (artifacts if "/Artifact" in stack else tagged).append(chunk.strip())

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        result.append((tagged, artifacts))
    return result


def kids(element) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def struct_elements(pdf_file):
    stack = kids(pdf_file.Root.StructTreeRoot)
    while stack:
        element = stack.pop(0)
        if isinstance(element, pikepdf.Dictionary) and element.get("/Type") not in (
            "/OBJR",
            "/MCR",
        ):
            yield element
            stack[0:0] = kids(element)


def links_under(element) -> list:
    found, stack = [], [element]
    while stack:
        node = stack.pop(0)
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.get("/Type") == "/OBJR":
            found.append(node.Obj)
        else:
            stack[0:0] = kids(node)
    return found


def marked_content_ids(pdf_file) -> list[set[int]]:
    """Per page, the MCIDs of the content stream's tagged (non-artifact) marked content."""
    pages = []
    for page in pdf_file.pages:
        ids = set()
        for operands, operator in pikepdf.parse_content_stream(page):
            properties = operands[1] if operator == pikepdf.Operator("BDC") else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                ids.add(int(properties.MCID))
        pages.append(ids)
    return pages


@pytest.mark.parametrize("kind", ["adopted", "draft"])
def test_header_and_footer_are_artifacts_not_content(kind, request):
    content = request.getfixturevalue(kind)
    pages = tagged_and_artifact_text(content)
    total = len(pages) - 1
    note = "Versjon 1, vedtatt 28. september 2023" if kind == "adopted" else "Utkast – ikke vedtatt"
    for number, (tagged, artifacts) in enumerate(pages[1:], start=1):
        assert f"Side {number} av {total}" in artifacts
        assert TITLE in artifacts
        assert note in artifacts
        assert not [t for t in tagged if t.startswith("Side ") or TITLE in t or note in t], number


@pytest.mark.parametrize("kind", ["adopted", "draft"])
def test_every_marked_content_belongs_to_the_structure_tree(kind, request):
    """Nothing is tagged content outside the tree (WeasyPrint's margin boxes were)."""
    with pikepdf.open(io.BytesIO(request.getfixturevalue(kind))) as pdf_file:
        reachable = {element.objgen for element in struct_elements(pdf_file)}
        nums = pdf_file.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for index, ids in enumerate(marked_content_ids(pdf_file)):
            for mcid in ids:
                element = parents[index][mcid]
                assert isinstance(element, pikepdf.Dictionary), (index, mcid)
                assert element.objgen in reachable, (index, mcid)


def test_contents_list_every_chapter_and_is_tagged_toc(adopted):
    with pikepdf.open(io.BytesIO(adopted)) as pdf_file:
        tocs = [e for e in struct_elements(pdf_file) if e.get("/S") == "/TOC"]
        assert len(tocs) == 1
        items = kids(tocs[0])
        assert items and all(item.S == "/TOCI" for item in items)
        titles = [str(link.Contents) for link in links_under(tocs[0])]
        assert titles == CHAPTERS
        # Every heading the outline knows (WeasyPrint builds it from h2/h3) is in it.
        reader = PdfReader(io.BytesIO(adopted))

        def outline(items):
            for item in items:
                if isinstance(item, list):
                    yield from outline(item)
                else:
                    yield item.title

        headings = [t for t in outline(reader.outline) if t not in ("Innhold", TITLE)]
        assert headings == CHAPTERS


def test_contents_dots_are_not_text(adopted):
    tagged, artifacts = tagged_and_artifact_text(adopted)[1]
    assert not [t for t in tagged + artifacts if "..." in t]
    assert "Reformer og nasjonale satsinger" in tagged


@pytest.mark.parametrize("kind", ["adopted", "draft"])
def test_page_labels_match_the_printed_page_numbers(kind, request):
    content = request.getfixturevalue(kind)
    reader = PdfReader(io.BytesIO(content))
    labels = reader.page_labels
    assert labels[0] == "Forside"
    for index, page in enumerate(reader.pages[1:], start=1):
        assert labels[index] == str(index)
        assert f"Side {labels[index]} av" in page.extract_text()


def test_link_annotations_say_the_heading_in_norwegian(adopted):
    reader = PdfReader(io.BytesIO(adopted))
    contents = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation["/Subtype"] == "/Link":
                contents.append(str(annotation["/Contents"]))
    assert sorted(contents) == sorted(CHAPTERS)
    assert not [c for c in contents if c.startswith(("section-", "area-", "#"))]


def test_links_to_other_sites_say_their_title():
    doc = document(measures_per_area=1)
    doc["links"] = [{"title": "Veileder fra Bufdir", "url": "https://bufdir.no/veileder"}]
    pdf.clear_render_cache()
    reader = PdfReader(io.BytesIO(pdf.render_plan_pdf(doc).content))
    contents = {
        str(a.get_object()["/Contents"]) for page in reader.pages for a in page.get("/Annots", [])
    }
    assert "Veileder fra Bufdir (https://bufdir.no/veileder)" in contents
    assert "Les mer" in contents


def test_cover_without_a_stated_body_leaves_it_out():
    pdf.clear_render_cache()
    adoption = {**ADOPTION, "body_display": "", "archive_case_number": ""}
    content = pdf.render_plan_pdf(
        document(measures_per_area=1), adoption=adoption, status_display="Vedtatt"
    ).content
    reader = PdfReader(io.BytesIO(content))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Vedtatt av" not in cover
    assert "Ikke oppgitt" not in cover
    assert "Arkivsaksnummer" not in cover
    assert "Møtesaksnummer PS 18/24" in cover


def test_cover_shows_the_logo_with_a_text_alternative(adopted):
    with pikepdf.open(io.BytesIO(adopted)) as pdf_file:
        figures = [e for e in struct_elements(pdf_file) if e.get("/S") == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Logoen til Heim kommune"]
        assert figures[0].Pg.objgen == pdf_file.pages[0].objgen


def test_analysis_pdf_gets_the_same_treatment(analysis):  # noqa: F811
    client = client_for(editor_of(analysis.process_group))
    response = client.get(reverse("stakeholders:analysis_pdf", args=[analysis.pk]))
    assert response.status_code == 200
    content = response.content
    pages = tagged_and_artifact_text(content)
    for number, (tagged, artifacts) in enumerate(pages, start=1):
        assert f"Side {number} av {len(pages)}" in artifacts
        assert not [t for t in tagged if t.startswith("Side ")]
    reader = PdfReader(io.BytesIO(content))
    assert reader.page_labels == [str(n) for n in range(1, len(pages) + 1)]
    with pikepdf.open(io.BytesIO(content)) as pdf_file:
        tocs = [e for e in struct_elements(pdf_file) if e.get("/S") == "/TOC"]
        assert len(tocs) == 1
        titles = [str(link.Contents) for link in links_under(tocs[0])]
        assert titles[:2] == ["Interessentregister", "Interesse og innflytelse"]
        assert "Alle aktiviteter" in titles
        figures = [e for e in struct_elements(pdf_file) if e.get("/S") == "/Figure"]
        assert "Logoen til Heim kommune" in [str(f.get("/Alt")) for f in figures]


def test_pdfs_are_in_the_municipalitys_language_not_the_visitors():
    def render():
        pdf.clear_render_cache()
        doc = document(measures_per_area=1)
        return PdfReader(io.BytesIO(pdf.render_plan_pdf(doc, draft=True).content))

    with translation.override("nn"):  # a visitor who chose nynorsk; the municipality's is nb
        reader = render()
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    assert "Innhold" in reader.pages[1].extract_text()
    with override_settings(LANGUAGE_CODE="nn"), translation.override("nb"):
        reader = render()
    assert reader.trailer["/Root"]["/Lang"] == "nn"
    assert "Innhald" in reader.pages[1].extract_text()
    assert "Utkast – ikkje vedteke" in reader.pages[0].extract_text()
    assert reader.page_labels[:2] == ["Framside", "1"]
    contents = {
        str(a.get_object()["/Contents"]) for page in reader.pages for a in page.get("/Annots", [])
    }
    assert {"Samandrag", "Lovheimel", "Medverknad"} <= contents
