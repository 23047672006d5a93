"""Repeated and empty messages. Pure.

``similarity`` compares two messages as a customer repeats them: case, width, spacing and
punctuation do not matter, and only the opening (where a repeat is recognisable) is compared,
which bounds the cost; the comparable forms of the last few hundred openings are kept, as a
busy sender's latest messages are compared with each new one. ``is_near_empty`` tells messages
that say nothing (emoji, punctuation, a bare greeting) from short real ones ("退款", "refund?").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

COMPARE_CHARS = 2000
DUPLICATE_SIMILARITY = 90.0  # rapidfuzz ratio, 0-100

_NOISE = re.compile(r"[\W_]+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# Greetings and fillers that carry no request by themselves.
_FILLER_WORDS = """
hi hello hey hallo hola yo test testing ping ok okay thanks thank you thx help please in there
anyone anybody is here someone 你好 您好 在吗 在嗎 在不在 有人吗 有人嗎 有人在吗 哈喽 哈囉 嗨 喂
您好在吗 你好在吗 谢谢 谢了 请问 亲 亲在吗 客服 客服在吗 人工
"""
_FILLERS = frozenset(_FILLER_WORDS.split())


def comparable(text: str) -> str:
    return _comparable(text[: COMPARE_CHARS * 2])


@lru_cache(maxsize=512)
def _comparable(opening: str) -> str:
    return _NOISE.sub(" ", unicodedata.normalize("NFKC", opening).casefold())[
        :COMPARE_CHARS
    ].strip()


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """0-100: how alike two messages are, ignoring case, spacing and punctuation (0 below
    ``cutoff``, which is quicker to tell)."""
    left, right = comparable(a), comparable(b)
    if not left or not right:
        return 100.0 if left == right else 0.0
    return float(fuzz.ratio(left, right, score_cutoff=cutoff))


def is_repeat(a: str, b: str) -> bool:
    return similarity(a, b, DUPLICATE_SIMILARITY) >= DUPLICATE_SIMILARITY


def is_near_empty(text: str) -> bool:
    """No letters or digits at all (emoji, punctuation), or only greetings and fillers."""
    if not _LETTER_OR_DIGIT.search(text):
        return True
    words = comparable(text).split()
    return all(word in _FILLERS for word in words)
