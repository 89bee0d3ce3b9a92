"""Reads for the process group's working pages (behind login) and their exports.

Every function here returns data in a fixed number of queries, however many
stakeholders, activities or inputs an analysis holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from organisation import permissions
from organisation.models import ProcessGroup
from plans.models import Plan
from stakeholders import grid
from stakeholders.models import (
    Activity,
    Degree,
    Finding,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)


def analyses_for_user(user) -> QuerySet[StakeholderAnalysis]:
    """Analyses ``user`` may work on: all for administrators, their groups' for editors."""
    qs = StakeholderAnalysis.objects.select_related("plan", "process_group").order_by("title")
    if permissions.is_plan_admin(user):
        return qs
    groups = permissions.editable_group_ids(user)
    return qs.filter(Q(process_group_id__in=groups) | Q(plan__process_group_id__in=groups))


def groups_for_user(user) -> QuerySet[ProcessGroup]:
    qs = ProcessGroup.objects.order_by("name")
    if permissions.is_plan_admin(user):
        return qs
    return qs.filter(pk__in=permissions.editable_group_ids(user))


def plans_for_user(user) -> QuerySet[Plan]:
    return permissions.plans_editable_by(
        user, Plan.objects.select_related("process_group", "working_model").order_by("title")
    )


def analysis_get(*, pk: int) -> StakeholderAnalysis:
    return get_object_or_404(
        StakeholderAnalysis.objects.select_related("plan", "process_group", "plan__process_group"),
        pk=pk,
    )


def stakeholders_for_analysis(analysis: StakeholderAnalysis) -> list[Stakeholder]:
    """The register, in its order, with each stakeholder's activities prefetched."""
    return list(
        analysis.stakeholders.select_related("unit", "target_group")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("responsible_unit").order_by(
                    "kind", "planned_for", "id"
                ),
            )
        )
        .order_by("order", "name")
    )


def activities_for_analysis(analysis: StakeholderAnalysis) -> list[Activity]:
    return list(
        analysis.activities.select_related("responsible_unit")
        .prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("order", "name"))
        )
        .order_by("kind", "planned_for", "id")
    )


def quadrant_labels(analysis: StakeholderAnalysis) -> dict[str, str]:
    return {
        grid.MANAGE_CLOSELY: analysis.label_manage_closely,
        grid.KEEP_SATISFIED: analysis.label_keep_satisfied,
        grid.KEEP_INFORMED: analysis.label_keep_informed,
        grid.MONITOR: analysis.label_monitor,
    }


def analysis_grid(analysis: StakeholderAnalysis, stakeholders: list[Stakeholder]) -> grid.Grid:
    entries = [
        grid.GridEntry(
            id=s.pk,
            number=s.number,
            name=s.name,
            interest=s.interest,
            influence=s.influence,
            interest_label=str(s.get_interest_display()),
            influence_label=str(s.get_influence_display()),
        )
        for s in stakeholders
    ]
    degrees = [str(label) for _value, label in Degree.choices]
    return grid.build_grid(entries, quadrant_labels(analysis), degrees)


@dataclass
class TargetGroupCoverage:
    """A målgruppe with the activities that reach it, and what is missing."""

    stakeholder: Stakeholder
    information: list[Activity] = field(default_factory=list)
    ownership: list[Activity] = field(default_factory=list)

    @property
    def missing_information(self) -> bool:
        return not self.information

    @property
    def missing_ownership(self) -> bool:
        return not self.ownership

    @property
    def is_covered(self) -> bool:
        return not (self.missing_information or self.missing_ownership)


def coverage_for_stakeholders(stakeholders: list[Stakeholder]) -> list[TargetGroupCoverage]:
    """The mandate's test: each target group has an information and an ownership activity.

    Planned and done activities both count (a planned one is the strategy); only
    target groups (målgrupper) are checked, actors are not.
    ``stakeholders`` must come from ``stakeholders_for_analysis`` (activities prefetched).
    """
    rows = []
    for stakeholder in stakeholders:
        if stakeholder.role != Stakeholder.Role.TARGET_GROUP:
            continue
        row = TargetGroupCoverage(stakeholder=stakeholder)
        for activity in stakeholder.activities.all():
            if activity.kind == Activity.Kind.INFORMATION:
                row.information.append(activity)
            elif activity.kind == Activity.Kind.OWNERSHIP:
                row.ownership.append(activity)
        rows.append(row)
    return rows


def analysis_coverage(analysis: StakeholderAnalysis) -> list[TargetGroupCoverage]:
    return coverage_for_stakeholders(stakeholders_for_analysis(analysis))


def participation_for_analysis(analysis: StakeholderAnalysis) -> list[ParticipationInput]:
    return list(
        analysis.participation_inputs.select_related("plan", "stakeholder")
        .prefetch_related("measures")
        .order_by("received_on", "source")
    )


def findings_for_analysis(analysis: StakeholderAnalysis) -> list[Finding]:
    return list(analysis.findings.order_by("kind", "id"))


def analysis_page(analysis: StakeholderAnalysis) -> dict:
    """Everything the analysis page shows, in a constant number of queries."""
    stakeholders = stakeholders_for_analysis(analysis)
    coverage = coverage_for_stakeholders(stakeholders)
    findings = findings_for_analysis(analysis)
    return {
        "analysis": analysis,
        "stakeholders": stakeholders,
        "grid": analysis_grid(analysis, stakeholders),
        "coverage": coverage,
        "uncovered": [row for row in coverage if not row.is_covered],
        "activities": activities_for_analysis(analysis),
        "participation_inputs": participation_for_analysis(analysis),
        "strengths": [f for f in findings if f.kind == Finding.Kind.STRENGTH],
        "weaknesses": [f for f in findings if f.kind == Finding.Kind.WEAKNESS],
    }


def analyses_for_group(group: ProcessGroup) -> list[StakeholderAnalysis]:
    """The analyses a group made, for itself or for one of its plans."""
    return list(
        StakeholderAnalysis.objects.filter(Q(process_group=group) | Q(plan__process_group=group))
        .select_related("plan")
        .distinct()
        .order_by("title")
    )
