"""sanitize_html and html_to_text: hostile markup made safe, any markup made readable."""

from __future__ import annotations

from pathlib import Path

from kefu.lib.html import MAX_HTML_CHARS, MAX_NESTING, html_to_text, sanitize_html
from kefu.lib.mime import parse_email

OWN = Path(__file__).resolve().parent / "fixtures" / "emails"


def test_hostile_email_html_is_sanitised() -> None:
    parsed = parse_email((OWN / "html-with-script.eml").read_bytes())
    html = parsed.html or ""
    lowered = html.lower()
    for forbidden in ("<script", "alert(", "onload", "onerror", "javascript:", "<style",
                      "<iframe", "<form", "<input", "<svg", "style=", "http://tracker",
                      "data:image", "document.cookie"):  # fmt: skip
        assert forbidden not in lowered, forbidden
    assert '<a href="https://shop.example/o/778" rel="noopener noreferrer nofollow">' in html
    assert "<b>support</b>" in html


def test_hostile_email_html_renders_as_plain_text() -> None:
    parsed = parse_email((OWN / "html-with-script.eml").read_bytes())
    assert parsed.text == (
        "Hello support,\n\norder status and order 778 (https://shop.example/o/778)\n\nbye"
    )


def test_images_only_from_cid_or_https() -> None:
    html = sanitize_html(
        '<img src="cid:a@b"><img src="https://cdn.example/x.png"><img src="http://x.example/y">'
        '<img src="data:image/png;base64,AA"><img src="//x.example/z"><img src="javascript:1">'
    )
    assert 'src="cid:a@b"' in html
    assert 'src="https://cdn.example/x.png"' in html
    assert html.count("src=") == 2


def test_text_rendering_of_structure() -> None:
    html = (
        "<h1>Title</h1><p>First <b>para</b>graph.<br>Second line</p>"
        "<ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul>"
        '<p>See <a href="https://kefu.example/kb/1">the guide</a> or '
        '<a href="mailto:help@kefu.example">help@kefu.example</a>.</p>'
        "<table><tr><th>SKU</th><th>Qty</th></tr><tr><td>A-1</td><td>3</td></tr></table>"
        "<pre>  line 1\n    line 2</pre><p>&nbsp;&amp; done</p>"
    )
    assert html_to_text(html) == (
        "Title\n\nFirst paragraph.\nSecond line\n\n- one\n- two\n  1. a\n  2. b\n"
        "See the guide (https://kefu.example/kb/1) or help@kefu.example.\n\n"
        "SKU | Qty\nA-1 | 3\n\n  line 1\n    line 2\n& done"
    )


def test_quotes_are_marked_for_the_reply_splitter() -> None:
    text = html_to_text("<p>New</p><blockquote>old<br>older<blockquote>oldest</blockquote>"
                        "</blockquote>")  # fmt: skip
    assert text == "New\n\n> old\n> older\n> > oldest"


def test_malformed_html_never_raises() -> None:
    for html in ("<div><p>unclosed <b>bold <i>x</div></p>", "<<<>>><!-- never closed",
                 "</x y=\"", "<![CDATA[ x", "<head><meta charset=utf-8>text without body",
                 "<table><td>cell<tr>", "&#xFFFFFF; &bogus; &#0;"):  # fmt: skip
        assert isinstance(html_to_text(html), str)
        assert isinstance(sanitize_html(html), str)
    assert html_to_text("<head><meta charset=utf-8>text without body") == "text without body"


def test_huge_html_is_cut_not_choked_on() -> None:
    html = "<p>" + "订单延迟 " * (MAX_HTML_CHARS // 4) + "</p>"
    assert len(html) > MAX_HTML_CHARS
    assert len(html_to_text(html)) <= MAX_HTML_CHARS
    assert len(sanitize_html(html)) <= MAX_HTML_CHARS + 100


def test_absurd_nesting_is_rendered_as_escaped_text() -> None:
    for html in ("<div>" * 50_000 + "<script>x</script>deep & <b>", "<b><i>" * 20_000 + "deep"):
        sanitized = sanitize_html(html)
        assert sanitized.startswith("<pre>") and "deep" in sanitized
        assert "<script" not in sanitized and "<div" not in sanitized
    shallow = "<div>" * (MAX_NESTING - 1) + "ok" + "</div>" * (MAX_NESTING - 1)
    assert sanitize_html(shallow).startswith("<div>")
    assert sanitize_html("<table>" + "<tr><td>cell" * 5_000 + "</table>").startswith("<table>")
