"""Masking gives, for every mail of the corpora and every string the tests pass, the output it
gave when it was pinned (``known_texts``): making it faster changed nothing it returns. Its rules'
gates skip only rules that would find nothing, on any mix of keywords, digits and separators."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.lib import masking
from kefu.lib.tests.known_texts import MASKING, assert_mail_as_pinned, load, masked

KNOWN = load(MASKING)


def test_every_mail_of_the_corpora_is_masked_as_pinned() -> None:
    assert_mail_as_pinned(MASKING, masked)


@pytest.mark.parametrize(("text", "output"), KNOWN["strings"])
def test_every_string_of_the_tests_is_masked_as_pinned(text: str, output: list[object]) -> None:
    assert masked(text) == output


# Every literal of the rules' patterns (their Chinese words and English words, as written and
# upper-cased), so that the examples hold each rule's keywords.
_PATTERNS = " ".join(
    value.pattern for value in vars(masking).values() if isinstance(value, re.Pattern)
)
_WORDS = sorted(
    {*re.findall(r"[\u4e00-\u9fff]+", _PATTERNS), *re.findall(r"[A-Za-z/]{2,}", _PATTERNS)}
)
_KEYWORDS = st.sampled_from([*_WORDS, *(word.upper() for word in _WORDS), "+", "+86 ", "(0"])
_GLUE = st.sampled_from([" ", "  ", "-", ".", ":", "：", "=", "(", ")", "\n", "，", "\u3000", "是"])
_DIGITS = st.text("0123456789", min_size=1, max_size=19) | st.text(
    "０１２３４５６７８９", max_size=8
)
_PIECES = (
    st.tuples(_KEYWORDS, _GLUE, _DIGITS).map("".join)
    | _KEYWORDS
    | _GLUE
    | _DIGITS
    | st.sampled_from([text for text, _output in KNOWN["strings"]])
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_gates_skip_only_rules_that_would_find_nothing(text: str) -> None:
    copy, _origin = masking._normalised(text)
    assert masking._hits(copy) == masking._hits(copy, gated=False)


_NUMBERS = ["1234", "917", "12345678", "6222021234567894", "6222 0212 3456 7894", "11010519491231002X",
            "110105491231002", "138-1234-5678", "+44 20 7946 0958", "415.555.0134", "(415) 555-0134",
            "010-62345678", "(0755) 8888 6666", "E12345678", "GB82 WEST 1234 5698 7654 32"]  # fmt: skip


def test_the_gates_skip_no_rule_after_or_before_any_of_its_words() -> None:
    for word in [*_WORDS, *(word.upper() for word in _WORDS)]:
        for glue in (" ", "：", " is ", "是"):
            for number in _NUMBERS:
                for text in (word + glue + number, number + glue + word):
                    copy, _origin = masking._normalised(text)
                    assert masking._hits(copy) == masking._hits(copy, gated=False), text
