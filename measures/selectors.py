"""Reads for follow-up: Mine tiltak and the plan dashboard. Query counts stay flat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from measures.models import OPEN_MEASURE_STATUSES, Measure, MeasureStatus
from organisation import permissions
from organisation.models import MandateItem
from plans.models import Plan

# Mandate items are "due" when their deadline is past or this close.
MANDATE_DUE_WITHIN_DAYS = 30


def _with_last_report(queryset: QuerySet[Measure]) -> QuerySet[Measure]:
    return queryset.select_related("plan", "focus_area", "responsible_unit").annotate(
        last_report_on=Max("status_reports__reported_on")
    )


def is_stale(measure: Measure, today: date) -> bool:
    """An open measure with no status report in the plan's ``report_stale_after_days``."""
    if measure.status not in OPEN_MEASURE_STATUSES:
        return False
    limit = today - timedelta(days=measure.plan.report_stale_after_days)
    last = getattr(measure, "last_report_on", None)
    if last is None:
        return timezone.localdate(measure.created_at) < limit
    return last < limit


def _flag(measures, today: date) -> list[Measure]:
    for measure in measures:
        measure.overdue = measure.is_overdue(today)
        measure.stale = is_stale(measure, today)
    return measures


def measures_for_user(user, *, today: date | None = None) -> list[Measure]:
    """Measures the user's units are responsible for, in all plans not retired.

    Overdue first, then those without a recent report, then by deadline; each
    has ``last_report_on``, ``overdue`` and ``stale``.
    """
    today = today or timezone.localdate()
    units = permissions.unit_ids(user)
    if not units:
        return []
    measures = list(
        _with_last_report(
            Measure.objects.filter(responsible_unit_id__in=units).exclude(
                plan__status=Plan.Status.RETIRED
            )
        )
    )
    _flag(measures, today)
    measures.sort(
        key=lambda m: (
            not m.overdue,
            not m.stale,
            m.deadline or date.max,
            m.plan.title,
            m.order,
            m.pk,
        )
    )
    return measures


def measures_for_bulk_status(user, plan: Plan) -> list[Measure]:
    """The measures of ``plan`` that ``user`` may report on, in the plan's order.

    Editors of the plan get all of them; a measure owner those of their units
    (none for anybody else). Each has ``last_report_id``: its newest report's id.
    """
    measures = Measure.objects.filter(plan=plan)
    if not permissions.can_edit_plan(user, plan):
        if not permissions.is_measure_owner(user):
            return []
        measures = measures.filter(responsible_unit_id__in=permissions.unit_ids(user))
    return list(
        measures.select_related("plan", "focus_area", "responsible_unit")
        .annotate(last_report_id=Max("status_reports__id"))
        .order_by("focus_area__order", "focus_area_id", "order", "id")
    )


@dataclass
class AreaCounts:
    title: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class PlanDashboard:
    plan: Plan
    by_status: list[tuple[str, str, int]]  # (status, label, count)
    by_area: list[AreaCounts]
    overdue: list[Measure]
    stale: list[Measure]
    mandate_items_due: list[MandateItem]
    total: int
    measures: list[Measure]


def plan_dashboard(plan: Plan, *, today: date | None = None) -> PlanDashboard:
    """What an editor follows up on a plan: status counts, late and silent measures, mandate."""
    today = today or timezone.localdate()
    measures = _flag(list(_with_last_report(Measure.objects.filter(plan=plan))), today)
    by_status = [
        (value, str(label), sum(1 for m in measures if m.status == value))
        for value, label in MeasureStatus.choices
    ]
    areas: dict[int | None, AreaCounts] = {}
    for area in plan.focus_areas.order_by("order", "id"):
        areas[area.pk] = AreaCounts(title=area.title)
    for measure in measures:
        area = areas.setdefault(measure.focus_area_id, AreaCounts(title=""))
        area.counts[measure.status] = area.counts.get(measure.status, 0) + 1
    mandate_items_due = []
    if plan.process_group_id:
        mandate_items_due = list(
            MandateItem.objects.filter(
                group_id=plan.process_group_id,
                deadline__lte=today + timedelta(days=MANDATE_DUE_WITHIN_DAYS),
            )
            .exclude(status=MandateItem.Status.DONE)
            .order_by("deadline", "order")
        )
    return PlanDashboard(
        plan=plan,
        by_status=by_status,
        by_area=list(areas.values()),
        overdue=sorted((m for m in measures if m.overdue), key=lambda m: m.deadline),
        stale=[m for m in measures if m.stale],
        mandate_items_due=mandate_items_due,
        total=len(measures),
        measures=measures,
    )


def plans_for_dashboard(user) -> QuerySet[Plan]:
    """Plans whose dashboard ``user`` may open."""
    return permissions.plans_editable_by(
        user, Plan.objects.exclude(status=Plan.Status.RETIRED).select_related("process_group")
    ).order_by("title")


def measures_due_for_user(user, *, today: date | None = None) -> list[Measure]:
    """Open measures past their deadline or without a recent status report.

    Those the user's units answer for and, for an editor, those of the plans they
    edit; retired plans left out. Overdue first, then by deadline; each has
    ``last_report_on``, ``overdue`` and ``stale``. One query (plus the user's roles).
    """
    today = today or timezone.localdate()
    mine = Q(responsible_unit_id__in=permissions.unit_ids(user))
    if permissions.is_editor(user):
        mine |= Q(plan__in=permissions.plans_editable_by(user, Plan.objects.all()))
    measures = _flag(
        list(
            _with_last_report(
                Measure.objects.filter(mine, status__in=OPEN_MEASURE_STATUSES).exclude(
                    plan__status=Plan.Status.RETIRED
                )
            )
        ),
        today,
    )
    due = [m for m in measures if m.overdue or m.stale]
    due.sort(key=lambda m: (not m.overdue, m.deadline or date.max, m.plan.title, m.order, m.pk))
    return due
