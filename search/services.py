"""The search index: rebuilt from published content, never from drafts."""

from __future__ import annotations

import html

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils.html import strip_tags

from heimplan.text import render_markdown
from plans.models import Plan
from plans.selectors import plan_document_for_viewer
from search.models import SearchEntry

SEARCH_CONFIG = "norwegian"
# Key of the PostgreSQL advisory lock that serialises index rebuilds (any fixed number).
SEARCH_INDEX_LOCK = 0x6865696D706C616E >> 1  # "heimplan"


def _plain(markdown_source: str) -> str:
    """Markdown as the plain words a reader sees."""
    return html.unescape(strip_tags(render_markdown(markdown_source))).strip()


def _entries_for(plan: Plan, document: dict) -> list[SearchEntry]:
    url = plan.get_absolute_url()
    entries = [
        SearchEntry(
            plan=plan,
            plan_title=document["title"],
            kind=SearchEntry.Kind.PLAN,
            title=document["title"],
            body=document.get("summary") or "",
            url=url,
        )
    ]
    for number, section in enumerate(document.get("sections", []), start=1):
        entries.append(
            SearchEntry(
                plan=plan,
                plan_title=document["title"],
                kind=SearchEntry.Kind.SECTION,
                title=section["title"],
                body=_plain(section["body"]),
                url=f"{url}#section-{number}",
            )
        )
    for area in document.get("focus_areas", []):
        for measure in area["measures"]:
            extra = [
                (measure.get("responsible_unit") or {}).get("name", ""),
                measure.get("responsible_role", ""),
                ", ".join(measure.get("target_groups", [])),
            ]
            body = _plain(measure.get("description", ""))
            entries.append(
                SearchEntry(
                    plan=plan,
                    plan_title=document["title"],
                    kind=SearchEntry.Kind.MEASURE,
                    title=measure["title"],
                    body="\n".join([body, *[e for e in extra if e]]).strip(),
                    url=f"{url}#measure-{measure['id']}",
                )
            )
    for position, entry in enumerate(entries):
        entry.position = position
    return entries


@transaction.atomic
def search_index_rebuild() -> int:
    """Replace the index with the published content as the public sees it; returns entry count.

    Called by ``heimplan.cache.public_content_changed``, so every write that
    changes public content keeps the index right. The number of queries does
    not grow with the number of measures.
    """
    if connection.vendor == "postgresql":
        # One rebuild at a time. Two concurrent ones would each delete what they can
        # see and insert their own rows: duplicate hits. The lock is held until this
        # transaction ends, so the next rebuild's statements see this one's rows.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEARCH_INDEX_LOCK])
    anonymous = AnonymousUser()
    entries: list[SearchEntry] = []
    for plan in Plan.objects.public().order_by("pk"):
        document, _adoption = plan_document_for_viewer(plan=plan, user=anonymous)
        entries.extend(_entries_for(plan, document))
    SearchEntry.objects.all().delete()
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    if connection.vendor == "postgresql" and entries:
        SearchEntry.objects.update(
            search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("plan_title", weight="C", config=SEARCH_CONFIG)
            + SearchVector("body", weight="B", config=SEARCH_CONFIG)
        )
    return len(entries)
