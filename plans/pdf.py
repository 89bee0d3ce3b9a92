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
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

STATIC_PDF_DIR = settings.BASE_DIR / "static" / "pdf"
FONT_DIR = settings.BASE_DIR / "static" / "fonts" / "dejavu"


class PdfRenderError(Exception):
    """Rendering a plan's PDF failed; nothing was stored."""


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

    names = ["plan.css"] + (["draft.css"] if draft else [])
    names += ["consultation.css"] if consultation else []
    return [CSS(filename=str(STATIC_PDF_DIR / name), url_fetcher=fetcher) for name in names]


def render_plan_html(
    document: dict,
    *,
    adoption: dict | None,
    status_display: str,
    draft: bool,
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
            "font_dir": FONT_DIR.as_uri(),
            "created": (adoption or {}).get("meeting_date")
            or (consultation or {}).get("started_on")
            or timezone.localdate().isoformat(),
        },
    )


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

    ``adoption`` is a plain dict (body_display, meeting_date, case_numbers,
    version_number) shown on the cover; ``draft`` adds the UTKAST watermark;
    ``consultation`` (deadline, started_on, round) marks a consultation draft with the
    HØRINGSUTKAST watermark.
    """
    try:
        from weasyprint import HTML

        html = render_plan_html(
            document,
            adoption=adoption,
            status_display=status_display,
            draft=draft,
            consultation=consultation,
        )
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
    except Exception as exc:  # WeasyPrint raises many kinds; the caller needs one.
        logger.exception("Rendering the PDF of %r failed", document.get("slug"))
        raise PdfRenderError(str(exc)) from exc
    rendered = RenderedPdf(content=content, sha256=hashlib.sha256(content).hexdigest())
    _RECENT[key] = rendered
    while len(_RECENT) > _RECENT_MAX:
        _RECENT.popitem(last=False)
    return rendered
