"""Snippets show the best-matching part of an article, escaped, with only <mark> as markup."""

import re

from kefu.knowledge.search import search_articles
from kefu.knowledge.text import snippet

MARKUP = re.compile(r"</?([a-z]+)[^>]*>")


def test_matches_are_marked_and_everything_else_escaped():
    html = snippet('Click <b onclick="x()">Refund</b> & wait for the refunds.', "refund")
    assert "<b" not in html and "&lt;b onclick=&quot;x()&quot;&gt;" in html
    assert "&amp; wait" in html
    assert "<mark>Refund</mark>" in html and "<mark>refunds</mark>" in html
    assert set(MARKUP.findall(html)) == {"mark"}


def test_the_window_moves_to_the_matches_and_chinese_is_marked():
    text = "无关的开头。" * 40 + "退款会在三到五个工作日内原路退回。" + "无关的结尾。" * 40
    html = snippet(text, "退款几天到账")
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>退款</mark>" in html
    assert len(MARKUP.sub("", html)) <= 162


def test_a_snippet_without_matches_is_the_opening():
    assert snippet("Short text.", "zebra") == "Short text."


def test_search_snippets_escape_article_text(make_article):
    make_article(
        "xss", title="Script policy", body="Never paste <script>alert(1)</script> scripts."
    )
    [hit] = search_articles("script policy", "en", 1)
    assert "<script>" not in hit.snippet_html
    assert "&lt;<mark>script</mark>&gt;alert(1)" in hit.snippet_html
    assert set(MARKUP.findall(hit.snippet_html)) == {"mark"}
