"""Article Markdown renders to safe HTML (pure)."""

from kefu.knowledge.rendering import render_markdown


def test_markdown_features_render():
    html = render_markdown(
        "## Steps\n1. **Open** [orders](https://example.com)\n\n| a |\n|---|\n| b |"
    )
    assert "<h2>Steps</h2>" in html and "<strong>Open</strong>" in html and "<table>" in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_raw_html_scripts_and_bad_links_are_neutralised():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n'
        "[click](javascript:alert(1)) [mail](mailto:service@example.com)"
    )
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html
    assert 'href="mailto:service@example.com"' in html


def test_a_level_one_heading_becomes_level_two():
    assert render_markdown("# Title") == "<h2>Title</h2>\n"
