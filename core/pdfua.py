"""Finishing touches WeasyPrint's tagged PDF needs to pass a PDF/UA-1 review (pikepdf).

WeasyPrint 70 writes a structure tree, but:

- the running header and footer (page margin boxes) are marked content with an MCID
  whose structure element hangs outside the tree; PDF/UA wants page furniture marked
  as ``/Artifact`` (ISO 14289-1, 7.8). ``_mark_orphans_as_artifacts`` rewrites them.
- link annotations carry the target's id (``section-2``) as ``/Contents``; PDF/UA wants
  an alternate description (7.18.5). ``_describe_links`` writes the heading text.
- a table of contents is an ordinary list (``/L``); it is retagged ``/TOC`` with
  ``/TOCI`` items whose body is a ``/Reference``.
- there are no page labels; ``/PageLabels`` make the viewer's page numbers match the
  printed "Side N" when a cover is not counted.

``finish_pdf`` is pure: the same input bytes give the same output bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, String


def finish_pdf(
    content: bytes,
    *,
    link_texts: Mapping[str, str],
    toc_anchors: Iterable[str] = (),
    unnumbered_label: str = "",
) -> bytes:
    """Return ``content`` with artifacts, link descriptions, a tagged TOC and page labels.

    ``link_texts`` maps an internal target id (``summary``) or an external URL to the
    words a screen reader should say for a link to it. ``toc_anchors`` are the targets
    of the contents list. ``unnumbered_label`` names the first page when it is an
    unnumbered cover ("Forside"); empty when page 1 is "Side 1".
    """
    with pikepdf.open(io.BytesIO(content)) as pdf:
        _mark_orphans_as_artifacts(pdf)
        _describe_links(pdf, link_texts)
        if toc_anchors:
            _tag_toc(pdf, set(toc_anchors))
        _label_pages(pdf, unnumbered_label)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _struct_elements(pdf) -> Iterable[Dictionary]:
    """Every structure element reachable from the root, in document order."""
    stack = list(reversed(_kids(pdf.Root.StructTreeRoot)))
    while stack:
        element = stack.pop()
        if not isinstance(element, Dictionary) or element.get("/Type") in ("/OBJR", "/MCR"):
            continue
        yield element
        stack.extend(reversed(_kids(element)))


def _mark_orphans_as_artifacts(pdf) -> None:
    reachable = {element.objgen for element in _struct_elements(pdf)}
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    page_entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for index, page in enumerate(pdf.pages):
        entries = page_entries.get(index)
        if not isinstance(entries, Array):
            continue
        orphans = set()
        for mcid, element in enumerate(entries):
            if isinstance(element, Dictionary) and element.objgen not in reachable:
                orphans.add(mcid)
                entries[mcid] = pikepdf.Object.parse(b"null")
        if not orphans:
            continue
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if (
                operator == Operator("BDC")
                and len(operands) == 2
                and isinstance(operands[1], Dictionary)
                and int(operands[1].get("/MCID", -1)) in orphans
            ):
                operands = [Name.Artifact, Dictionary(Type=Name.Pagination)]
            instructions.append((operands, operator))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _describe_links(pdf, link_texts: Mapping[str, str]) -> None:
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            target = annotation.get("/Dest")
            if target is None and "/A" in annotation:
                target = annotation.A.get("/URI")
            text = link_texts.get(str(target)) if target is not None else None
            if text:
                annotation.Contents = String(text)


def _link_targets(element) -> set[str]:
    targets = set()
    stack = [element]
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary):
            continue
        if node.get("/Type") == "/OBJR":
            dest = node.Obj.get("/Dest")
            if dest is not None:
                targets.add(str(dest))
            continue
        stack.extend(_kids(node))
    return targets


def _tag_toc(pdf, anchors: set[str]) -> None:
    for element in _struct_elements(pdf):
        if element.get("/S") != "/L" or not _link_targets(element) & anchors:
            continue
        element.S = Name.TOC
        for item in _kids(element):
            if isinstance(item, Dictionary) and item.get("/S") == "/LI":
                item.S = Name.TOCI
                for body in _kids(item):
                    if isinstance(body, Dictionary) and body.get("/S") == "/LBody":
                        body.S = Name.Reference
        return
    raise ValueError("The PDF has no contents list to tag.")


def _label_pages(pdf, unnumbered_label: str) -> None:
    if unnumbered_label:
        labels = [0, Dictionary(P=String(unnumbered_label)), 1, Dictionary(S=Name.D, St=1)]
    else:
        labels = [0, Dictionary(S=Name.D, St=1)]
    pdf.Root.PageLabels = pdf.make_indirect(Dictionary(Nums=Array(labels)))
