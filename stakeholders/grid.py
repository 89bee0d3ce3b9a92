"""The interest × influence grid of a stakeholder analysis, computed as plain data.

Pure functions, no database and no templates: the page draws the SVG from what
``build_grid`` returns and the text alternative (a table) from the same points,
so the picture and the table cannot disagree.

Geometry: interest on the x axis, influence on the y axis, each on Digdir's
scale 0–3 (ingen, liten, middels, stor), so the plot is a 4 × 4 board of cells.
Several stakeholders often share a cell; they are laid out in columns inside
the cell, each a numbered dot with its (shortened) name beside it, so points
never sit on top of each other and labels stay readable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Mendelow's quadrants, by (high influence, high interest).
MANAGE_CLOSELY = "manage_closely"
KEEP_SATISFIED = "keep_satisfied"
KEEP_INFORMED = "keep_informed"
MONITOR = "monitor"
QUADRANT_ORDER = (MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR)

HIGH_FROM = 2  # "middels" and "stor" count as high
LEVELS = 4  # 0..3

WIDTH = 720
HEIGHT = 560
LEFT = 90  # room for the influence axis labels
TOP = 20
RIGHT = 20
BOTTOM = 70  # room for the interest axis labels
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
CELL_W = PLOT_W / LEVELS
CELL_H = PLOT_H / LEVELS
CELL_PAD = 6
LABEL_BAND = 18  # top of each quadrant keeps a strip free for the quadrant's name
MAX_LINE_H = 20.0
MIN_LINE_H = 11.0
CHAR_W = 6.4  # average glyph width at the label's font size
DOT_R = 7


def quadrant_for(*, interest: int, influence: int) -> str:
    high_influence = influence >= HIGH_FROM
    high_interest = interest >= HIGH_FROM
    if high_influence and high_interest:
        return MANAGE_CLOSELY
    if high_influence:
        return KEEP_SATISFIED
    if high_interest:
        return KEEP_INFORMED
    return MONITOR


@dataclass(frozen=True)
class GridEntry:
    """What the grid needs of a stakeholder (kept free of models)."""

    id: int
    name: str
    interest: int
    influence: int
    interest_label: str = ""
    influence_label: str = ""
    number: int | None = None  # the stakeholder's own number; None: its place in the list


@dataclass
class GridPoint:
    id: int
    number: int
    name: str
    label: str
    interest: int
    influence: int
    quadrant: str
    quadrant_label: str
    interest_label: str
    influence_label: str
    x: float
    y: float
    label_x: float
    label_y: float
    r: float = DOT_R

    @property
    def label_shortened(self) -> bool:
        return self.label != self.name


@dataclass
class Quadrant:
    key: str
    label: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float


@dataclass
class Grid:
    width: int
    height: int
    plot_left: float
    plot_top: float
    plot_width: float
    plot_height: float
    quadrants: list[Quadrant]
    points: list[GridPoint]
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def axis_y_mid(self) -> float:
        return round(self.plot_top + self.plot_height / 2, 1)


def _clamp(value: int) -> int:
    return max(0, min(LEVELS - 1, int(value)))


def _shorten(name: str, max_chars: int) -> str:
    if len(name) <= max_chars:
        return name
    if max_chars < 2:
        return ""  # only the number fits; the name is in the point's title and the table
    return name[: max(1, max_chars - 1)].rstrip() + "…"


def _cell_layout(count: int, height: float) -> tuple[int, int, float]:
    """Columns, rows per column and line height for ``count`` points in a cell's ``height``."""
    rows = max(1, int(height // MAX_LINE_H))
    columns = math.ceil(count / rows)
    if columns > 2:
        # Many in one cell: two columns, tighter lines, down to MIN_LINE_H.
        columns = 2
        rows = math.ceil(count / columns)
    line_h = max(MIN_LINE_H, min(MAX_LINE_H, height / rows))
    rows_fit = max(1, int(height // line_h))
    if rows_fit < rows:
        # Still too many: add columns rather than overlapping rows.
        rows = rows_fit
        columns = math.ceil(count / rows)
    return columns, rows, line_h


def build_grid(
    entries: list[GridEntry], labels: dict[str, str], degree_labels: list[str] | None = None
) -> Grid:
    """Positions, labels and quadrant of every entry; ``labels`` names the quadrants.

    ``degree_labels`` names the scale's four steps for the axes (default 0–3).

    A point carries its entry's ``number`` (the stakeholder's stable number, which
    the register table shows too); an entry without one is numbered by its place
    in the list (1-based).
    """
    half_w = PLOT_W / 2
    half_h = PLOT_H / 2
    quadrants = []
    for key, col, row in (
        (MANAGE_CLOSELY, 1, 0),
        (KEEP_SATISFIED, 0, 0),
        (KEEP_INFORMED, 1, 1),
        (MONITOR, 0, 1),
    ):
        x = LEFT + col * half_w
        y = TOP + row * half_h
        quadrants.append(
            Quadrant(
                key=key,
                label=labels.get(key, key),
                x=x,
                y=y,
                width=half_w,
                height=half_h,
                label_x=x + half_w / 2,
                label_y=y + half_h / 2,
            )
        )

    cells: dict[tuple[int, int], list[tuple[int, GridEntry]]] = {}
    for place, entry in enumerate(entries, start=1):
        number = entry.number if entry.number is not None else place
        key = (_clamp(entry.interest), _clamp(entry.influence))
        cells.setdefault(key, []).append((number, entry))

    points: list[GridPoint] = []
    for (interest, influence), members in cells.items():
        cell_x = LEFT + interest * CELL_W
        # Influence grows upwards.
        cell_y = TOP + (LEVELS - 1 - influence) * CELL_H
        top_pad = CELL_PAD + (LABEL_BAND if influence % 2 == 1 else 0)
        columns, rows, line_h = _cell_layout(len(members), CELL_H - top_pad - CELL_PAD)
        column_w = (CELL_W - CELL_PAD) / columns
        quadrant = quadrant_for(interest=interest, influence=influence)
        radius = min(DOT_R, line_h / 2 - 0.5)
        # The label may run up to the next column's dot, never into it.
        max_chars = int((column_w - 2 * radius - 3) // CHAR_W)
        for index, (number, entry) in enumerate(members):
            column, row = divmod(index, rows)
            x = cell_x + CELL_PAD + DOT_R + column * column_w
            y = cell_y + top_pad + line_h / 2 + row * line_h
            points.append(
                GridPoint(
                    id=entry.id,
                    number=number,
                    name=entry.name,
                    label=_shorten(entry.name, max_chars),
                    interest=entry.interest,
                    influence=entry.influence,
                    quadrant=quadrant,
                    quadrant_label=labels.get(quadrant, quadrant),
                    interest_label=entry.interest_label or str(entry.interest),
                    influence_label=entry.influence_label or str(entry.influence),
                    x=round(x, 1),
                    y=round(y, 1),
                    label_x=round(x + radius + 3, 1),
                    label_y=round(y + 4, 1),
                    r=round(radius, 1),
                )
            )
    points.sort(key=lambda p: p.number)
    degree_labels = degree_labels or [str(i) for i in range(LEVELS)]
    return Grid(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_top=TOP,
        plot_width=PLOT_W,
        plot_height=PLOT_H,
        quadrants=quadrants,
        points=points,
        x_ticks=[(round(LEFT + (i + 0.5) * CELL_W, 1), degree_labels[i]) for i in range(LEVELS)],
        y_ticks=[
            (round(TOP + (LEVELS - 1 - i + 0.5) * CELL_H, 1), degree_labels[i])
            for i in range(LEVELS)
        ],
    )
