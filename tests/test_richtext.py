import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from heimplan.text import render_markdown, validate_markdown

# What nh3 lets through (heimplan.text._ALLOWED_TAGS), checked on the parsed output.
ALLOWED_TAGS = {
    *("a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6"),
    *("hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td"),
    *("th", "thead", "tr", "ul"),
}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    """The (tag, attributes) of every element in ``html``, entities in values decoded."""
    parser = _Elements()
    parser.feed(str(html))
    parser.close()
    return parser.elements


def assert_inert(html: str) -> None:
    """Only allowed tags, no event handlers, links only to http(s), mailto, tel or relative."""
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        assert not [name for name in attrs if name.lower().startswith("on")], (tag, attrs)
        # Browsers drop whitespace inside a URL before they read its scheme.
        href = "".join((attrs.get("href") or "").split()).lower()
        scheme = re.match(r"([a-z][a-z0-9+.-]*):", href)
        assert scheme is None or scheme[1] in {"http", "https", "mailto", "tel"}, href


def test_markdown_is_rendered():
    html = render_markdown("# Mål\n\nVi skal *forebygge*.\n\n- en\n- to")
    assert "<em>forebygge</em>" in html
    assert "<li>en</li>" in html


def test_a_top_level_heading_becomes_h2_because_the_page_title_is_the_h1():
    html = render_markdown("# Mål\n\n## Delmål\n\n### Tiltak")
    assert "<h2>Mål</h2>" in html
    assert "<h2>Delmål</h2>" in html
    assert "<h3>Tiltak</h3>" in html
    assert "<h1" not in html


def test_tables_are_rendered():
    html = render_markdown("| Tiltak | Frist |\n|---|---|\n| Kurs | 2026 |")
    assert "<table>" in html
    assert "<th>Tiltak</th>" in html
    assert "<td>Kurs</td>" in html


def test_script_tags_are_removed():
    html = render_markdown("Hei <script>alert('x')</script> du")
    assert "<script" not in html
    assert "alert(" not in html or "&lt;" in html
    assert_inert(html)


def test_javascript_links_are_made_inert():
    html = render_markdown('[klikk](javascript:alert(1)) og <a href="javascript:alert(2)">her</a>')
    # The source is shown as text: the words are there, no link carries them.
    assert "<a" not in html
    assert [tag for tag, _ in elements(html) if tag == "a"] == []
    assert_inert(html)


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](java%0ascript:alert(1))",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
        "![x](javascript:alert(1))",
    ],
)
def test_links_never_carry_script(source):
    assert_inert(render_markdown(source))


def test_event_handlers_and_iframes_are_removed():
    html = render_markdown(
        '<img src=x onerror="alert(1)"><iframe src="https://example.com"></iframe>'
    )
    # Raw HTML is shown as escaped text, never as elements.
    assert "<img" not in html
    assert "<iframe" not in html
    assert "&lt;img" in html
    assert_inert(html)


@pytest.mark.parametrize(
    "source",
    [
        "<div onclick=alert(1)>x</div>",
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
        "<a href='https://x.no' onmouseover='alert(1)'>x</a>",
        "<details open ontoggle=alert(1)>",
        "<!-- <script>alert(1)</script> -->",
        "<textarea><script>alert(1)</script></textarea>",
        "```\n<script>alert(1)</script>\n```",
        "    <script>alert(1)</script>",
        "`<img src=x onerror=alert(1)>`",
        "| <b onclick=x>a</b> |\n|---|\n| <script>b</script> |",
    ],
)
def test_raw_html_comes_out_as_text(source):
    html = render_markdown(source)
    assert "<script" not in html
    assert_inert(html)


def test_safe_links_keep_rel_noopener():
    html = render_markdown("[dinutvei](https://dinutvei.no/)")
    assert 'href="https://dinutvei.no/"' in html
    assert "noopener" in html


def _deeply_nested_list(levels: int = 300) -> str:
    return "".join("    " * depth + f"- nivå {depth}\n" for depth in range(levels))


def test_text_too_deeply_nested_for_markdown_is_shown_as_escaped_paragraphs():
    source = _deeply_nested_list() + "<script>alert(1)</script>"
    html = render_markdown(source)
    assert "nivå 299" in html
    assert "<script" not in html
    assert html.startswith("<p>")
    # The renderer is still usable afterwards.
    assert "<em>ja</em>" in render_markdown("*ja*")


def test_validate_markdown_refuses_text_nested_too_deeply():
    validate_markdown("- en\n    - to\n")  # ordinary nesting is fine
    validate_markdown("> - en\n>   - to\n>     - tre\n>       > sitat")
    with pytest.raises(ValidationError) as refused:
        validate_markdown(_deeply_nested_list(30))
    assert refused.value.code == "markdown_too_deep"
