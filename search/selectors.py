"""Search over published content (the index holds nothing else)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.models import SearchEntry
from search.services import SEARCH_CONFIG

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
MAX_WORD_CHARS = 40
MAX_RESULTS = 50
# Private-use characters mark highlights until the snippet is escaped.
_START, _STOP = "\ue000", "\ue001"
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchHit:
    plan_title: str
    kind: str
    kind_display: str
    title: str
    url: str
    snippet: SafeString


def search_terms(query: str) -> list[str]:
    """The words of a user's query: letters and digits only, so no input can break the search."""
    query = (query or "")[:MAX_QUERY_CHARS]
    words = [w[:MAX_WORD_CHARS].lower() for w in _WORD.findall(query)]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _highlighted(text: str) -> SafeString:
    safe = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(safe)  # noqa: S308 - escaped just above; only <mark> added


def _public_entries():
    # The index only holds published plans; the filter is a second lock on the door.
    return SearchEntry.objects.filter(plan__published__isnull=False)


def _search_postgresql(terms: list[str]) -> list[SearchHit]:
    # Prefix matching (":*") on Norwegian stems: "vold" finds "voldsutsatte".
    raw = " & ".join(f"{term}:*" for term in terms)
    query = SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)
    rows = (
        _public_entries()
        .filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(
                "body",
                query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "plan_title", "position")[:MAX_RESULTS]
    )
    return [_hit(row, row.snippet) for row in rows]


def _python_snippet(body: str, terms: list[str], width: int = 220) -> str:
    lowered = body.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(positions) - width // 3) if positions else 0
    excerpt = body[start : start + width]
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    excerpt = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", excerpt)
    return ("… " if start else "") + excerpt + (" …" if start + width < len(body) else "")


def _search_plain(terms: list[str]) -> list[SearchHit]:
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
    rows = _public_entries().filter(condition).order_by("plan_title", "position")[:MAX_RESULTS]
    return [_hit(row, _python_snippet(row.body, terms)) for row in rows]


def _hit(row: SearchEntry, snippet: str) -> SearchHit:
    return SearchHit(
        plan_title=row.plan_title,
        kind=row.kind,
        kind_display=str(row.get_kind_display()),
        title=row.title,
        url=row.url,
        snippet=_highlighted(snippet or ""),
    )


def search_public(query: str) -> list[SearchHit]:
    """Published plans, sections and measures matching ``query``, best first.

    PostgreSQL: full-text search with the ``norwegian`` configuration, prefix
    matching and ranked, highlighted snippets. Other databases: every word must
    occur in the title or text. Any input gives a list (possibly empty), never
    an error.
    """
    terms = search_terms(query)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(terms)
    return _search_plain(terms)
