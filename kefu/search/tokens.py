"""Tokens of the ticket search index, the same for documents and queries (pure: no Django).

Chinese has no spaces and its common words have two characters (发票, 退款, 物流), so CJK text
is cut into overlapping character bigrams (the approach of Elasticsearch's CJK analyzer): a
query's bigrams must all be in a document. The last character of every CJK run is kept alone as
well, so a one-character query matches as a prefix of the bigrams or that single character.

Latin words are folded and stemmed with Snowball's English stemmer ("refunds", "refunded" →
"refund"). What must match exactly stays whole: e-mail addresses (plus their local part and
domain), order ids, tracking numbers and error codes (a word with a digit, or words joined by
``-``, ``_``, ``.`` or ``/``, which also yields its parts: "AE-ERR-403" → "ae-err-403", "ae",
"err", "403").

A ticket's filter attributes (status, team, …) are tokens too, ``@field.value``
(``filter_token``): no text yields a token starting with ``@``, so only filters match them, and
the full-text index narrows a filtered search by them.

Tokens never contain spaces, so a document is stored as its tokens joined by spaces; the
database's own tokenizer (FTS5 ``unicode61`` with extra token characters, PostgreSQL
``string_to_array``) only splits on them.

A long body repeats its words: each distinct word, code or CJK run of a text is cut once and its
tokens reused (``_cut``), which makes a 64 KB mail's document several times cheaper; the tokens
are those of every mail of the corpora as pinned (``tests/test_tokens_are_the_known_ones.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from kefu.knowledge.text import STOP_WORDS, fold

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_EMAIL = r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)+"
_WORD = r"[a-z0-9]+(?:[-_./][a-z0-9]+)*"
_TOKEN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<email>{_EMAIL})|(?P<word>{_WORD})")
# The same without its groups, for findall's strings: a CJK run is the one that is not ASCII, an
# e-mail address the one holding @.
_VALUE = re.compile(rf"[{_CJK}]+|{_EMAIL}|{_WORD}")
_PARTS = re.compile(r"[-_./]")
# Characters that may occur inside a token besides letters and digits (FTS5 ``tokenchars``).
TOKEN_CHARS = "-_./@%+"
MAX_TEXT_CHARS = 100_000  # per field: a pasted log says what it is about in its opening
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 24
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def _latin(word: str) -> Iterator[str]:
    """A Latin token: a plain word stemmed; anything with a digit or a joiner whole, and its
    joined parts as words of their own."""
    if word.isalpha():
        if word not in STOP_WORDS:
            yield stem(word)
        return
    yield word
    parts = _PARTS.split(word)
    if len(parts) > 1:
        for part in parts:
            yield from _latin(part)


def _email(address: str) -> Iterator[str]:
    local, domain = address.rsplit("@", 1)
    yield from (address, local, domain)


def _bigrams(run: str) -> Iterator[str]:
    yield from (run[i : i + 2] for i in range(len(run) - 1))
    yield run[-1]


def _cut(value: str) -> tuple[str, ...]:
    """The tokens of one CJK run, e-mail address or word."""
    if not value.isascii():
        return tuple(_bigrams(value))
    return tuple(_email(value) if "@" in value else _latin(value))


def _token_list(text: str) -> list[str]:
    """The index tokens of ``text``, in order (repeats kept: they weigh in ranking)."""
    cut: dict[str, tuple[str, ...]] = {}  # a text's repeated words are cut once
    found: list[str] = []
    for value in _VALUE.findall(fold(text[:MAX_TEXT_CHARS])):
        parts = cut.get(value)
        if parts is None:
            parts = cut[value] = _cut(value)
        found.extend(parts)
    return found


def tokens(text: str) -> Iterator[str]:
    """The index tokens of ``text``, in order (repeats kept: they weigh in ranking)."""
    return iter(_token_list(text))


def document(texts: Iterable[str]) -> str:
    """A field of the index: the tokens of ``texts``, space-joined."""
    return " ".join([token for text in texts for token in _token_list(text)])


def filter_token(field: str, value: object) -> str:
    """The token of a ticket's filter attribute, ``@status.open``; no value is ``none``."""
    return f"@{field}.{'none' if value is None else value}"


@dataclass(frozen=True)
class Term:
    """One thing a query asks for; every term must match. ``prefix``: any token starting
    with ``text`` (a one-character CJK query)."""

    text: str
    prefix: bool = False


def query_terms(query: str) -> tuple[Term, ...]:
    """The terms of a search box query, with the index's tokens: a CJK run becomes its bigrams
    (one character: a prefix), an e-mail address or a code stays whole, words are stemmed."""
    terms: dict[Term, None] = {}
    for match in _TOKEN.finditer(fold(query[:MAX_QUERY_CHARS])):
        kind, value = match.lastgroup, match.group()
        if kind == "cjk" and len(value) == 1:
            terms[Term(value, prefix=True)] = None
        elif kind == "cjk":
            terms.update(dict.fromkeys(Term(value[i : i + 2]) for i in range(len(value) - 1)))
        elif kind == "email":
            terms[Term(value)] = None
        else:  # a code's parts are in every document holding it: the whole code suffices
            terms.update(dict.fromkeys(Term(t) for t in list(_latin(value))[:1]))
    return tuple(terms)[:MAX_QUERY_TERMS]
