"""Search over published content (the index holds nothing else)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.models import SearchEntry
from search.services import SEARCH_CONFIG

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
MAX_WORD_CHARS = 40
# Hits per page of results (``?side=N``).
PAGE_SIZE = 20
# Matches a query may rank: a common word matching 50,000 entries costs no more than
# one matching 1,000 (people page through the best few; a word more narrows it).
MAX_RANKED = 1000
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


def _tsquery(terms: list[str]) -> SearchQuery:
    # Prefix matching (":*") on Norwegian stems: "vold" finds "voldsutsatte".
    raw = " & ".join(f"{term}:*" for term in terms)
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)


def _matches_postgresql(terms: list[str], *, field: str = "search_vector"):
    # GIN indexes on search_vector and title_vector answer this (search/migrations).
    return _public_entries().filter(**{field: _tsquery(terms)})


def _candidates_postgresql(terms: list[str]) -> tuple[list[int], bool]:
    """Up to MAX_RANKED matching entries, those whose title matches first; and whether
    there are more. Both reads stop after MAX_RANKED rows, however many match."""
    # Any order (no sort over every match): each read stops after MAX_RANKED rows,
    # through the GIN index for a rare word, reading the table for a word in most rows.
    titles = list(
        _matches_postgresql(terms, field="title_vector")
        .order_by()
        .values_list("pk", flat=True)[:MAX_RANKED]
    )
    rest = list(
        _matches_postgresql(terms).order_by().values_list("pk", flat=True)[: MAX_RANKED + 1]
    )
    more = len(rest) > MAX_RANKED
    return list(dict.fromkeys(titles + rest))[:MAX_RANKED], more


def _search_postgresql(terms: list[str], ids: list[int], offset: int, limit: int):
    """One page of hits: rank the candidates, highlight only the page shown."""
    query = _tsquery(terms)
    page_ids = list(
        SearchEntry.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "plan_title", "position", "pk")
        .values_list("pk", flat=True)[offset:limit]
    )
    if not page_ids:
        return []
    rows = SearchEntry.objects.filter(pk__in=page_ids).annotate(
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
    by_pk = {row.pk: row for row in rows}
    return [_hit(by_pk[pk], by_pk[pk].snippet) for pk in page_ids if pk in by_pk]


def _python_snippet(body: str, terms: list[str], width: int = 220) -> str:
    lowered = body.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(positions) - width // 3) if positions else 0
    excerpt = body[start : start + width]
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    excerpt = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", excerpt)
    return ("… " if start else "") + excerpt + (" …" if start + width < len(body) else "")


def _matches_plain(terms: list[str]):
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
    return _public_entries().filter(condition)


def _candidates_plain(terms: list[str]) -> tuple[list[int], bool]:
    ids = list(
        _matches_plain(terms)
        .order_by("plan_title", "position", "pk")
        .values_list("pk", flat=True)[: MAX_RANKED + 1]
    )
    return ids[:MAX_RANKED], len(ids) > MAX_RANKED


def _search_plain(terms: list[str], ids: list[int], offset: int, limit: int):
    page_ids = ids[offset:limit]
    by_pk = SearchEntry.objects.in_bulk(page_ids)
    return [_hit(by_pk[pk], _python_snippet(by_pk[pk].body, terms)) for pk in page_ids]


def _hit(row: SearchEntry, snippet: str) -> SearchHit:
    return SearchHit(
        plan_title=row.plan_title,
        kind=row.kind,
        kind_display=str(row.get_kind_display()),
        title=row.title,
        url=row.url,
        snippet=_highlighted(snippet or ""),
    )


@dataclass(frozen=True)
class SearchMatches:
    """What a query found, before any hit is built: enough to page through it."""

    terms: list[str]
    ids: list[int]
    more: bool  # more than MAX_RANKED matched: only the first MAX_RANKED are shown

    @property
    def count(self) -> int:
        return len(self.ids)


def search_matches(query: str) -> SearchMatches:
    """The published plans, sections and measures matching ``query`` (at most MAX_RANKED).

    PostgreSQL: full-text search with the ``norwegian`` configuration and prefix
    matching, through the GIN index; entries whose title matches come first, then the
    others, so the best hits are among them even when a common word matches thousands.
    Other databases: every word must occur in the title or text. The work is bounded by
    MAX_RANKED, not by the size of the site. Any input gives an answer, never an error.
    """
    terms = search_terms(query)
    if not terms:
        return SearchMatches(terms=[], ids=[], more=False)
    if connection.vendor == "postgresql":
        ids, more = _candidates_postgresql(terms)
    else:
        ids, more = _candidates_plain(terms)
    return SearchMatches(terms=terms, ids=ids, more=more)


def search_hits(matches: SearchMatches, *, offset: int, limit: int) -> list[SearchHit]:
    """Hits ``offset`` to ``limit`` of ``matches``, best first, with highlighted snippets.

    PostgreSQL ranks the matches (title before text) and makes snippets for the hits
    returned only; elsewhere they come in plan order.
    """
    if not matches.ids or limit <= offset:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(matches.terms, matches.ids, offset, limit)
    return _search_plain(matches.terms, matches.ids, offset, limit)


def search_public(query: str, *, offset: int = 0, limit: int = PAGE_SIZE) -> list[SearchHit]:
    """Hits ``offset`` to ``limit`` for ``query``: ``search_hits(search_matches(query))``."""
    return search_hits(search_matches(query), offset=offset, limit=limit)
