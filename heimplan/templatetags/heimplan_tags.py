from django import template

from heimplan.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value):
    """Editor Markdown as sanitised HTML."""
    return render_markdown(value or "")


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
