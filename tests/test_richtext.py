from heimplan.text import render_markdown


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
