"""Text analysis for knowledge-base search (pure: no Django).

Chinese and Japanese have no spaces, most other languages have inflections, and people make
typos, so neither whole words nor whole queries make good search terms. Queries are cut into
terms that substring indexes (SQLite FTS5 trigram, PostgreSQL ``pg_trgm``) can match:

- words of alphabetic scripts (Latin, Cyrillic, Arabic), folded, without the stop words of the
  12 languages, lightly stemmed by script ("refunds" → "refund", "заказов" → "заказ",
  "الاسترداد" → "استرداد"); Arabic is normalised (alef forms, diacritics, tatweel);
- CJK runs (Han, kana, Hangul) as overlapping trigrams, the unit a trigram index stores; a run
  of one or two characters stays whole and is matched with ``LIKE`` because no trigram can
  contain it. Substring matching makes a stem match every inflection that starts with it.

The same terms highlight snippets: escaped text with ``<mark>`` around the matches.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_WORD = rf"[^\W_{_CJK}]+"  # letters and digits of any other script
_TOKEN = re.compile(rf"[{_CJK}]+|{_WORD}(?:[-_.]{_WORD})*")
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
# Function words of the other alphabetic languages, as folded by ``fold``.
_OTHER_STOP_WORDS = (
    # es
    "el la los las un una unos unas de del al y o en con por para que qué como cómo cuando "
    "cuándo donde dónde mi mis su sus es son está están estoy fue ha he hay lo le se me te "
    "nos muy ya pero si sí hola gracias puedo puede quiero necesito tengo "
    # pt
    "o os as um uma do da dos das no na nos nas em e é com para por que como meu minha "
    "meus minhas seu sua não sim foi tem ter estou está olá obrigado obrigada posso quero "
    # fr
    "le les des du au aux et ou en dans sur avec pour par que qui quoi comment quand où "
    "je tu il elle nous vous ils mon ma mes ton ta votre vos est sont suis été ai avez "
    "pas ne ce cette ces un une bonjour merci puis peux veux dois "
    # de
    "der die das den dem des ein eine einen einem einer und oder in im mit für auf von "
    "zu zum zur ist sind bin war hat habe haben ich du er sie es wir ihr mein meine "
    "meinen nicht kein keine wie was wann wo warum kann können muss hallo danke bitte "
    # it
    "il lo gli i le un una di del della dei delle da dal in nel nella con per su che "
    "come quando dove mio mia miei mie è sono ho ha hanno non ciao grazie posso voglio "
    # tr
    "ve veya bir bu şu o ile için de da mi mı mu mü ne nasıl neden nerede ben sen biz "
    "siz benim bana var yok merhaba teşekkürler lütfen nedir "
    # ru
    "и в во на с со по к ко у о об от до из за для не ни но а или что как где когда "
    "почему я ты он она мы вы они мой моя мое моё мои меня мне это этот эта есть был "
    "была было можно нужно здравствуйте привет спасибо пожалуйста ли же бы "
    # ar (normalised: alef forms folded)
    "في من الى علي عن مع هذا هذه ذلك التي الذي ما ماذا كيف متي اين هل لا لم لن ان او "
    "و يا انا نحن انت هو هي كان قد ثم لي مرحبا شكرا"
)
STOP_WORDS = frozenset(_STOP_WORDS.split()) | frozenset(_OTHER_STOP_WORDS.split())
# Chinese function phrases that say nothing about the topic; removed before cutting trigrams.
CJK_STOP_PHRASES = (
    "怎么办", "怎么回事", "为什么", "是什么", "怎么", "什么", "如何", "请问", "一下", "我们",
    "你们", "我的", "可以", "能不能", "是不是", "有没有", "吗", "呢", "吧", "啊", "了", "的",
    "么", "呀", "哦",
)  # fmt: skip
# Japanese question phrases, cut out like the Chinese ones.
JA_STOP_PHRASES = (
    "でしょうか", "ですか", "ますか", "ください", "どうすれば", "どうやって", "どうして",
    "したい", "できません", "ません", "です", "ます", "について",
)  # fmt: skip
_SUFFIXES = ("ing", "ies", "ied", "es", "ed", "ly", "s")
# Russian inflection endings, longest first.
_CYRILLIC_SUFFIXES = (
    "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ться", "ется", "ются", "ать",
    "ять", "ить", "ов", "ев", "ей", "ой", "ый", "ий", "ая", "яя", "ое", "ее", "ые", "ие",
    "ам", "ям", "ах", "ях", "ом", "ем", "ую", "ют", "ет", "ит", "ся", "а", "я", "ы", "и",
    "у", "ю", "е", "о", "ь",
)  # fmt: skip
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ـ": None})
_ARABIC_LETTERS = "".join(map(chr, _ARABIC_FOLD))  # what it changes
_COMBINING = re.compile(r"[\u064b-\u065f\u0670\u0307]")  # Arabic diacritics; the dot of İ


def fold(text: str) -> str:
    """Width- and case-fold: full-width letters and digits become ASCII, upper becomes lower;
    Arabic loses its diacritics and tatweel and writes every alef and final yaa alike."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        return folded
    folded = _COMBINING.sub("", folded)
    # translate() costs per character; one-character searches run at memory speed.
    return folded.translate(_ARABIC_FOLD) if any(c in folded for c in _ARABIC_LETTERS) else folded


def stem(word: str) -> str:
    """A light stem by script: strip one common ending (Latin, Cyrillic) or the Arabic article
    with its prepositions, when a useful stem (≥ 4 letters, Arabic ≥ 3) remains."""
    affixes: tuple[str, ...]
    if "\u0600" <= word[0] <= "\u06ff":
        affixes, keep, at_start = _ARABIC_PREFIXES, 3, True
    elif "\u0400" <= word[0] <= "\u04ff":
        affixes, keep, at_start = _CYRILLIC_SUFFIXES, 4, False
    else:
        affixes, keep, at_start = _SUFFIXES, 4, False
    for affix in affixes:
        if len(word) - len(affix) >= keep:
            if at_start and word.startswith(affix):
                return word[len(affix) :]
            if not at_start and word.endswith(affix):
                return word[: -len(affix)]
    return word


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.match(token))


_CJK_STOP = re.compile("|".join(map(re.escape, (*JA_STOP_PHRASES, *CJK_STOP_PHRASES))))


def _strip_cjk_stop_phrases(run: str) -> list[str]:
    return [part for part in _CJK_STOP.split(run) if part]


def tokens(text: str) -> list[str]:
    """Folded tokens: CJK runs (stop phrases cut out) and other words (stemmed, no stop words)."""
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


def highlight_terms(query: str, is_word: Callable[[str], bool] | None = None) -> list[str]:
    """The query's words: Latin stems, and CJK bigrams (or single characters), used to mark
    snippets and to measure coverage.

    A CJK run of more than two characters is cut into bigrams, unless ``is_word(run)`` says it
    is a word of its own (search asks whether some article contains it whole): then it stays
    whole, since its bigrams found elsewhere belong to other words (保证 of 不保证 is no 保证金).
    """
    terms: dict[str, None] = {}
    for token in tokens(query[:MAX_QUERY_CHARS]):
        if is_cjk(token) and len(token) > 2 and not (is_word and is_word(token)):
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
    # A stem marks the whole word it starts ("declin" marks "declined").
    alternatives = [
        re.escape(t) if is_cjk(t) else re.escape(t) + r"[^\W_]*"
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
