"""The plan as a council-ready PDF (WeasyPrint): tagged PDF/UA-1, Norwegian, bundled fonts.

One entry point, ``render_plan_pdf(document, ...)``, renders a plan *document*
(the dict from ``plans.selectors.build_plan_document`` or a frozen
``Adoption.snapshot``), so a draft and an adopted version come out of the same
template. The creation date in the metadata is the meeting date (or today for a
draft), so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

STATIC_PDF_DIR = settings.BASE_DIR / "static" / "pdf"
FONT_DIR = settings.BASE_DIR / "static" / "fonts" / "dejavu"


class PdfRenderError(Exception):
    """Rendering a plan's PDF failed; nothing was stored."""


class PdfTooLargeError(PdfRenderError):
    """The plan's HTML is longer than ``HEIMPLAN_PDF_MAX_HTML_CHARS``: not rendered."""


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str


def local_only_fetcher():
    """A WeasyPrint URL fetcher that loads only the project's static files and data: URIs.

    Plan text is written by editors: an image or link to another server (or to a
    file elsewhere on this one) must never be fetched while rendering.
    """
    from weasyprint.urls import URLFetcher

    static_root = (settings.BASE_DIR / "static").resolve()

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_relative_to(static_root):
                    return super().fetch(url, headers)
            raise ValueError(f"Not fetched for a plan PDF: {url[:200]}")

    return LocalOnlyFetcher(allow_redirects=False)


def _stylesheets(draft: bool, fetcher, consultation: bool = False):
    from weasyprint import CSS

    names = ["plan.css", "toc.css"] + (["draft.css"] if draft else [])
    names += ["consultation.css"] if consultation else []
    return [CSS(filename=str(STATIC_PDF_DIR / name), url_fetcher=fetcher) for name in names]


def logo_uri() -> str:
    """The municipality's logo (``HEIMPLAN_LOGO``, a static path) as a file URI, if bundled."""
    path = finders.find(settings.HEIMPLAN_LOGO) if settings.HEIMPLAN_LOGO else None
    if not path:
        return ""
    path = Path(path).resolve()
    # The fetcher loads only files under static/, so the logo must be there.
    return path.as_uri() if path.is_relative_to((settings.BASE_DIR / "static").resolve()) else ""


def toc_entries(document: dict) -> list[dict]:
    """The contents: every chapter (h2) and focus area (h3) in the order the PDF prints them.

    The template renders the contents and the headings' ids from this list's anchors,
    and the same list gives the link annotations their text.
    """
    entries = []

    def add(anchor, title, level=1):
        entries.append({"anchor": anchor, "title": str(title), "level": level})

    if document.get("summary"):
        add("summary", _("Summary"))
    for number, section in enumerate(document.get("sections", []), start=1):
        add(f"section-{number}", section["title"])
    if document.get("goals"):
        add("goals", _("Goals"))
    if document.get("legal_bases"):
        add("legal-basis", _("Legal basis"))
    if document.get("reforms"):
        add("reforms", _("Reforms and national initiatives"))
    if document.get("group"):
        add("group", _("Who made the plan"))
    add("measures", _("Measures"))
    for number, area in enumerate(document.get("focus_areas", []), start=1):
        add(f"area-{number}", area.get("title") or _("Other measures"), level=2)
    if document.get("participation_inputs"):
        add("participation", _("Participation"))
    if document.get("links"):
        add("links", _("Read more"))
    return entries


def footer_note(adoption: dict | None, draft: bool) -> str:
    """The footer's left part: the version and its adoption date (or that it is a draft)."""
    if adoption:
        meeting = parse_date(str(adoption.get("meeting_date") or ""))
        if meeting:
            return _("Version %(version)s, adopted %(date)s") % {
                "version": adoption["version_number"],
                "date": date_filter(meeting, "j. F Y"),
            }
        return _("Version %(version)s") % {"version": adoption["version_number"]}
    return _("Draft – not adopted") if draft else ""


