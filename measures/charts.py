"""A small server-rendered SVG bar chart: geometry here, markup in the template.

No JavaScript and no inline styles (the Content-Security-Policy forbids both);
colours are SVG presentation attributes. A table with the same numbers is the
text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

from measures.models import MeasureStatus

STATUS_COLOURS = {
    MeasureStatus.NOT_STARTED: "#6c757d",
    MeasureStatus.IN_PROGRESS: "#0d6efd",
    MeasureStatus.COMPLETED: "#198754",
    MeasureStatus.CLOSED: "#212529",
    MeasureStatus.POSTPONED: "#b35c00",
}

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 220
BAR_WIDTH = 360


@dataclass
class Segment:
    x: float
    width: float
    colour: str
    label: str
    count: int


@dataclass
class Bar:
    y: int
    label: str
    total: int
    segments: list[Segment]


@dataclass
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    legend: list[tuple[str, str]]


def stacked_bars(rows: list[tuple[str, dict[str, int]]]) -> Chart:
    """One horizontal bar per row, split by measure status; bars share one scale."""
    labels = dict(MeasureStatus.choices)
    biggest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    bars = []
    for index, (label, counts) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for status in MeasureStatus.values:
            count = counts.get(status, 0)
            if not count:
                continue
            width = BAR_WIDTH * count / biggest
            segments.append(
                Segment(
                    x=round(x, 1),
                    width=round(width, 1),
                    colour=STATUS_COLOURS[status],
                    label=str(labels[status]),
                    count=count,
                )
            )
            x += width
        bars.append(
            Bar(
                y=index * (BAR_HEIGHT + GAP),
                label=label,
                total=sum(counts.values()),
                segments=segments,
            )
        )
    return Chart(
        width=LABEL_WIDTH + BAR_WIDTH + 40,
        height=max(len(rows), 1) * (BAR_HEIGHT + GAP),
        label_width=LABEL_WIDTH,
        bars=bars,
        legend=[(STATUS_COLOURS[s], str(labels[s])) for s in MeasureStatus.values],
    )
