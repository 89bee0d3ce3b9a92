"""What changed between two versions of a plan (two plan documents).

Works on the plain documents from ``plans.selectors.build_plan_document`` /
``Adoption.snapshot``, so it never touches the database.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

MEASURE_FIELDS = [
    ("title", _("Title")),
    ("description", _("Description")),
    ("responsible_role", _("Responsible role")),
    ("responsible_unit", _("Responsible unit")),
    ("partners", _("Partners")),
    ("target_groups", _("Target group")),
    ("prevention_level_display", _("Prevention level")),
    ("deadline", _("Deadline")),
    ("timing", _("Timing")),
    ("resources", _("Resources")),
]


@dataclass
class Change:
    kind: str  # added / removed / changed
    what: str  # "section", "measure", "plan", "group"
    title: str
    fields: list[str] = field(default_factory=list)
    diff: list[tuple[str, str]] = field(default_factory=list)  # (op, line) op in "+", "-", " "


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Line diff of two texts as (op, line) pairs, context lines included."""
    result = []
    for line in difflib.ndiff((old or "").splitlines(), (new or "").splitlines()):
        op, text = line[:1], line[2:]
        if op in "+- ":
            result.append((op, text))
    return result


def _display(value) -> str:
    if isinstance(value, dict):
        return value.get("name", "")
    if isinstance(value, list):
        return ", ".join(_display(v) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else str(value)


def _measures(document: dict) -> dict:
    measures = {}
    for area in document.get("focus_areas", []):
        for measure in area["measures"]:
            measures[measure["id"]] = dict(measure, focus_area=area["title"])
    return measures


def compare_documents(old: dict, new: dict) -> list[Change]:
    """Every difference between ``old`` and ``new`` that a reader of the plan would notice."""
    changes: list[Change] = []

    plan_fields = [
        name
        for name, key in (
            (_("Title"), "title"),
            (_("Summary"), "summary"),
            (_("Plan period"), "period"),
        )
        if old.get(key) != new.get(key)
    ]
    if plan_fields:
        diff = text_diff(old.get("summary", ""), new.get("summary", ""))
        changes.append(Change(CHANGED, "plan", new.get("title", ""), plan_fields, diff))

    old_bases = {f"{b['law']} {b['section']}" for b in old.get("legal_bases", [])}
    new_bases = {f"{b['law']} {b['section']}" for b in new.get("legal_bases", [])}
    for title in sorted(new_bases - old_bases):
        changes.append(Change(ADDED, "legal_basis", title))
    for title in sorted(old_bases - new_bases):
        changes.append(Change(REMOVED, "legal_basis", title))

    old_group, new_group = old.get("group") or {}, new.get("group") or {}
    if old_group.get("members") != new_group.get("members") or old_group.get(
        "name"
    ) != new_group.get("name"):
        lines = lambda g: "\n".join(  # noqa: E731
            f"{m['role_title']}, {_display(m['unit'])}" for m in g.get("members", [])
        )
        changes.append(
            Change(
                CHANGED,
                "group",
                new_group.get("name") or old_group.get("name", ""),
                diff=text_diff(lines(old_group), lines(new_group)),
            )
        )

    # Sections are matched by their id in the live plan (titles may change).
    old_sections = {s["id"]: s for s in old.get("sections", [])}
    new_sections = {s["id"]: s for s in new.get("sections", [])}
    for pk, section in new_sections.items():
        before = old_sections.get(pk)
        if before is None:
            changes.append(
                Change(ADDED, "section", section["title"], diff=text_diff("", section["body"]))
            )
        elif before["title"] != section["title"] or before["body"] != section["body"]:
            fields = [
                n
                for n, k in ((_("Title"), "title"), (_("Text"), "body"))
                if before[k] != section[k]
            ]
            changes.append(
                Change(
                    CHANGED,
                    "section",
                    section["title"],
                    fields,
                    text_diff(before["body"], section["body"]),
                )
            )
    for pk, section in old_sections.items():
        if pk not in new_sections:
            changes.append(Change(REMOVED, "section", section["title"]))

    old_measures, new_measures = _measures(old), _measures(new)
    for pk, measure in new_measures.items():
        before = old_measures.get(pk)
        if before is None:
            changes.append(Change(ADDED, "measure", measure["title"]))
            continue
        fields, diff = [], []
        for key, label in MEASURE_FIELDS + [("focus_area", _("Focus area"))]:
            if _display(before.get(key)) != _display(measure.get(key)):
                fields.append(label)
                if key == "description":
                    diff = text_diff(before.get(key, ""), measure.get(key, ""))
                else:
                    diff += [("-", f"{label}: {_display(before.get(key))}")]
                    diff += [("+", f"{label}: {_display(measure.get(key))}")]
        if fields:
            changes.append(Change(CHANGED, "measure", measure["title"], fields, diff))
    for pk, measure in old_measures.items():
        if pk not in new_measures:
            changes.append(Change(REMOVED, "measure", measure["title"]))
    return changes