def render_plan_html(
    document: dict,
    *,
    adoption: dict | None,
    status_display: str,
    draft: bool,
    toc=None,
    consultation: dict | None = None,
):
    return render_to_string(
        "pdf/plan.html",
        {
            "doc": document,
            "adoption": adoption,
            "consultation": consultation,
            "status_display": status_display,
            "draft": draft,
            "toc": toc if toc is not None else toc_entries(document),
            "footer_note": footer_note(adoption, draft),
            "logo": logo_uri(),
            "lang": translation.get_language() or settings.LANGUAGE_CODE,
            "font_dir": FONT_DIR.as_uri(),
            "created": (adoption or {}).get("meeting_date")
            or (consultation or {}).get("started_on")
            or timezone.localdate().isoformat(),
        },
    )


def link_texts(document: dict, toc: list[dict]) -> dict[str, str]:
    """What a screen reader says for each link: the heading text, or an external link's title."""
    texts = {entry["anchor"]: entry["title"] for entry in toc}
    for link in document.get("links", []):
        texts[link["url"]] = (
            f"{link['title']} ({link['url']})" if link.get("title") else link["url"]
        )
    return texts


# The same HTML always gives the same PDF, so a few recent renders are kept in
# memory: an editor reloading an unchanged draft (or a test suite loading the
# same plans again) does not pay for the layout twice.
_RECENT: OrderedDict[str, RenderedPdf] = OrderedDict()
_RECENT_MAX = 8


def clear_render_cache() -> None:
    _RECENT.clear()


def render_plan_pdf(
    document: dict,
    *,
    adoption: dict | None = None,
    status_display: str = "",
    draft: bool = False,
    consultation: dict | None = None,
) -> RenderedPdf:
    """Render ``document`` as a PDF. Raises ``PdfRenderError`` (logged) if WeasyPrint fails.

    ``adoption`` is a plain dict (body_display, empty when the body is not stated;
    meeting_date, meeting_case_number, archive_case_number, version_number, ...) shown
    on the cover and in the footer; ``draft`` adds the UTKAST watermark;
    ``consultation`` (deadline, started_on, round) marks a consultation draft with the
    HØRINGSUTKAST watermark.

    The PDF is always in the municipality's language (``LANGUAGE_CODE``, from
    ``HEIMPLAN_LANGUAGE``), never the visitor's: an adopted version's PDF is rendered
    once, stored and its SHA-256 published, so it cannot follow each reader's choice,
    and a draft comes out in the same language as the version it will become.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _render_plan_pdf(
            document,
            adoption=adoption,
            status_display=status_display,
            draft=draft,
            consultation=consultation,
        )


def _render_plan_pdf(
    document, *, adoption, status_display, draft, consultation=None
) -> RenderedPdf:
    try:
        from weasyprint import HTML

        from core.pdfua import finish_pdf

        toc = toc_entries(document)
        html = render_plan_html(
            document,
            adoption=adoption,
            status_display=status_display,
            draft=draft,
            toc=toc,
            consultation=consultation,
        )
        # Runaway work: layout time grows with the text, so the text is bounded before
        # WeasyPrint starts (gunicorn's worker timeout bounds the rest).
        limit = settings.HEIMPLAN_PDF_MAX_HTML_CHARS
        if limit and len(html) > limit:
            logger.warning(
                "The PDF of %r was not rendered: %d characters of HTML, more than "
                "HEIMPLAN_PDF_MAX_HTML_CHARS (%d)",
                document.get("slug"),
                len(html),
                limit,
            )
            raise PdfTooLargeError(f"{len(html)} characters of HTML (limit {limit})")
        key = hashlib.sha256(f"{draft}\n{bool(consultation)}\n{html}".encode()).hexdigest()
        if key in _RECENT:
            _RECENT.move_to_end(key)
            return _RECENT[key]
        fetcher = local_only_fetcher()
        content = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
            stylesheets=_stylesheets(draft, fetcher, consultation=bool(consultation)),
            pdf_variant="pdf/ua-1",
            pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode(),
        )
        content = finish_pdf(
            content,
            link_texts=link_texts(document, toc),
            toc_anchors=[entry["anchor"] for entry in toc],
            unnumbered_label=_("Cover"),
        )
    except PdfTooLargeError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; the caller needs one.
        logger.exception("Rendering the PDF of %r failed", document.get("slug"))
        raise PdfRenderError(str(exc)) from exc
    rendered = RenderedPdf(content=content, sha256=hashlib.sha256(content).hexdigest())
    _RECENT[key] = rendered
    while len(_RECENT) > _RECENT_MAX:
        _RECENT.popitem(last=False)
    return rendered
