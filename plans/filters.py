"""Filtering a plan's measures on its public page (plain GET parameters, no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from measures.models import MeasureStatus, PreventionLevel

# GET parameter → label. The names are part of the public URL contract.
FILTERS = {
    "focus_area": _("Focus area"),
    "unit": _("Responsible unit"),
    "status": _("Status"),
    "target_group": _("Target group"),
    "level": _("Prevention level"),
}


@dataclass
class MeasureFilter:
    """Options, choices and the filtered document for the filter form."""

    options: dict[str, list[tuple[str, str]]]
    selected: dict[str, str]
    invalid: list[str] = field(default_factory=list)
    total: int = 0
    shown: int = 0

    @property
    def active(self) -> bool:
        return bool(self.selected)

    def fields(self):
        return [
            {
                "name": name,
                "label": FILTERS[name],
                "options": self.options[name],
                "selected": self.selected.get(name, ""),
            }
            for name in FILTERS
        ]


def _measure_values(area: dict, measure: dict) -> dict[str, set[str]]:
    unit = measure.get("responsible_unit") or {}
    return {
        "focus_area": {str(area["id"])} if area.get("id") is not None else set(),
        "unit": {unit["slug"]} if unit.get("slug") else set(),
        "status": {measure["status"]} if measure.get("status") else set(),
        "target_group": set(measure.get("target_groups") or []),
        "level": {measure["prevention_level"]} if measure.get("prevention_level") else set(),
    }


def _options(document: dict) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, dict[str, str]] = {name: {} for name in FILTERS}
    statuses = {value: str(label) for value, label in MeasureStatus.choices}
    levels = {value: str(label) for value, label in PreventionLevel.choices}
    for area in document.get("focus_areas", []):
        if area.get("id") is not None and area["measures"]:
            found["focus_area"][str(area["id"])] = area["title"]
        for measure in area["measures"]:
            unit = measure.get("responsible_unit") or {}
            if unit.get("slug"):
                found["unit"][unit["slug"]] = unit["name"]
            if measure.get("status"):
                found["status"][measure["status"]] = statuses.get(
                    measure["status"], measure.get("status_display", "")
                )
            for name in measure.get("target_groups") or []:
                found["target_group"][name] = name
            if measure.get("prevention_level"):
                found["level"][measure["prevention_level"]] = levels.get(
                    measure["prevention_level"], measure["prevention_level"]
                )
    ordered = {}
    for name, values in found.items():
        items = list(values.items())
        if name in ("focus_area", "status", "level"):
            ordered[name] = items  # document / choice order
        else:
            ordered[name] = sorted(items, key=lambda item: item[1].lower())
    # Status and level in the order the choices define.
    ordered["status"] = [(v, str(lbl)) for v, lbl in MeasureStatus.choices if v in found["status"]]
    ordered["level"] = [(v, str(lbl)) for v, lbl in PreventionLevel.choices if v in found["level"]]
    return ordered


def filter_plan_measures(document: dict, params) -> tuple[dict, MeasureFilter]:
    """The document with only the measures matching ``params``, and the filter's state.

    Unknown or invalid values are ignored and reported in ``invalid``; they
    never cause an error.
    """
    options = _options(document)
    selected: dict[str, str] = {}
    invalid: list[str] = []
    for name in FILTERS:
        value = params.get(name, "")
        if not value:
            continue
        if value in dict(options[name]):
            selected[name] = value
        else:
            invalid.append(str(FILTERS[name]))
    total = sum(len(area["measures"]) for area in document.get("focus_areas", []))
    state = MeasureFilter(options=options, selected=selected, invalid=invalid, total=total)
    if not selected:
        state.shown = total
        return document, state
    areas = []
    for area in document.get("focus_areas", []):
        kept = [
            measure
            for measure in area["measures"]
            if all(
                value in _measure_values(area, measure)[name] for name, value in selected.items()
            )
        ]
        if kept:
            areas.append({**area, "measures": kept})
    state.shown = sum(len(area["measures"]) for area in areas)
    return {**document, "focus_areas": areas}, state
