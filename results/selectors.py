"""Reads of indicators for the public plan page, the workspace and the yearly report.

Query counts stay flat: indicators and all their values come in two queries however
many there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from results.charts import LineChart, line_chart
from results.models import Indicator, IndicatorValue
from results.trend import Trend, trend_of


@dataclass
class IndicatorFollowUp:
    """An indicator with its values in date order, its latest value, trend and chart."""

    indicator: Indicator
    values: list[IndicatorValue]
    trend: Trend
    chart: LineChart | None = field(default=None)

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None


def _label(value: IndicatorValue) -> str:
    return value.period or value.date.strftime("%d.%m.%Y")


def follow_up(indicator: Indicator, values: list[IndicatorValue], *, until: date | None = None):
    """``indicator`` judged on its ``values`` (those up to ``until`` if given)."""
    if until is not None:
        values = [v for v in values if v.date <= until]
    baseline = (
        (indicator.baseline_date, indicator.baseline_value)
        if indicator.baseline_value is not None and indicator.baseline_date
        else None
    )
    target = (
        (indicator.target_date, indicator.target_value)
        if indicator.target_value is not None and indicator.target_date
        else None
    )
    trend = trend_of(
        [(v.date, v.value) for v in values],
        better_up=indicator.is_better_up,
        baseline=baseline,
        target=target,
    )
    chart = line_chart(
        [(v.date, Decimal(v.value), _label(v)) for v in values],
        baseline=indicator.baseline_value,
        target=indicator.target_value,
    )
    return IndicatorFollowUp(indicator=indicator, values=values, trend=trend, chart=chart)


def indicators_for_goals(goal_ids: Iterable[int]) -> QuerySet[Indicator]:
    """The indicators of ``goal_ids`` in order, each with its values prefetched in date order."""
    return (
        Indicator.objects.filter(goal_id__in=list(goal_ids))
        .order_by("goal_id", "order", "id")
        .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("date")))
    )


def follow_up_by_goal(
    goal_ids: Iterable[int], *, until: date | None = None
) -> dict[int, list[IndicatorFollowUp]]:
    """``{goal id: [IndicatorFollowUp]}`` for ``goal_ids`` (two queries)."""
    by_goal: dict[int, list[IndicatorFollowUp]] = {}
    for indicator in indicators_for_goals(goal_ids):
        by_goal.setdefault(indicator.goal_id, []).append(
            follow_up(indicator, list(indicator.values.all()), until=until)
        )
    return by_goal


def indicators_for_plan(plan_id: int) -> QuerySet[Indicator]:
    """Every indicator of a plan's live goals, for the workspace."""
    return (
        Indicator.objects.filter(goal__plan_id=plan_id)
        .select_related("goal")
        .order_by("goal__parent_id", "goal__order", "goal_id", "order", "id")
    )


def public_reports():
    """Final yearly reports of published plans (for the sitemap), without content."""
    from results.models import YearlyReport

    return (
        YearlyReport.objects.filter(status=YearlyReport.Status.FINAL, plan__published__isnull=False)
        .select_related("plan__published")
        .defer("pdf", "snapshot")
        .order_by("plan__published__slug", "year")
    )
