"""Text helpers shared by every app: Norwegian slugs and safe rich text."""

import threading
from functools import lru_cache

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

_NORWEGIAN_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "å": "a",
        "Å": "a",
        # Dashes separate words and year ranges ("2027–2030"): keep a hyphen,
        # which Django's slugify would otherwise drop with the non-ASCII dash.
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)

# What an editor may use in Markdown. Everything else (script, style, iframes,
# event handlers, javascript: links) is removed by nh3 after rendering.
_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
_ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def slugify_nb(value: str) -> str:
    """Slug that transliterates æ→ae, ø→o, å→a instead of dropping them.

    Dashes become hyphens, so a year range stays readable: "2027–2030" → "2027-2030".
    """
    return slugify(str(value).translate(_NORWEGIAN_LETTERS))


_local = threading.local()


def _markdown() -> markdown.Markdown:
    # Building a Markdown instance loads its extensions (about a millisecond);
    # a page with hundreds of measures reuses one per thread instead.
    md = getattr(_local, "markdown", None)
    if md is None:
        md = _local.markdown = markdown.Markdown(
            extensions=["extra", "sane_lists"], output_format="html"
        )
    return md


def _to_html(source: str) -> str | None:
    """Markdown's HTML for ``source``, or None if it is nested too deeply to render.

    Lists or quotes nested hundreds deep exhaust Python-Markdown's recursion.
    """
    try:
        return _markdown().reset().convert(source)
    except RecursionError:
        _local.markdown = None  # a converter that failed half-way is not reused
        return None


def validate_markdown(source: str) -> None:
    """Refuse text that cannot be rendered, with a message the editor can act on."""
    if source and _to_html(str(source)) is None:
        raise ValidationError(
            _(
                "The text has lists or quotes nested too deeply to be shown. "
                "Use fewer levels of indentation."
            ),
            code="markdown_too_deep",
        )


def render_markdown(source: str) -> SafeString:
    """Render editor-written Markdown to sanitised HTML that is safe to show."""
    if not source:
        return mark_safe("")
    return _render_markdown(str(source))


# A pure function of its input: a worker re-rendering a page after the page
# cache was invalidated reuses the HTML of texts that did not change.
@lru_cache(maxsize=4096)
def _render_markdown(source: str) -> SafeString:
    html = _to_html(source)
    if html is None:
        # Forms refuse such text (validate_markdown); text that got in anyway is shown
        # as escaped plain paragraphs rather than breaking the page and the council's PDF.
        return linebreaks(source, autoescape=True)
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


# Spreadsheet programs run a cell that starts with one of these as a formula
# (CSV injection); a leading apostrophe makes them show it as text.
SPREADSHEET_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A CSV cell that a spreadsheet program shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(SPREADSHEET_FORMULA_PREFIXES) else text
