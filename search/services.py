"""The search index: rebuilt from published content, never from drafts."""

from __future__ import annotations

import html
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext

from core.publishing import PublicChange
from core.text import render_markdown
from plans.models import PublishedPlan
from plans.published import published_document, published_plans
from search.models import SearchEntry

SEARCH_CONFIG = "norwegian"
# Key of the PostgreSQL advisory lock that serialises index rebuilds (any fixed number).
SEARCH_INDEX_LOCK = 0x6865696D706C616E >> 1  # "heimplan"


def _plain(markdown_source: str) -> str:
    """Markdown as the plain words a reader sees."""
    return html.unescape(strip_tags(render_markdown(markdown_source))).strip()


def _plan_title(plan: PublishedPlan, document: dict) -> str:
    """The plan's title, marked when the public text is a consultation draft."""
    if not plan.is_consultation_draft:
        return document["title"]
    with translation.override(settings.LANGUAGE_CODE):
        return f"{document['title']} ({gettext('Consultation draft')})"


def _source(plan: PublishedPlan) -> str:
    """What a plan's entries are made from: its published version (adoption or
    consultation draft), at its address."""
    return f"{plan.adoption_id}:{plan.consultation_id}:{plan.slug}"


def _entries_for(plan: PublishedPlan, document: dict) -> list[SearchEntry]:
    url = plan.get_absolute_url()
    plan_title = _plan_title(plan, document)
    entries = [
        SearchEntry(
            plan_id=plan.plan_id,
            plan_title=plan_title,
            kind=SearchEntry.Kind.PLAN,
            title=plan_title,
            body=document.get("summary") or "",
            url=url,
        )
    ]
    for number, section in enumerate(document.get("sections", []), start=1):
        entries.append(
            SearchEntry(
                plan_id=plan.plan_id,
                plan_title=plan_title,
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
                    plan_id=plan.plan_id,
                    plan_title=plan_title,
                    kind=SearchEntry.Kind.MEASURE,
                    title=measure["title"],
                    body="\n".join([body, *[e for e in extra if e]]).strip(),
                    url=f"{url}#measure-{measure['id']}",
                )
            )
    for position, entry in enumerate(entries):
        entry.position = position
        entry.source = _source(plan)
    return entries


@transaction.atomic
def search_index_update(*, plan_ids: Iterable[int] | None) -> int:
    """Make the index hold exactly the published content of ``plan_ids`` (None: every plan).

    Entries of those plans are replaced by what the public sees of them now, unless
    they were built from the very version and address published now; a plan that is
    no longer public loses its entries. None rebuilds every plan's entries (recovery).
    Returns the number of entries written.
    Queries do not grow with the number of measures. Runs as a publishing listener,
    after the writer's transaction committed, never inside it.
    """
    if connection.vendor == "postgresql":
        # One update at a time. Two concurrent ones would each delete what they can
        # see and insert their own rows: duplicate hits. The lock is held until this
        # transaction ends, so the next update's statements see this one's rows.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEARCH_INDEX_LOCK])
    # The published read model (plans.published) is written by the listener registered
    # before this one (the plans app comes before search in INSTALLED_APPS).
    plans = published_plans().order_by("plan_id")
    stale = SearchEntry.objects.all()
    current: dict[int, str] = {}
    if plan_ids is not None:
        plan_ids = sorted(set(plan_ids))
        if not plan_ids:
            return 0
        plans = plans.filter(plan_id__in=plan_ids)
        stale = stale.filter(plan_id__in=plan_ids)
        # A plan whose published version and address did not change (a draft saved
        # during a revision, a status report) keeps its entries: they would be the same.
        current = dict(
            SearchEntry.objects.filter(plan_id__in=plan_ids, kind=SearchEntry.Kind.PLAN)
            .order_by()
            .values_list("plan_id", "source")
        )
    entries: list[SearchEntry] = []
    kept: list[int] = []
    for published in plans:
        if current.get(published.plan_id) == _source(published):
            kept.append(published.plan_id)
            continue
        entries.extend(_entries_for(published, published_document(published)))
    if plan_ids is not None:
        plan_ids = sorted(set(plan_ids) - set(kept))
    stale.exclude(plan_id__in=kept).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    if connection.vendor == "postgresql" and entries:
        fresh = SearchEntry.objects.all()
        if plan_ids is not None:
            fresh = fresh.filter(plan_id__in=plan_ids)
        fresh.update(
            search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("plan_title", weight="C", config=SEARCH_CONFIG)
            + SearchVector("body", weight="B", config=SEARCH_CONFIG),
            title_vector=SearchVector("title", config=SEARCH_CONFIG),
        )
    return len(entries)


def search_index_rebuild() -> int:
    """Replace the whole index with the published content (recovery: ``rebuild_search_index``)."""
    return search_index_update(plan_ids=None)


def search_index_on_public_change(change: PublicChange) -> None:
    """The publishing listener: update the entries of the plans that changed."""
    search_index_update(plan_ids=None if change.everything else change.plan_ids)
