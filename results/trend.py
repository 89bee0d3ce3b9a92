"""The trend rule: is an indicator on track towards its target?

The rule, as the public page explains it:

1. The points are the indicator's values in date order. The baseline (value and
   date) comes first when it is earlier than the first value.
2. With fewer than two points there is **too little data** to judge.
3. With a target: the indicator is **on track** when its latest value has reached
   the target, or, before the target date, when the latest value is at least as
   good as the straight line from the first point to the target would have it at
   the latest value's date. Otherwise (including a target date that has passed
   without the target reached) it is **not on track**.
4. Without a target: **on track** when the latest value is at least as good as the
   first point, otherwise **not on track**.

"Good" follows the indicator's direction: higher is better, or lower is better.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrendStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    NOT_ON_TRACK = "not_on_track", _("Not on track")
    TOO_LITTLE_DATA = "too_little_data", _("Too little data")


@dataclass(frozen=True)
class Trend:
    status: str
    expected: Decimal | None = None  # where the straight line to the target stands now

    @property
    def label(self) -> str:
        return str(TrendStatus(self.status).label)


def _at_least_as_good(value: Decimal, other: Decimal, *, better_up: bool) -> bool:
    return value >= other if better_up else value <= other


def trend_of(
    points: list[tuple[date, Decimal]],
    *,
    better_up: bool,
    baseline: tuple[date, Decimal] | None = None,
    target: tuple[date, Decimal] | None = None,
) -> Trend:
    """Judge the series ``points`` (date, value) by the rule in this module's docstring."""
    series = sorted(points)
    if baseline is not None and (not series or baseline[0] < series[0][0]):
        series.insert(0, baseline)
    if len(series) < 2:
        return Trend(TrendStatus.TOO_LITTLE_DATA)
    (first_date, first_value), (last_date, last_value) = series[0], series[-1]
    if target is None:
        ok = _at_least_as_good(last_value, first_value, better_up=better_up)
        return Trend(TrendStatus.ON_TRACK if ok else TrendStatus.NOT_ON_TRACK)
    target_date, target_value = target
    if _at_least_as_good(last_value, target_value, better_up=better_up):
        return Trend(TrendStatus.ON_TRACK, expected=target_value)
    if last_date >= target_date or first_date >= target_date:
        return Trend(TrendStatus.NOT_ON_TRACK, expected=target_value)
    share = Decimal((last_date - first_date).days) / Decimal((target_date - first_date).days)
    expected = first_value + (target_value - first_value) * share
    ok = _at_least_as_good(last_value, expected, better_up=better_up)
    return Trend(TrendStatus.ON_TRACK if ok else TrendStatus.NOT_ON_TRACK, expected=expected)
