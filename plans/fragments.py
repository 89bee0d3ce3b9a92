"""Measures of a published plan as HTML, with their published part rendered once.

A 300-measure plan page spent most of its time rendering the same measure templates
over and over (titles, Markdown, units, partners, some 1,200 translated labels),
although that part of a measure only changes with the next publication. Its HTML
(``includes/measure_head.html`` and ``includes/measure_facts.html``) is therefore
kept in the shared cache under the published version (adoption or consultation
draft), the language and the templates' own text, so it is never served after any
of them changed. What is live (status, status reports) is rendered on each request
with the same templates and tag ``includes/measure_block.html`` uses, so the page is the same
either way. A cache that is away or was emptied only costs one slower render.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.core.cache import cache
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.templatetags.heimplan_tags import measure_reports

_HEAD = "includes/measure_head.html"
_FACTS = "includes/measure_facts.html"
_STATUS = "includes/status_tag.html"
# What includes/measure_block.html has after the reports.
_TAIL = "\n\n  </div>\n</article>\n"
# Long enough to outlive many page-cache generations; the key changes with the text.
TIMEOUT_SECONDS = 7 * 24 * 3600


@lru_cache(maxsize=1)
def _templates_digest() -> str:
    source = "".join(get_template(name).template.source for name in (_HEAD, _FACTS))
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def _key(published, language: str) -> str:
    if published.adoption_id is not None:
        version = f"adoption-{published.adoption_id}"
    else:
        version = f"consultation-{published.consultation_id}"
    prefix = hashlib.sha256(get_script_prefix().encode()).hexdigest()[:8]
    return f"measure-html:{version}:{language}:{_templates_digest()}:{prefix}"


def _render_published_parts(document: dict) -> dict[int, tuple[str, str]]:
    head, facts = get_template(_HEAD), get_template(_FACTS)
    return {
        measure["id"]: (head.render({"measure": measure}), facts.render({"measure": measure}))
        for area in document.get("focus_areas", [])
        for measure in area["measures"]
    }


def with_measure_html(document: dict, *, published) -> dict:
    """``document`` (the published one, with live status, reports and goal names) with
    each measure's whole block as ``html``, as ``includes/measure_block.html`` renders it.

    Call it before filtering, so that the cached entry holds every measure.
    """
    key = _key(published, get_language() or "")
    parts = cache.get(key)
    if parts is None:
        parts = _render_published_parts(document)
        cache.set(key, parts, TIMEOUT_SECONDS)
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
