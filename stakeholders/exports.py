"""The stakeholder register and activity lists as CSV and as a printable PDF.

CSV: semicolon-separated with a UTF-8 byte order mark, which is what Excel with
Norwegian regional settings opens directly (æ, ø and å intact). Cells that a
spreadsheet would read as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.text import spreadsheet_safe
from stakeholders import grid as grid_module
from stakeholders import selectors
from stakeholders.models import StakeholderAnalysis

logger = logging.getLogger(__name__)

BOM = "\ufeff"


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return BOM + buffer.getvalue()


def register_csv(analysis: StakeholderAnalysis) -> str:
    stakeholders = selectors.stakeholders_for_analysis(analysis)
    labels = selectors.quadrant_labels(analysis)
    header = [
        _("No."),
        _("Name"),
        _("Target group or actor"),
        _("Category"),
        _("Interest"),
        _("Influence"),
        _("Quadrant"),
        _("Attitude"),
        _("Unit"),
        _("Information needs"),
        _("Measures and follow-up"),
    ]
    rows = []
    for s in stakeholders:
        quadrant = grid_module.quadrant_for(interest=s.interest, influence=s.influence)
        rows.append(
            [
                s.number,
                s.name,
                s.get_role_display(),
                s.get_category_display(),
                s.get_interest_display(),
                s.get_influence_display(),
                labels[quadrant],
                s.get_attitude_display(),
                s.unit.name if s.unit else "",
                s.information_needs,
                s.follow_up,
            ]
        )
    return _csv(header, rows)


def activities_csv(analysis: StakeholderAnalysis) -> str:
    header = [
        _("Kind"),
        _("Title"),
        _("Channel"),
        _("Message"),
        _("Aimed at"),
        _("Planned for"),
        _("When"),
        _("Responsible unit"),
        _("Status"),
        _("Done on"),
    ]
    rows = [
        [
            a.get_kind_display(),
            a.title,
            a.get_channel_display(),
            a.message,
            ", ".join(s.name for s in a.stakeholders.all()),
            a.planned_for.isoformat() if a.planned_for else "",
            a.timing,
            a.responsible_unit.name if a.responsible_unit else "",
            _("Done") if a.is_done else _("Planned"),
            a.completed_on.isoformat() if a.completed_on else "",
        ]
        for a in selectors.activities_for_analysis(analysis)
    ]
    return _csv(header, rows)


def _font_uri(name: str) -> str:
    path = finders.find(f"fonts/dejavu/{name}")
    return Path(path).as_uri() if path else ""


class ExportError(Exception):
    """Rendering the printable version failed; logged, nothing stored."""


def analysis_toc(context: dict) -> list[dict]:
    """The printable analysis's chapters, in order (the contents list and the link texts)."""
    entries = [
        ("register", _("Stakeholder register")),
        ("grid", _("Interest and influence")),
        ("strategy", _("Information and ownership strategy")),
        ("activities", _("All activities")),
        ("strengths", _("Strengths and weaknesses")),
    ]
    if context.get("participation_inputs"):
        entries.append(("participation", _("Participation")))
    return [{"anchor": anchor, "title": str(title), "level": 1} for anchor, title in entries]


def analysis_pdf(analysis: StakeholderAnalysis) -> bytes:
    """The analysis as a printable A4 document for a meeting (rendered on request).

    Like the plan PDF it is in the municipality's language (``LANGUAGE_CODE``), not the
    editor's: it is a meeting document the municipality hands out, and a nynorsk
    municipality's document is in nynorsk whoever prints it.
    """
    from weasyprint import CSS, HTML

    from core.pdfua import finish_pdf
    from plans.pdf import STATIC_PDF_DIR, link_texts, local_only_fetcher, logo_uri

    with translation.override(settings.LANGUAGE_CODE):
        context = selectors.analysis_page(analysis)
        toc = analysis_toc(context)
        context.update(
            {
                "printed_on": timezone.localdate(),
                "municipality": settings.HEIMPLAN_MUNICIPALITY,
                "font_regular": _font_uri("DejaVuSans.ttf"),
                "font_bold": _font_uri("DejaVuSans-Bold.ttf"),
                "logo": logo_uri(),
                "toc": toc,
                "lang": settings.LANGUAGE_CODE,
            }
        )
        html = render_to_string("stakeholders/analysis_print.html", context)
        try:
            fetcher = local_only_fetcher()
            content = HTML(
                string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher
            ).write_pdf(
                stylesheets=[CSS(filename=str(STATIC_PDF_DIR / "toc.css"), url_fetcher=fetcher)],
                pdf_variant="pdf/ua-1",
            )
            return finish_pdf(
                content,
                link_texts=link_texts({}, toc),
                toc_anchors=[entry["anchor"] for entry in toc],
            )
        except Exception as exc:  # WeasyPrint raises many kinds; the user gets one clear page.
            logger.exception("Rendering the PDF of analysis %s failed", analysis.pk)
            raise ExportError(str(exc)) from exc
