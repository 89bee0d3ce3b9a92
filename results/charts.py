"""A server-rendered SVG line chart of an indicator's values: geometry here, markup in
the template (no JavaScript, no inline styles). The table of values beside it is the
text alternative."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 520, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 34


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    width: int
    height: int
    points: list[Point]
    path: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target_y: float | None
    baseline_y: float | None
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int

    # The repeated marks as ready markup (escaped; numbers with a decimal point), so a
    # page with many charts does not pay the template engine for every circle.
    @property
    def circles(self) -> SafeString:
        return format_html_join(
            "", '<circle cx="{}" cy="{}" r="3" fill="#0d6efd"/>', ((p.x, p.y) for p in self.points)
        )

    @property
    def grid(self) -> SafeString:
        return format_html_join(
            "",
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dee2e6" stroke-width="1"/>'
            '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="11" '
            'fill="#495057">{}</text>',
            (
                (
                    self.plot_left,
                    self.plot_right,
                    t.position,
                    t.position,
                    self.plot_left - 6,
                    t.position,
                    t.label,
                )
                for t in self.y_ticks
            ),
        )

    @property
    def x_labels(self) -> SafeString:
        return format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#495057">{}</text>',
            ((t.position, self.plot_bottom + 18, t.label) for t in self.x_ticks),
        )


def _format(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"
    return text.replace(".", ",").replace("-", "−")


def line_chart(
    points: list[tuple[date, Decimal, str]],
    *,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
) -> LineChart | None:
    """The chart of ``points`` (date, value, label), or None with fewer than two."""
    if len(points) < 2:
        return None
    points = sorted(points)
    values = [p[1] for p in points] + [v for v in (baseline, target) if v is not None]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) / 10
    low, high = low - pad, high + pad
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    span = (last - first) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        return round(LEFT + (day.toordinal() - first) / span * plot_w, 1)

    def y_of(value: Decimal) -> float:
        return round(TOP + float((high - value) / (high - low)) * plot_h, 1)

    chart_points = [Point(x_of(d), y_of(v), label) for d, v, label in points]
    path = "M" + " L".join(f"{p.x},{p.y}" for p in chart_points)
    step = max(1, len(points) // 6)
    x_ticks = [Tick(x_of(d), label) for d, _v, label in points[::step]]
    y_ticks = [
        Tick(
            y_of(low + (high - low) * Decimal(i) / 4), _format(low + (high - low) * Decimal(i) / 4)
        )
        for i in range(5)
    ]
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        points=chart_points,
        path=path,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target_y=y_of(target) if target is not None else None,
        baseline_y=y_of(baseline) if baseline is not None else None,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
    )
