"""HTML from outside (email bodies, pasted rich text): sanitising and a readable text rendering.

``sanitize_html`` uses nh3 (ammonia) with a deliberately small allow-list: no scripts, styles,
forms, frames, event handlers or ``style`` attributes (CSS can exfiltrate through ``url()``), no
``javascript:`` links, and images only from ``cid:`` (parts of the same mail) or ``https:``.

``html_to_text`` renders paragraphs, line breaks, lists, quotes, tables and links (as
``text (url)``) with the stdlib tokenizer, which never raises on malformed markup.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import nh3

MAX_HTML_CHARS = 2_000_000  # bigger bodies are cut: no customer writes two million characters
MAX_NESTING = 500  # real mail (Outlook tables in tables) stays far below this

_TAG_NAMES = (
    "a abbr b bdi bdo blockquote br caption center cite code col colgroup dd del details dfn div "
    "dl dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s "
    "samp small span strike strong sub summary sup table tbody td tfoot th thead time tr tt u "
    "ul var wbr"
)
_TAGS = frozenset(_TAG_NAMES.split())
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "font": {"color"},
    "*": {"dir", "lang"},
}
_IMAGE_SCHEMES = ("cid:", "https:")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
# Void elements, and elements the parser closes implicitly (an unclosed <td> does not nest).
_NOT_NESTING = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup",
     "thead", "tbody", "tfoot", "colgroup", "rt", "rp")
)  # fmt: skip


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.strip().lower().startswith(_IMAGE_SCHEMES) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(_TAGS),
    clean_content_tags={"script", "style", "title", "noscript", "template", "xmp"},
    attributes=_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https", "mailto", "cid", "tel"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Safe-to-display HTML: allow-listed tags and attributes only, dangerous URLs removed.

    Absurdly deep nesting (the sanitiser's tree builder is quadratic in depth, so 20,000 nested
    ``<div>`` cost seconds) is not worth rendering: such HTML becomes its escaped text rendering.
    """
    html = html[:MAX_HTML_CHARS]
    if _nesting_depth(html) > MAX_NESTING:
        return "<pre>" + escape(html_to_text(html)) + "</pre>"
    return _CLEANER.clean(html)


def _nesting_depth(html: str) -> int:
    """Deepest element nesting, counting only tags that the HTML parser does not close itself."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if self_closing or name.lower() in _NOT_NESTING:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            break
    return deepest


# --- HTML to text ----------------------------------------------------------------------------

_BLOCK_TAG_NAMES = (
    "address article aside blockquote center dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody "
    "tfoot thead tr ul"
)
_BLOCK_TAGS = frozenset(_BLOCK_TAG_NAMES.split())
_SKIPPED_TAGS = frozenset(
    ("script", "style", "title", "noscript", "template", "xmp", "svg", "object")
)
_VOID_SKIPPED = frozenset({"meta", "link", "base"})
_INLINE_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


class _TextRenderer(HTMLParser):
    """Collects text lines; block tags start new lines, ``<br>`` breaks, lists get markers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.marker = ""  # list-item marker of the line being built, kept out of stripping
        self.skip_depth = 0
        self.pre_depth = 0
        self.quote_depth = 0
        self.lists: list[list[int]] = []  # per open list: [is_ordered, next number]
        self.link: tuple[str, int] | None = None  # (href, length of text before the link)

    # structure --------------------------------------------------------------------------------
    def _flush(self) -> None:
        line = "".join(self.current)
        if not self.pre_depth:
            line = line.strip()
        if line:
            line = "> " * self.quote_depth + self.marker + line
        self.current = []
        self.marker = ""
        if line or (self.lines and self.lines[-1] != ""):
            self.lines.append(line)

    def _break(self) -> None:
        if self.current:
            self._flush()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skip_depth += 1
            return
        if self.skip_depth or tag in _VOID_SKIPPED:
            return
        if tag == "br":
            self._flush()
        elif tag in _BLOCK_TAGS:
            self._open_block(tag, attrs)
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", len("".join(self.current)))
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.current.append(f"[{alt}]")
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")

    def _open_block(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break()
        if tag == "blockquote":
            self.quote_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        elif tag in ("ul", "ol"):
            start = dict(attrs).get("start") or "1"
            self.lists.append([tag == "ol", int(start) if start.isdigit() else 1])
        elif tag == "li":
            self.marker = self._list_marker()
        elif tag == "hr":
            self.lines.append("-" * 20)

    def _list_marker(self) -> str:
        if not self.lists:
            return "- "
        ordered, number = self.lists[-1]
        if not ordered:
            return "  " * (len(self.lists) - 1) + "- "
        self.lists[-1][1] = number + 1
        return "  " * (len(self.lists) - 1) + f"{number}. "

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag == "a":
            self._close_link()
        elif tag in _BLOCK_TAGS:
            self._break()
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            elif tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"):
                self.lines.append("")

    def _close_link(self) -> None:
        if self.link is None:
            return
        href, start = self.link
        self.link = None
        label = "".join(self.current)[start:].strip()
        target = href.strip()
        shown = target.removeprefix("mailto:")
        useful = target and not target.lower().startswith(("javascript:", "data:", "#", "cid:"))
        if useful and label not in (shown, target):
            self.current.append(f" ({target})")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            for index, piece in enumerate(data.split("\n")):
                if index:
                    self._flush()
                self.current.append(piece)
            return
        text = _INLINE_SPACE.sub(" ", data)
        if text.strip() or (self.current and not self.current[-1].endswith(" ")):
            self.current.append(text)

    def result(self) -> str:
        self._break()
        text = "\n".join(line.rstrip() for line in self.lines)
        return _MANY_BLANK_LINES.sub("\n\n", text).strip()


def html_to_text(html: str) -> str:
    """Readable plain text for an HTML document or fragment; never raises on bad markup."""
    renderer = _TextRenderer()
    try:
        renderer.feed(html[:MAX_HTML_CHARS])
        renderer.close()
    except (AssertionError, ValueError):  # the tokenizer's rare internal complaints
        pass
    return renderer.result()
