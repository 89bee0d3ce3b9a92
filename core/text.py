"""Text helpers shared by every app: Norwegian slugs and safe rich text."""

from functools import lru_cache

import nh3
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

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

# The longest Markdown text a field accepts. markdown-it is linear, but it is pure
# Python: at this length its slowest inputs (a page of `[` or of `*a`) take about a
# tenth of a second, and a text twice as long would take the rest of the 200 ms a
# render may cost. Twenty thousand characters is some three thousand words, several
# times the longest section of Heim's plans.
MARKDOWN_MAX_LENGTH = 20_000

# Lists and quotes may nest this deep (a list level takes two). markdown-it silently
# drops what lies deeper, so such text is refused and shown as plain paragraphs.
_MAX_BLOCK_NESTING = 20
# Brackets in link text: markdown-it's work for each `[` grows with this limit, and
# real text (an image inside a link, `[a [b] c](url)`) needs three.
_MAX_INLINE_NESTING = 5

# What the rendered HTML may contain. markdown-it shows HTML in the source as text
# and refuses javascript: links; nh3 checks its output again, so a parser bug cannot
# let script, style, iframes, event handlers or other URL schemes through.
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


def _parser(max_nesting: int) -> MarkdownIt:
    # CommonMark and tables; HTML in the source is shown as text, never passed on.
    return MarkdownIt("commonmark", {"html": False, "maxNesting": max_nesting}).enable("table")


_inline_parser = _parser(_MAX_INLINE_NESTING)


def _parse_inline_shallow(state: StateCore) -> None:
    # markdown-it's own inline step with a lower nesting limit than the blocks have.
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            _inline_parser.inline.parse(token.content, _inline_parser, state.env, token.children)


# Shared by all threads: parsing keeps its state per call, never in the parser.
_md = _parser(_MAX_BLOCK_NESTING)
_md.core.ruler.at("inline", _parse_inline_shallow)


def _tokens(source: str) -> list[Token] | None:
    """markdown-it's tokens for ``source``, or None if it nests too deeply to render whole."""
    tokens = _md.parse(source)
    for token in tokens:
        if token.nesting == 1 and token.level + 1 >= _MAX_BLOCK_NESTING:
            return None
        # The page title is the only h1; a `# Heading` in a text is a section of it.
        if token.tag == "h1":
            token.tag = "h2"
    return tokens


def validate_markdown(source: str) -> None:
    """Refuse text that is too long or cannot be rendered, with a message the editor can act on."""
    if not source:
        return
    source = str(source)
    if len(source) > MARKDOWN_MAX_LENGTH:
        raise ValidationError(
            _(
                "The text is %(length)s characters long; at most %(limit)s are allowed. "
                "Shorten it or split it into several parts."
            ),
            code="markdown_too_long",
            params={
                "length": number_format(len(source), force_grouping=True),
                "limit": number_format(MARKDOWN_MAX_LENGTH, force_grouping=True),
            },
        )
    if _tokens(source) is None:
        raise ValidationError(
            _(
                "The text has lists or quotes nested too deeply to be shown. "
                "Use fewer levels of indentation."
            ),
            code="markdown_too_deep",
        )


def _plain_paragraphs(source: str) -> SafeString:
    # Text that forms refuse (validate_markdown) but got in anyway is shown as escaped
    # plain paragraphs, in linear time, rather than breaking the page and the council's PDF.
    return linebreaks(source, autoescape=True)


def render_markdown(source: str) -> SafeString:
    """Render editor-written Markdown to sanitised HTML that is safe to show.

    Text longer than ``MARKDOWN_MAX_LENGTH`` or nested too deeply is shown as escaped
    paragraphs, so no text costs more than one bounded render.
    """
    if not source:
        return mark_safe("")
    source = str(source)
    if len(source) > MARKDOWN_MAX_LENGTH:
        return _plain_paragraphs(source)
    return _render_markdown(source)


# A pure function of its input: a worker re-rendering a page after the page
# cache was invalidated reuses the HTML of texts that did not change.
@lru_cache(maxsize=4096)
def _render_markdown(source: str) -> SafeString:
    tokens = _tokens(source)
    if tokens is None:
        return _plain_paragraphs(source)
    clean = nh3.clean(
        _md.renderer.render(tokens, _md.options, {}),
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
