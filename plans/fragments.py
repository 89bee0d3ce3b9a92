"""The published plan as its public page shows it, with the published part rendered once.

A 300-measure plan page spent most of its time rendering the same measure templates
over and over (titles, Markdown, units, partners, some 1,200 translated labels),
although that part of a measure only changes with the next publication. Its HTML
(``includes/measure_head.html`` and ``includes/measure_facts.html``) is therefore
kept with the decoded text under the published version (adoption or consultation
draft and the moment it was published), the language and the templates' own text,
so it is never served after any of them changed. What is live (status, status
reports) is joined and rendered on each request with the same templates and tag
``includes/measure_block.html`` uses, so the page is the same either way.

An entry is kept in the shared cache (one render serves every app server) and, for
the last few versions asked for, in this process too: it is a pure function of a
frozen version, so a process never has to ask whether its copy went stale, and a
300-measure entry is some 800 kB that the shared cache would otherwise send and
unpickle on every request. The kept text is shared and never changed: the live joins
copy the measures they add to. Either cache being away or emptied costs one slower render.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import lru_cache

from django.core.cache import cache
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.templatetags.heimplan_tags import measure_reports
from plans.published import published_snapshot, with_live_measure_status, with_status_reports
from plans.selectors import with_goal_names

_HEAD = "includes/measure_head.html"
_FACTS = "includes/measure_facts.html"
_STATUS = "includes/status_tag.html"
# What includes/measure_block.html has after the reports.
_TAIL = "\n\n  </div>\n</article>\n"
# Long enough to outlive many page-cache generations; the key changes with the text.
TIMEOUT_SECONDS = 7 * 24 * 3600
# Versions kept in this process (about 1 MB each for 300 measures).
LOCAL_ENTRIES = 8

_local: OrderedDict[str, tuple[dict, dict]] = OrderedDict()
_local_lock = threading.Lock()


@lru_cache(maxsize=1)
def _templates_digest() -> str:
    source = "".join(get_template(name).template.source for name in (_HEAD, _FACTS))
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def _key(published, language: str) -> str:
    if published.adoption_id is not None:
        version = f"adoption-{published.adoption_id}"
    else:
        version = f"consultation-{published.consultation_id}"
    # The read model's row is written anew only when another version is published,
    # so its time also tells apart a version whose id a restored database gave again.
    version += f"-{published.published_at.timestamp():.6f}"
    prefix = hashlib.sha256(get_script_prefix().encode()).hexdigest()[:8]
    return f"measure-html:{version}:{language}:{_templates_digest()}:{prefix}"


def _remember(key: str, entry: tuple[dict, dict]) -> None:
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def _recall(key: str) -> tuple[dict, dict] | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
        return entry


def _kept_entry(published) -> tuple[dict, dict]:
    """(the decoded text with goal names, each measure's published HTML parts by id).

    Both are shared between requests: read them, never change them."""
    key = _key(published, get_language() or "")
    entry = _recall(key)
    if entry is None:
        entry = cache.get(key)
        if entry is None:
            document = with_goal_names(published_snapshot(published))
            entry = (document, _render_published_parts(document))
            cache.set(key, entry, TIMEOUT_SECONDS)
        _remember(key, entry)
    return entry


def _render_published_parts(document: dict) -> dict[int, tuple[str, str]]:
    head, facts = get_template(_HEAD), get_template(_FACTS)
    return {
        measure["id"]: (head.render({"measure": measure}), facts.render({"measure": measure}))
        for area in document.get("focus_areas", [])
        for measure in area["measures"]
    }


def published_page_document(published) -> dict:
    """The published document as the public plan page shows it: the frozen text with
    goal names, today's status and status reports, and each measure's whole block as
    ``html`` (as ``includes/measure_block.html`` renders it). Filter after this, so
    that the kept entry holds every measure.

    The decoded text is kept beside the rendered parts: it replaces the snapshot's
    query and JSON decoding. The live joins below copy what they add to.
    """
    document, parts = _kept_entry(published)
    document = with_live_measure_status(document, plan_id=published.plan_id)
    document = with_status_reports(document, plan_id=published.plan_id)
    return with_measure_html(document, parts)


def with_measure_html(document: dict, parts: dict[int, tuple[str, str]]) -> dict:
    """``document`` (with live status and reports) with each kept measure's ``html``:
    its published parts around the live status tag and status reports."""
    status_tag = get_template(_STATUS)
    tags: dict[tuple, str] = {}
    for area in document.get("focus_areas", []):
        for measure in area["measures"]:
            found = parts.get(measure["id"])
            if found is None:
                continue  # rendered whole by the template
            status = (measure.get("status"), measure.get("status_display"))
            if status not in tags:
                tags[status] = status_tag.render({"status": status[0], "label": status[1]})
            live = measure_reports(measure)
            measure["html"] = mark_safe(found[0] + tags[status] + found[1] + live + _TAIL)  # noqa: S308
    return document


def with_area_html(document: dict) -> dict:
    """``document`` with each focus area's measures joined into one ``measures_html``
    where every measure has its ``html`` (after filtering: only the measures shown),
    so the page template outputs one string per area instead of looping over hundreds.
    """
    for area in document.get("focus_areas", []):
        blocks = [measure.get("html") for measure in area["measures"]]
        if blocks and all(blocks):
            area["measures_html"] = mark_safe("".join(blocks))  # noqa: S308 - joined safe HTML
    return document
