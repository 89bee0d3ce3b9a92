"""The interest × influence grid: quadrants, readable placement, SVG and table agree."""

import re

import pytest
from django.urls import reverse

from stakeholders import grid
from stakeholders.models import Degree
from tests.factories import StakeholderAnalysisFactory, StakeholderFactory
from tests.stakeholders_helpers import client_for, editor_of

LABELS = {
    grid.MANAGE_CLOSELY: "Involvere tett",
    grid.KEEP_SATISFIED: "Holde tilfreds",
    grid.KEEP_INFORMED: "Holde orientert",
    grid.MONITOR: "Følge med",
}


@pytest.mark.parametrize(
    ("interest", "influence", "expected"),
    [
        (3, 3, grid.MANAGE_CLOSELY),
        (2, 2, grid.MANAGE_CLOSELY),
        (1, 3, grid.KEEP_SATISFIED),
        (0, 2, grid.KEEP_SATISFIED),
        (3, 1, grid.KEEP_INFORMED),
        (2, 0, grid.KEEP_INFORMED),
        (1, 1, grid.MONITOR),
        (0, 0, grid.MONITOR),
    ],
)
def test_quadrant_for_each_degree(interest, influence, expected):
    assert grid.quadrant_for(interest=interest, influence=influence) == expected
    entry = grid.GridEntry(id=1, name="X", interest=interest, influence=influence)
    (point,) = grid.build_grid([entry], LABELS).points
    assert point.quadrant == expected
    assert point.quadrant_label == LABELS[expected]
    # The point is drawn inside its quadrant's rectangle.
    quadrant = next(q for q in grid.build_grid([entry], LABELS).quadrants if q.key == expected)
    assert quadrant.x <= point.x <= quadrant.x + quadrant.width
    assert quadrant.y <= point.y <= quadrant.y + quadrant.height


@pytest.mark.parametrize("count", [1, 2, 5, 12, 30])
def test_points_in_one_cell_do_not_overlap_and_stay_in_the_cell(count):
    entries = [
        grid.GridEntry(id=i, name=f"Interessent med et langt navn {i}", interest=3, influence=3)
        for i in range(count)
    ]
    result = grid.build_grid(entries, LABELS)
    points = result.points
    assert [p.number for p in points] == list(range(1, count + 1))
    cell_left = grid.LEFT + 3 * grid.CELL_W
    cell_top = grid.TOP
    for p in points:
        assert cell_left <= p.x - p.r and p.x + p.r <= cell_left + grid.CELL_W
        assert cell_top <= p.y - p.r and p.y + p.r <= cell_top + grid.CELL_H
        # Below the quadrant's name strip.
        assert p.y - p.r >= cell_top + grid.LABEL_BAND
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            distance = ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5
            assert distance >= a.r + b.r, (a, b)
            same_line = abs(a.y - b.y) < 1
            if same_line:
                # Labels in neighbouring columns must not run into the next dot.
                left, right = sorted((a, b), key=lambda p: p.x)
                assert left.label_x + len(left.label) * grid.CHAR_W <= right.x - right.r + 1


def test_long_names_are_shortened_but_kept_whole_in_the_point():
    name = "Kommunalt råd for personer med nedsatt funksjonsevne"
    entries = [grid.GridEntry(id=i, name=f"{name} {i}", interest=0, influence=0) for i in range(8)]
    for point in grid.build_grid(entries, LABELS).points:
        assert point.label.endswith("…")
        assert point.label_shortened
        assert point.name.startswith(name)


def _rows(html: str, tag: str) -> set[tuple[str, str, str, str]]:
    pattern = (
        rf'<{tag} [^>]*data-stakeholder="(\d+)" data-quadrant="(\w+)" '
        r'data-interest="(\d)" data-influence="(\d)"'
    )
    return set(re.findall(pattern, html))


def test_svg_and_table_on_the_analysis_page_carry_the_same_data(db):
    analysis = StakeholderAnalysisFactory(label_manage_closely="Tett på")
    degrees = [(3, 3), (0, 3), (3, 0), (0, 0), (2, 1), (1, 2), (2, 2), (2, 2)]
    stakeholders = [
        StakeholderFactory(analysis=analysis, interest=i, influence=f) for i, f in degrees
    ]
    client = client_for(editor_of(analysis.process_group))
    html = client.get(reverse("stakeholders:analysis_detail", args=[analysis.pk])).content.decode()

    svg = html[html.index("<svg") : html.index("</svg>")]
    table = html[html.index('<table class="table table-sm grid-table">') :]
    table = table[: table.index("</table>")]
    svg_rows = _rows(svg, "g")
    table_rows = _rows(table, "tr")
    assert len(svg_rows) == len(stakeholders)
    assert svg_rows == table_rows
    expected = {
        (str(s.pk), grid.quadrant_for(interest=s.interest, influence=s.influence))
        for s in stakeholders
    }
    assert {(pk, q) for pk, q, _i, _f in svg_rows} == expected
    for s in stakeholders:
        assert s.name in svg and s.name in table
    # The editable label names the quadrant in the picture and in the table.
    assert svg.count("Tett på") >= 1 and "Tett på" in table
    assert 'role="img"' in svg and "<title" in svg


def test_degree_scale_matches_the_grid():
    assert [value for value, _label in Degree.choices] == list(range(grid.LEVELS))
