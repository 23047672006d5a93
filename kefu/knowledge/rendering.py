"""Article bodies from Markdown to safe HTML (pure: no Django).

markdown-it-py renders CommonMark plus pipe tables with raw HTML disabled (it comes out as
text); nh3 then keeps only the elements Markdown produces and safe link schemes, so an
article edited by a careless or compromised admin account cannot carry script into the page.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
_TAG_NAMES = (
    "a blockquote br code em h2 h3 h4 h5 h6 hr li ol p pre strong table tbody td th thead tr"
)
_TAGS = frozenset([*_TAG_NAMES.split(), "ul"])
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "td": {"style"}, "th": {"style"}}
_CLEANER = nh3.Cleaner(
    tags=set(_TAGS),
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    filter_style_properties={"text-align"},
)


@lru_cache(maxsize=1024)
def render_markdown(markdown: str) -> str:
    """Sanitised HTML of ``markdown``; a level-1 heading is shown as level 2 (the page has one)."""
    html = _MARKDOWN.render(markdown).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return _CLEANER.clean(html)
