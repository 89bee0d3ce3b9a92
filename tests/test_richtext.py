import re
import time
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.text import (
    MARKDOWN_MAX_LENGTH,
    _render_markdown,
    render_markdown,
    validate_markdown,
)
from plans.forms import PlanSectionForm
from tests.followup_world import build_world

# What nh3 lets through (core.text._ALLOWED_TAGS), checked on the parsed output.
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


# -- Size limit and crafted input -------------------------------------------------


def test_text_at_the_limit_is_accepted_and_one_character_more_is_refused_in_norwegian():
    validate_markdown("a" * MARKDOWN_MAX_LENGTH)
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        validate_markdown("a" * (MARKDOWN_MAX_LENGTH + 1))
    assert refused.value.code == "markdown_too_long"
    message = refused.value.messages[0]
    assert message.startswith("Teksten er ")
    assert "tegn" in message
    digits = message.replace("\xa0", "")  # Norwegian groups thousands with a space
    assert str(MARKDOWN_MAX_LENGTH + 1) in digits  # how long it is
    assert str(MARKDOWN_MAX_LENGTH) in digits  # and the limit


def test_text_over_the_limit_that_got_in_anyway_is_shown_as_escaped_paragraphs():
    source = "*a* " * MARKDOWN_MAX_LENGTH + "\n\n<script>alert(1)</script>"
    html = render_markdown(source)
    assert html.startswith("<p>")
    assert "<em>" not in html  # not parsed as Markdown at all
    assert "&lt;script&gt;" in html
    assert "<script" not in html


def _table(rows: int) -> str:
    return "| a | b |\n|---|---|\n" + "| x | *y* |\n" * rows


PATHOLOGICAL = {
    "20,000 [": "[" * 20_000,
    "[a then one ]": "[a" * 9_999 + "]",
    "10,000 footnote references, defined": "x[^1] " * 10_000 + "\n\n[^1]: Kilde.",
    "10,000 footnote references, undefined": "x[^1] " * 10_000,
    "footnote references at the limit": ("x[^1] " * 4_000)[: MARKDOWN_MAX_LENGTH - 20]
    + "\n\n[^1]: Kilde.",
    "300 abbreviations": "".join(f"*[HTML{i}]: Hyper Text {i}\n" for i in range(300))
    + " ".join(f"HTML{i}" for i in range(300)),
    "10,000 nested quotes": ">" * 10_000 + " x",
    "quotes nested a line each": "\n".join(">" * depth + " x" for depth in range(1, 150)),
    "5,000 nested lists": "- " * 5_000 + "x",
    "5,000 nested ordered lists": "1. " * 5_000 + "x",
    "50,000 * openers": "*" * 50_000,
    "* openers at the limit": "*" * MARKDOWN_MAX_LENGTH,
    "*a at the limit": "*a" * (MARKDOWN_MAX_LENGTH // 2),
    "50,000 a with _ between": "_".join("a" * 50_000),
    "_a at the limit": "_a" * (MARKDOWN_MAX_LENGTH // 2),
    "1 MB table": _table(100_000),
    "table at the limit": _table(1_500),
    "a table 5,000 columns wide": "|" + "a|" * 5_000 + "\n|" + "-|" * 5_000 + "\n|" + "x|" * 5_000,
    "link reference chain": "".join(f"[r{i}]: /r{i + 1}\n" for i in range(800))
    + " ".join(f"[x][r{i}]" for i in range(800)),
    "adjacent references": "[a]" * 6_600 + "\n\n[a]: /x",
    "20,000 backticks": "`" * 20_000,
    "backtick runs": "`a``" * 5_000,
    "nested link openers": "[" * 4_000 + "a" + "](b)" * 3_999,
    "20,000 <": "<" * 20_000,
    "20,000 entities": "&#" * 10_000,
}


@pytest.mark.parametrize("source", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_crafted_text_is_refused_or_renders_quickly(source):
    """A guard against super-linear rendering, not a timing test (bench/markdown.py is)."""
    try:
        validate_markdown(source)
    except ValidationError as refused:
        assert refused.code in {"markdown_too_long", "markdown_too_deep"}
    # Refused or not, the text renders in bounded time: forms refuse it, but it may
    # have got into the database before the limit existed.
    _render_markdown.cache_clear()
    started = time.process_time()  # CPU time: a busy machine does not fail the guard
    html = render_markdown(source)
    assert time.process_time() - started < 1.0
    assert_inert(html)


# -- Forms keep what was typed ----------------------------------------------------


@pytest.mark.django_db
def test_section_form_refuses_too_long_text_and_keeps_it():
    section = build_world().section_x
    typed = "Vi skal forebygge. " * (MARKDOWN_MAX_LENGTH // 19 + 1)
    data = {
        "loaded_version": section.edit_version,
        "order": section.order,
        "kind": section.kind,
        "title": section.title,
        "body": typed,
    }
    with translation.override("nb"):
        form = PlanSectionForm(data, instance=section)
        assert not form.is_valid()
        assert form["body"].value() == typed
        assert form.errors["body"][0].startswith("Teksten er ")
        assert form.has_error("body", "markdown_too_long")


@pytest.mark.django_db
def test_too_long_text_is_refused_on_the_edit_page_with_the_input_kept():
    world = build_world()
    section = world.section_x
    original = section.body
    typed = "Første avsnitt.\n\n" + "Ord " * (MARKDOWN_MAX_LENGTH // 4) + "siste ord"
    client = Client()
    client.force_login(world.editor_x)
    response = client.post(
        reverse("plans:section_edit", args=[section.pk]),
        {
            "loaded_version": section.edit_version,
            "order": section.order,
            "kind": section.kind,
            "title": section.title,
            "body": typed,
        },
    )
    assert response.status_code == 400  # the form again, with the message
    html = response.content.decode()
    assert "Teksten er " in html and "tegn lang" in html  # the message, in Norwegian
    assert "siste ord" in html  # what they typed is still in the form
    assert response.context["form"]["body"].value() == typed
    section.refresh_from_db()
    assert section.body == original
