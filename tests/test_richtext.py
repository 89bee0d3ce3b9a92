import pytest
from django.core.exceptions import ValidationError

from core.text import render_markdown, validate_markdown


def test_markdown_is_rendered():
    html = render_markdown("# Mål\n\nVi skal *forebygge*.\n\n- en\n- to")
    assert "<em>forebygge</em>" in html
    assert "<li>en</li>" in html


def test_script_tags_are_removed():
    html = render_markdown("Hei <script>alert('x')</script> du")
    assert "<script" not in html
    assert "alert(" not in html or "&lt;" in html


def test_javascript_links_are_made_inert():
    html = render_markdown('[klikk](javascript:alert(1)) og <a href="javascript:alert(2)">her</a>')
    assert "javascript:" not in html


def test_event_handlers_and_iframes_are_removed():
    html = render_markdown(
        '<img src=x onerror="alert(1)"><iframe src="https://example.com"></iframe>'
    )
    assert "onerror" not in html
    assert "<iframe" not in html


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
    with pytest.raises(ValidationError) as refused:
        validate_markdown(_deeply_nested_list())
    assert refused.value.code == "markdown_too_deep"
