"""The yearly report's content: built once from the adopted plan, its follow-up and the
group's narrative, frozen into ``YearlyReport.snapshot`` and rendered to PDF once.

The measures and goals are those of the version in force (the newest adoption), so
a report never shows a draft; the status of each measure is the one its newest
report up to the end of the period gave it.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from measures.models import MeasureStatus, StatusReport
from plans.models import Adoption
from plans.pdf import FONT_DIR, STATIC_PDF_DIR, PdfRenderError, RenderedPdf, local_only_fetcher
from plans.selectors import document_goals
from results.models import YearlyReport
from results.selectors import follow_up_by_goal

logger = logging.getLogger(__name__)

REPORT_SCHEMA_VERSION = 1


def _number(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _adopted_version(plan_id: int) -> Adoption:
    adoption = (
        Adoption.objects.filter(plan_id=plan_id)
        .exclude(snapshot={})
        .defer("pdf")
        .order_by("-version_number")
        .first()
    )
    if adoption is None:
        raise ValidationError(_("The plan has no adopted version to report on."))
    return adoption


def _measures(document: dict, plan_id: int, start: date, end: date) -> list[dict]:
    """Each adopted measure with its status at ``end`` and its reports in the period."""
    labels = dict(MeasureStatus.choices)
    latest: dict[int, str] = {}
    in_period: dict[int, list[dict]] = {}
    rows = (
        StatusReport.objects.filter(measure__plan_id=plan_id, reported_on__lte=end)
        .order_by("measure_id", "reported_on", "id")
        .values_list("measure_id", "status", "text", "reported_on")
    )
    for measure_id, status, text, reported_on in rows:
        latest[measure_id] = status
        if reported_on >= start:
            in_period.setdefault(measure_id, []).append(
                {
                    "status": status,
                    "status_display": str(labels.get(status, status)),
                    "text": text,
                    "reported_on": reported_on.isoformat(),
                }
            )
    areas = []
    for area in document.get("focus_areas", []):
        measures = []
        for measure in area.get("measures", []):
            status = latest.get(measure["id"])
            measures.append(
                {
                    "id": measure["id"],
                    "title": measure["title"],
                    "responsible_unit": (measure.get("responsible_unit") or {}).get("name", ""),
                    "status": status or "",
                    "status_display": str(labels[status]) if status else _("No report"),
                    "reports": in_period.get(measure["id"], []),
                }
            )
        areas.append({"title": area.get("title", ""), "measures": measures})
    return areas


def _indicators(document: dict, end: date) -> list[dict]:
    goals = document_goals(document)
    by_goal = follow_up_by_goal([g["id"] for g in goals], until=end) if goals else {}
    result = []
    for goal in goals:
        items = []
        for item in by_goal.get(goal["id"], []):
            indicator = item.indicator
            items.append(
                {
                    "id": indicator.pk,
                    "name": indicator.name,
                    "definition": indicator.definition,
                    "unit": indicator.unit,
                    "better": str(indicator.get_direction_display()),
                    "source": indicator.source_display,
                    "baseline_value": _number(indicator.baseline_value),
                    "baseline_date": indicator.baseline_date.isoformat()
                    if indicator.baseline_date
                    else None,
                    "target_value": _number(indicator.target_value),
                    "target_date": indicator.target_date.isoformat()
                    if indicator.target_date
                    else None,
                    "values": [
                        {"period": v.period_display, "value": _number(v.value), "note": v.note}
                        for v in item.values
                    ],
                    "values_total": item.total,
                    "trend": item.trend.status,
                    "trend_display": item.trend.label,
                }
            )
        result.append({"number": goal["number"], "title": goal["title"], "indicators": items})
    return result


def yearly_report_document(report: YearlyReport) -> dict:
    """The report's content as a JSON-serialisable dict (a fixed number of queries)."""
    adoption = _adopted_version(report.plan_id)
    document = adoption.snapshot
    areas = _measures(document, report.plan_id, report.period_start, report.period_end)
    counts: dict[str, int] = {}
    for area in areas:
        for measure in area["measures"]:
            counts[measure["status_display"]] = counts.get(measure["status_display"], 0) + 1
    return {
        "schema": REPORT_SCHEMA_VERSION,
        "municipality": settings.HEIMPLAN_MUNICIPALITY,
        "title": document.get("title", ""),
        "slug": document.get("slug", ""),
        "plan_period": document.get("period", ""),
        "version_number": adoption.version_number,
        "year": report.year,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "went_well": report.went_well,
        "went_badly": report.went_badly,
        "changes": report.changes,
        "status_counts": sorted(counts.items()),
        "focus_areas": areas,
        "goals": _indicators(document, report.period_end),
    }


def render_report_pdf(document: dict, *, created: str) -> RenderedPdf:
    """The report as a tagged PDF (PDF/UA-1), with the plan PDF's fonts and stylesheet."""
    try:
        from weasyprint import CSS, HTML

        html = render_to_string(
            "pdf/yearly_report.html",
            {"doc": document, "font_dir": FONT_DIR.as_uri(), "created": created},
        )
        fetcher = local_only_fetcher()
        content = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(filename=str(STATIC_PDF_DIR / "plan.css"), url_fetcher=fetcher)],
            pdf_variant="pdf/ua-1",
            pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode(),
        )
    except Exception as exc:  # WeasyPrint raises many kinds; the caller needs one.
        logger.exception("Rendering the yearly report of %r failed", document.get("slug"))
        raise PdfRenderError(str(exc)) from exc
    return RenderedPdf(content=content, sha256=hashlib.sha256(content).hexdigest())
