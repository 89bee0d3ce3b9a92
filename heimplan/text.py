"""Text helpers shared by every app: Norwegian slugs and safe rich text."""

import threading
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

_NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "a", "Å": "a"})

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
    """Slug that transliterates æ→ae, ø→o, å→a instead of dropping them."""
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


def render_markdown(source: str) -> SafeString:
    """Render editor-written Markdown to sanitised HTML that is safe to show."""
    if not source:
        return mark_safe("")
    return _render_markdown(str(source))


# A pure function of its input: a worker re-rendering a page after the page
# cache was invalidated reuses the HTML of texts that did not change.
@lru_cache(maxsize=4096)
def _render_markdown(source: str) -> SafeString:
    html = _markdown().reset().convert(source)
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
