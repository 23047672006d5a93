"""The search tokens of every mail of the corpora and of every string the tests pass are the
ones pinned (``kefu.lib.tests.known_texts``): making tokenising faster changed no token."""

from __future__ import annotations

import pytest

from kefu.lib.tests.known_texts import TOKENS, assert_mail_as_pinned, load, tokenised

KNOWN = load(TOKENS)


def test_every_mail_of_the_corpora_has_its_pinned_tokens() -> None:
    assert_mail_as_pinned(TOKENS, tokenised)


@pytest.mark.parametrize(("text", "output"), KNOWN["strings"])
def test_every_string_of_the_tests_has_its_pinned_tokens(text: str, output: str) -> None:
    assert tokenised(text) == output
