from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

from core.people import person_name as _person_name
from core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value):
    """Editor Markdown as sanitised HTML."""
    return render_markdown(value or "")


@register.filter(name="person_name")
def person_name(user):
    """A person by name (``get_full_name()``), by username only when no name is set."""
    return _person_name(user)


@register.filter(name="as_date")
def as_date(value):
    """A date from a document (ISO string in snapshots, date in live objects)."""
    if not value:
        return None
    if isinstance(value, str):
        from datetime import date

        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value


@lru_cache(maxsize=1024)
def _unit_url(prefix: str, slug: str) -> str:
    return reverse("organisation:unit_detail", kwargs={"slug": slug})


@register.filter(name="unit_url")
def unit_url(slug):
    """The public page of the unit with ``slug``.

    Same as ``{% url 'organisation:unit_detail' slug %}``, remembered per slug:
    a plan page links units hundreds of times and ``reverse()`` is the slow part.
    """
    return _unit_url(get_script_prefix(), str(slug))
