"""Text analysis for knowledge-base search (pure: no Django).

Chinese has no spaces and English has inflections and typos, so neither whole words nor whole
queries make good search terms. Queries are cut into terms that substring indexes (SQLite FTS5
trigram, PostgreSQL ``pg_trgm``) can match:

- Latin words, folded and lightly stemmed ("refunds", "refunded" → "refund"), without stop words;
- CJK runs as overlapping trigrams, the unit a trigram index stores; a run of one or two
  characters stays whole and is matched with ``LIKE`` because no trigram can contain it.

The same terms highlight snippets: escaped text with ``<mark>`` around the matches.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")
MAX_QUERY_CHARS = 200  # a longer "query" is a pasted message; its opening says what it is about
MAX_TERMS = 40  # bounds the size of the SQL an adversarial query can produce

_STOP_WORDS = (
    "a an and are as at be been but by can could did do does doing for from had has have how "
    "i if in into is it its just me my no not of on or our please so some still than that the "
    "their them then there these they this to too us was we were what whats when where which "
    "who why will with would you your yours hi hello hey thanks thank get got any also going "
    "im ive dont cant isnt wont"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
# Chinese function phrases that say nothing about the topic; removed before cutting trigrams.
CJK_STOP_PHRASES = (
    "怎么办", "怎么回事", "为什么", "是什么", "怎么", "什么", "如何", "请问", "一下", "我们",
    "你们", "我的", "可以", "能不能", "是不是", "有没有", "吗", "呢", "吧", "啊", "了", "的",
    "么", "呀", "哦",
)  # fmt: skip
_SUFFIXES = ("ing", "ies", "ied", "es", "ed", "ly", "s")


def fold(text: str) -> str:
    """Width- and case-fold: full-width letters and digits become ASCII, upper becomes lower."""
    return unicodedata.normalize("NFKC", text).casefold()


def stem(word: str) -> str:
    """A light English stem: strip one common suffix when a useful stem (≥ 4 chars) remains."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.match(token))


def _strip_cjk_stop_phrases(run: str) -> list[str]:
    pattern = "|".join(map(re.escape, CJK_STOP_PHRASES))
    return [part for part in re.split(pattern, run) if part]


def tokens(text: str) -> list[str]:
    """Folded tokens: CJK runs (stop phrases cut out) and Latin words (stemmed, no stop words)."""
    found: list[str] = []
    for token in _TOKEN.findall(fold(text[: MAX_QUERY_CHARS * 2])):
        if is_cjk(token):
            found += _strip_cjk_stop_phrases(token)
        elif token not in STOP_WORDS and (len(token) > 1 or token.isdigit()):
            found.append(stem(token))
    return found


@dataclass(frozen=True)
class QueryTerms:
    """What a query asks for: ``trigram`` terms (≥ 3 chars) and ``short`` terms (1–2 chars)."""

    trigram: tuple[str, ...]
    short: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.trigram or self.short)

    @property
    def all(self) -> tuple[str, ...]:
        return self.trigram + self.short


def query_terms(query: str) -> QueryTerms:
    """Cut a query into terms for substring indexes (see the module docstring)."""
    trigram: dict[str, None] = {}
    short: dict[str, None] = {}
    for token in tokens(query[:MAX_QUERY_CHARS]):
        if len(token) < 3:
            short[token] = None
        elif is_cjk(token):
            trigram.update(dict.fromkeys(token[i : i + 3] for i in range(len(token) - 2)))
        else:
            trigram[token] = None
    short_terms = [term for term in short if not any(term in t for t in trigram)]
    return QueryTerms(tuple(trigram)[:MAX_TERMS], tuple(short_terms)[:MAX_TERMS])


def highlight_terms(query: str) -> list[str]:
    """Terms to mark in snippets: Latin stems, and CJK bigrams (or single characters)."""
    terms: dict[str, None] = {}
    for token in tokens(query[:MAX_QUERY_CHARS]):
        if is_cjk(token) and len(token) > 2:
            terms.update(dict.fromkeys(token[i : i + 2] for i in range(len(token) - 1)))
        elif len(token) > 1 or is_cjk(token):
            terms[token] = None
    return list(terms)[:MAX_TERMS]


# --- Markdown as plain text -----------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


@lru_cache(maxsize=2048)
def plain_text(markdown: str) -> str:
    """The words of a Markdown body without its syntax, one block per line."""
    lines = []
    for token in _MARKDOWN.parse(markdown):
        if token.type == "inline":
            parts = [child.content for child in token.children or () if child.content]
            lines.append("".join(parts).strip())
    return "\n".join(line for line in lines if line)


# --- snippets -------------------------------------------------------------------------------

SNIPPET_CHARS = 160
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def _match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` where any term occurs, case-insensitively."""
    if not terms:
        return []
    # A Latin stem marks the whole word it starts ("declin" marks "declined").
    alternatives = [
        re.escape(t) if is_cjk(t) else re.escape(t) + "[a-z0-9]*"
        for t in sorted(terms, key=len, reverse=True)
    ]
    pattern = re.compile("|".join(alternatives))
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(fold(text)):
        start, end = match.span()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _best_window(spans: list[tuple[int, int]], length: int, width: int) -> int:
    """Start of the ``width``-character window covering the most match characters."""
    best_start, best_cover = 0, -1
    for start, _end in spans:
        window_start = max(0, min(start - width // 5, length - width))
        cover = sum(
            min(e, window_start + width) - max(s, window_start)
            for s, e in spans
            if s < window_start + width and e > window_start
        )
        if cover > best_cover:
            best_start, best_cover = window_start, cover
    return best_start


def snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """Safe HTML: the part of ``text`` that best matches ``query``, escaped, matches marked.

    NFKC folding can change a string's length, so matching runs on a folded copy only when
    that copy has the same length (true for Chinese and ordinary English text).
    """
    text = " ".join(text.split())
    terms = highlight_terms(query)
    spans = _match_spans(text, terms) if len(fold(text)) == len(text) else []
    start = _best_window(spans, len(text), width) if spans else 0
    end = min(len(text), start + width)
    pieces = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        s, e = max(span_start, start), min(span_end, end)
        if s >= e:
            continue
        pieces += [html.escape(text[cursor:s]), MARK_OPEN, html.escape(text[s:e]), MARK_CLOSE]
        cursor = e
    pieces += [html.escape(text[cursor:end]), "…" if end < len(text) else ""]
    return "".join(pieces)
