from functools import lru_cache
from html import escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

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


def _lines(text: str) -> str:
    # Django's linebreaksbr with autoescape, without its per-call overhead.
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _report_badge(report: dict) -> str:
    return (
        f'<span class="badge status-badge status-{escape(report["status"])}">'
        f"{escape(report['status_display'])}</span> "
        f'<time datetime="{escape(report["reported_on_iso"])}">'
        f"{escape(report['reported_on_text'])}</time>"
    )


@register.simple_tag(name="measure_reports")
def measure_reports(measure: dict) -> SafeString:
    """A measure's latest status report and the earlier ones (``latest_report`` and
    ``earlier_reports``, as ``plans.published.with_status_reports`` joins them).

    Built here rather than in a template (every value escaped, as the template
    would): a plan page shows hundreds of them, live, on every uncached render,
    and a template costs ten times as much.
    """
    latest = measure.get("latest_report")
    if not latest:
        return mark_safe("")
    parts = [
        '<div class="measure-reports mt-2">\n'
        f'  <h5 class="h6 mb-1">{escape(gettext("Latest status report"))}</h5>\n'
        f'  <p class="mb-1">{_report_badge(latest)}</p>\n  '
    ]
    if latest["text"]:
        parts.append(f'<p class="mb-1">{_lines(latest["text"])}</p>')
    parts.append("\n  ")
    earlier = measure.get("earlier_reports")
    if earlier:
        count = len(earlier)
        # Like {% blocktranslate count %}: the translation itself is not escaped.
        summary = ngettext("One earlier report", "%(counter)s earlier reports", count) % {
            "counter": count
        }
        items = "".join(
            f'<li class="mt-1">{_report_badge(report)}'
            f"{': ' + _lines(report['text']) if report['text'] else ''}</li>"
            for report in earlier
        )
        parts.append(
            f'<details>\n    <summary>{summary}<span class="visually-hidden"> '
            f"({escape(measure.get('title', ''))})</span></summary>\n"
            f'    <ul class="list-unstyled ms-2 mb-0">\n      {items}\n    </ul>\n  </details>'
        )
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
