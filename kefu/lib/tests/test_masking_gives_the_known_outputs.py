"""Masking gives, for every mail of the corpora and every string the tests pass, the output it
gave when it was pinned (``known_texts``): making it faster changed nothing it returns."""

from __future__ import annotations

import pytest

from kefu.lib.tests.known_texts import MASKING, compare_mail, load, masked

KNOWN = load(MASKING)


def test_every_mail_of_the_corpora_is_masked_as_pinned() -> None:
    pinned, now = compare_mail(KNOWN["mail"], masked)
    assert pinned  # Kefu's own fixtures at least
    assert now == pinned


@pytest.mark.parametrize(("text", "output"), KNOWN["strings"])
def test_every_string_of_the_tests_is_masked_as_pinned(text: str, output: list[object]) -> None:
    assert masked(text) == output
