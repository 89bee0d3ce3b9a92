"""Open data: published plans as JSON and their measures as CSV.

The shapes here are a public contract documented in ``docs/open-data.md``.
They are built field by field (not dumped from the internal document) so the
internal document can change without breaking anyone's scripts. Add fields
freely; removing or renaming one means bumping ``OPEN_DATA_SCHEMA_VERSION``.
"""

from __future__ import annotations

from plans.models import PublishedPlan
from plans.published import published_document, published_plan_get

OPEN_DATA_SCHEMA_VERSION = 1

CSV_COLUMNS = [
    "plan_slug",
    "measure_id",
    "focus_area",
    "title",
    "description",
    "responsible_unit",
    "responsible_unit_slug",
    "responsible_role",
    "partners",
    "target_groups",
    "prevention_level",
    "status",
    "start_date",
    "deadline",
    "timing",
    "resources",
    "url",
]


def plan_get_published(*, slug: str) -> PublishedPlan:
    """The published plan at ``slug``; 404 for anything else, whoever asks."""
    return published_plan_get(slug=slug)


def _unit(ref):
    return {"name": ref["name"], "slug": ref["slug"]} if ref else None


def plan_open_data(*, plan: PublishedPlan, base_url: str) -> dict:
    """The published version of ``plan`` in the open-data JSON schema."""
    document, adoption = published_document(plan), plan.adoption
    page_url = base_url + plan.get_absolute_url()
    group = document.get("group")
    return {
        "schema_version": OPEN_DATA_SCHEMA_VERSION,
        "municipality": document.get("municipality"),
        "title": document["title"],
        "slug": plan.slug,
        "url": page_url,
        "kind": document.get("kind"),
        "status": plan.status,
        "summary": document.get("summary", ""),
        "period": document.get("period", ""),
        "consultation_draft": plan.is_consultation_draft,
        "consultation": {
            "deadline": plan.consultation_deadline.isoformat(),
            "url": page_url.removesuffix("/") + "/horing/",
        }
        if plan.consultation_deadline
        else None,
        "adoption": {
            "version": adoption.version_number,
            "body": adoption.body,
            "meeting_date": adoption.meeting_date.isoformat(),
            "meeting_case_number": adoption.meeting_case_number,
            "archive_case_number": adoption.archive_case_number,
            "archive_document_number": adoption.archive_document_number,
            "record_url": adoption.record_url,
            "pdf_is_web_version": adoption.pdf_is_web_version,
            "adopted_document_sha256": adoption.adopted_document_sha256 or None,
            "decision_text": adoption.decision_text,
        }
        if adoption
        else None,
        "legal_bases": [
            {"law": b["law"], "section": b["section"], "url": b.get("url", "")}
            for b in document.get("legal_bases", [])
        ],
        "reforms": [
            {"name": r["name"], "url": r.get("url", "")} for r in document.get("reforms", [])
        ],
        "group": {
            "name": group["name"],
            "members": [
                {"role_title": m["role_title"], "unit": _unit(m.get("unit"))}
                for m in group.get("members", [])
            ],
        }
        if group
        else None,
        "sections": [
            {"title": s["title"], "kind": s.get("kind", ""), "body_markdown": s["body"]}
            for s in document.get("sections", [])
        ],
        "links": [
            {"title": link["title"], "url": link["url"]} for link in document.get("links", [])
        ],
        "focus_areas": [
            {
                "id": area.get("id"),
                "title": area.get("title", ""),
                "measures": [_measure(m, page_url) for m in area["measures"]],
            }
            for area in document.get("focus_areas", [])
        ],
    }


def _measure(measure: dict, page_url: str) -> dict:
    return {
        "id": measure["id"],
        "title": measure["title"],
        "description_markdown": measure.get("description", ""),
        "responsible_unit": _unit(measure.get("responsible_unit")),
        "responsible_role": measure.get("responsible_role", ""),
        "partners": [_unit(u) for u in measure.get("partners", [])],
        "target_groups": list(measure.get("target_groups", [])),
        "prevention_level": measure.get("prevention_level") or None,
        "status": measure.get("status"),
        "start_date": measure.get("start_date"),
        "deadline": measure.get("deadline"),
        "timing": measure.get("timing", ""),
        "resources": measure.get("resources", ""),
        "url": f"{page_url}#measure-{measure['id']}",
    }


def plan_measure_rows(data: dict) -> list[list[str]]:
    """CSV rows (without header) for the measures in ``data`` from ``plan_open_data``."""
    rows = []
    for area in data["focus_areas"]:
        for m in area["measures"]:
            unit = m["responsible_unit"] or {}
            rows.append(
                [
                    data["slug"],
                    str(m["id"]),
                    area["title"],
                    m["title"],
                    m["description_markdown"],
                    unit.get("name", ""),
                    unit.get("slug", ""),
                    m["responsible_role"],
                    "; ".join(p["name"] for p in m["partners"] if p),
                    "; ".join(m["target_groups"]),
                    m["prevention_level"] or "",
                    m["status"] or "",
                    m["start_date"] or "",
                    m["deadline"] or "",
                    m["timing"],
                    m["resources"],
                    m["url"],
                ]
            )
    return rows
