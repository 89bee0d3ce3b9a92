"""Reads of indicators for the public plan page, the workspace and the yearly report.

Query counts stay flat: indicators and their values come in two queries however many
there are. Pages show each indicator's latest ``SHOWN_VALUES`` values: a daily series
imported from a register can hold thousands, and neither a page, its chart nor a yearly
report should grow with them. The trend still judges the whole series (its rule reads
only the first and the latest value; the first is fetched on its own).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from results.charts import LineChart, line_chart
from results.models import Indicator, IndicatorValue
from results.trend import Trend, trend_of

# The latest values a page, a chart or a yearly report shows of one indicator.
SHOWN_VALUES = 60


@dataclass
class IndicatorFollowUp:
    """An indicator with its values in date order, its latest value, trend and chart.

    ``values`` are the latest ``SHOWN_VALUES``; ``total`` counts them all."""

    indicator: Indicator
    values: list[IndicatorValue]
    trend: Trend
    chart: LineChart | None = field(default=None)
    total: int = 0

    @property
    def values_left_out(self) -> bool:
        return self.total > len(self.values)

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None


def _label(value: IndicatorValue) -> str:
    return value.period or value.date.strftime("%d.%m.%Y")


def follow_up(
    indicator: Indicator,
    values: list[IndicatorValue],
    *,
    first: tuple[date, Decimal] | None,
    total: int,
):
    """``indicator`` judged on ``values``, the latest of its ``total`` values in date
    order; ``first`` is the whole series' first value (the trend starts there)."""
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
    points = [(v.date, v.value) for v in values]
    if first is not None and (not points or first[0] < points[0][0]):
        points.insert(0, first)
    trend = trend_of(points, better_up=indicator.is_better_up, baseline=baseline, target=target)
    chart = line_chart(
        [(v.date, Decimal(v.value), _label(v)) for v in values],
        baseline=indicator.baseline_value,
        target=indicator.target_value,
    )
    return IndicatorFollowUp(
        indicator=indicator,
        values=values,
        trend=trend,
        chart=chart,
        total=total,
    )


def _values_until(until: date | None) -> QuerySet[IndicatorValue]:
    values = IndicatorValue.objects.all()
    return values if until is None else values.filter(date__lte=until)


def indicators_for_goals(
    goal_ids: Iterable[int], *, until: date | None = None
) -> QuerySet[Indicator]:
    """The indicators of ``goal_ids`` in order, each with its latest ``SHOWN_VALUES``
    values (up to ``until``) newest first as ``latest_values``, and annotated with the
    number of values (``value_count``) and the first one (``first_date``, ``first_value``)."""
    first = _values_until(until).filter(indicator=OuterRef("pk")).order_by("date", "id")
    counted = Q() if until is None else Q(values__date__lte=until)
    return (
        Indicator.objects.filter(goal_id__in=list(goal_ids))
        .order_by("goal_id", "order", "id")
        .annotate(
            value_count=Count("values", filter=counted),
            first_date=Subquery(first.values("date")[:1]),
            first_value=Subquery(first.values("value")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "values",
                queryset=_values_until(until).order_by("-date", "-id")[:SHOWN_VALUES],
                to_attr="latest_values",
            )
        )
    )


def indicator_follow_up(indicator: Indicator) -> IndicatorFollowUp:
    """An indicator from ``indicators_for_goals`` judged on its latest values."""
    first = (
        (indicator.first_date, indicator.first_value) if indicator.first_date is not None else None
    )
    return follow_up(
        indicator,
        list(reversed(indicator.latest_values)),
        first=first,
        total=indicator.value_count,
    )


def follow_up_by_goal(
    goal_ids: Iterable[int], *, until: date | None = None
) -> dict[int, list[IndicatorFollowUp]]:
    """``{goal id: [IndicatorFollowUp]}`` for ``goal_ids`` (two queries)."""
    by_goal: dict[int, list[IndicatorFollowUp]] = {}
    for indicator in indicators_for_goals(goal_ids, until=until):
        by_goal.setdefault(indicator.goal_id, []).append(indicator_follow_up(indicator))
    return by_goal


def indicator_with_latest_values(indicator: Indicator) -> IndicatorFollowUp:
    """One indicator as the workspace shows it: the same bounded read as the plan page."""
    return indicator_follow_up(indicators_for_goals([indicator.goal_id]).get(pk=indicator.pk))


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
