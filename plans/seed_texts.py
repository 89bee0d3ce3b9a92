"""Reading Heim kommune's published texts (data/heim/) into plain structures.

The texts are web pages copied as plain text: headings are lines ending in a
colon, paragraphs are separated by blank lines, lists start with "-" or "•".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

_PLAN_TITLE = re.compile(
    r"^(?P<title>Handlingsplan .+?) \(Vedtatt (?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2})\)\s*$"
)
_HEADING = re.compile(r"^(?P<heading>[A-ZÆØÅ][^.:!?]{2,80}):\s*$")
# Sentences pointing at a link the copied text lost; without the link they mislead.
_DANGLING = re.compile(
    r"\s*(Ikke sett videoen\? Se den her:|Du kan lese handlingsplan(en)? her:.*)$"
)
_LINK = re.compile(r"^(?P<title>.+?)\s*Besøk:\s*(?P<url>https?://\S+)$")


@dataclass
class SeedPlan:
    title: str
    adopted_on: date
    sections: dict[str, list[str]] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


def read_plans(text: str) -> list[SeedPlan]:
    """The plans in the action plans page, with their sections, members and links."""
    plans: list[SeedPlan] = []
    heading = None
    paragraph: list[str] = []

    def end_paragraph():
        if plans and heading and paragraph:
            plans[-1].sections.setdefault(heading, []).append(" ".join(paragraph))
        paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        title = _PLAN_TITLE.match(line)
        if title:
            end_paragraph()
            heading = None
            plans.append(
                SeedPlan(
                    title=title["title"],
                    adopted_on=date(2000 + int(title["y"]), int(title["m"]), int(title["d"])),
                )
            )
            continue
        if not plans:
            continue
        if not line:
            end_paragraph()
        elif line.startswith("- "):
            end_paragraph()
            plans[-1].members.append(line[2:].strip())
        elif _LINK.search(line):
            end_paragraph()
            plans[-1].links.append(_LINK.search(line).groups())
        elif line.endswith(":") and "består av" in line:
            end_paragraph()  # introduces the member list, which is data, not prose
        elif _HEADING.match(line):
            end_paragraph()
            heading = _HEADING.match(line)["heading"]
        else:
            cleaned = _DANGLING.sub("", line).strip()
            if cleaned:
                paragraph.append(cleaned)
    end_paragraph()
    return plans


def load(seed_dir: Path) -> list[SeedPlan]:
    """The plans in the texts of ``seed_dir`` that begin with a plan's title."""
    plans: list[SeedPlan] = []
    for path in sorted(seed_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if _PLAN_TITLE.search(text.partition("\n")[0]):
            plans += read_plans(text)
    return plans
