#!/usr/bin/env python
"""Benchmark the Markdown renderer on crafted input (not a test; `make bench` runs it).

Standalone: `.venv/bin/python bench/markdown.py`. For each pathological text it prints
the length, whether `validate_markdown` refuses it (the reason is listed below the
table, in Norwegian as the editor sees it) and the time `render_markdown` takes with
its cache cleared, so that every timing is a real render. Each render is timed three
times; the table shows the fastest and the median wall-clock time, and flags a median
of 200 ms or more, and the median CPU time, which shows how much of it was this
process's own work when the machine is busy. A text that is refused for its length is also measured as a variant built the
same way but cut to `MARKDOWN_MAX_LENGTH`, which is the worst an editor can save.
No database is used.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200.0
RUNS = 3


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("nb")


def _table(rows: int) -> str:
    header = "| Tiltak | Ansvarlig | Frist | Status |\n|---|:---|:---:|---:|\n"
    return header + "".join(
        f"| Tiltak {n} | Enhet {n % 8} | 2026-12-31 | *pågår* |\n" for n in range(rows)
    )


# Each case: a name, the count its description uses and a builder for any count, so
# that a variant of the same shape can be cut down to the length limit.
CASES: list[tuple[str, int, Callable[[int], str]]] = [
    ("20,000 [", 20_000, lambda n: "[" * n),
    ("10,000 footnote refs [^1], defined", 10_000, lambda n: "Tekst[^1] " * n + "\n\n[^1]: Kilde."),
    ("10,000 footnote refs [^1], undefined", 10_000, lambda n: "Tekst[^1] " * n),
    (
        "500 abbreviations *[HTML]: + uses",
        500,
        lambda n: (
            "".join(f"*[HTML{i}]: Hyper Text Markup Language {i}\n" for i in range(n))
            + "\n"
            + " ".join(f"HTML{i} og HTML{i}" for i in range(n))
        ),
    ),
    ("10,000 nested > quotes, one line", 10_000, lambda n: ">" * n + " sitat"),
    (
        "2,000 nested > quotes, a line each",
        2_000,
        lambda n: "\n".join(">" * depth + " sitat" for depth in range(1, n + 1)),
    ),
    ("5,000 nested list levels, one line", 5_000, lambda n: "- " * n + "punkt"),
    (
        "300 nested list levels, indented",
        300,
        lambda n: "".join("    " * depth + f"- nivå {depth}\n" for depth in range(n)),
    ),
    ("50,000 * emphasis openers", 50_000, lambda n: "*" * n),
    ("*a repeated 25,000 times", 25_000, lambda n: "*a" * n),
    ("50,000 a with _ between", 50_000, lambda n: "_".join("a" * n)),
    ("1 MB table", 20_000, _table),
    (
        "3,000 link reference definitions + uses",
        3_000,
        lambda n: (
            "".join(f"[r{i}]: https://heim.kommune.no/{i}\n" for i in range(n))
            + "\n"
            + " ".join(f"[lenke {i}][r{i}]" for i in range(n))
        ),
    ),
    ("15,000 adjacent references [a][a]…", 15_000, lambda n: "[a]" * n + "\n\n[a]: /x"),
    ("20,000 backticks", 20_000, lambda n: "`" * n),
    ("5,000 backtick runs `a``", 5_000, lambda n: "`a``" * n),
    ("10,000 [ then 10,000 ](b)", 10_000, lambda n: "[" * n + "a" + "](b)" * n),
    ("50,000 <", 50_000, lambda n: "<" * n),
]


def fit(build: Callable[[int], str], count: int, limit: int) -> tuple[int, str]:
    """The largest count (and its text) whose text is at most ``limit`` characters."""
    low, high = 0, count
    while low < high:
        middle = (low + high + 1) // 2
        if len(build(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return low, build(low)


def measure(source: str) -> dict:
    from django.core.exceptions import ValidationError

    from core.text import _render_markdown, render_markdown, validate_markdown

    try:
        validate_markdown(source)
        refusal = None
    except ValidationError as error:
        refusal = (error.code, error.messages[0])
    times, cpu_times = [], []
    for _ in range(RUNS):
        _render_markdown.cache_clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        render_markdown(source)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
    return {
        "chars": len(source),
        "refusal": refusal,
        "best_ms": min(times),
        "median_ms": statistics.median(times),
        "cpu_ms": statistics.median(cpu_times),
    }


def main() -> int:
    setup_django()
    from core.text import MARKDOWN_MAX_LENGTH

    print(
        f"Markdown renderer (markdown-it-py), render time with the cache cleared, "
        f"best and median of {RUNS}; limit {MARKDOWN_MAX_LENGTH:,} characters:"
    )
    print(
        f"{'input':<44} {'chars':>9} {'validate_markdown':<18} "
        f"{'best ms':>8} {'median':>8} {'CPU ms':>7}"
    )
    messages: dict[str, str] = {}
    slow = []
    for name, count, build in CASES:
        variants = [(name, name, build(count))]
        if len(variants[0][2]) > MARKDOWN_MAX_LENGTH:
            fitted, source = fit(build, count, MARKDOWN_MAX_LENGTH)
            variants.append(
                (f"  same shape, {fitted:,} to fit the limit", f"{name} (cut to the limit)", source)
            )
        for label, full_name, source in variants:
            r = measure(source)
            verdict = "accepted"
            if r["refusal"]:
                code, message = r["refusal"]
                verdict = f"refused ({code.removeprefix('markdown_')})"
                messages[code] = message
            flag = ""
            if r["median_ms"] >= TARGET_MS:
                flag = f"  >= {TARGET_MS:g} ms"
                slow.append(full_name)
            print(
                f"{label:<44} {r['chars']:>9,} {verdict:<18} "
                f"{r['best_ms']:>8.1f} {r['median_ms']:>8.1f} {r['cpu_ms']:>7.1f}{flag}"
            )
    print()
    for code, message in messages.items():
        print(f"{code}: {message}")
    print()
    print(
        f"Every render under {TARGET_MS:g} ms."
        if not slow
        else f"{TARGET_MS:g} ms or more: " + "; ".join(slow)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
