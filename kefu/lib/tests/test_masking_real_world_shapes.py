"""mask_sensitive over what people really type: full-width digits, spaces and dashes inside
numbers, Chinese and English phrasings, the keyword before or after the secret; and the
look-alikes (order ids, ticket numbers, error codes, dates, amounts) that must stay."""

from __future__ import annotations

import unicodedata

import pytest

from kefu.lib.masking import MaskKind, mask_sensitive
from kefu.lib.tests.masking_shapes import LOOK_ALIKES, SHAPES


def flat(text: str) -> str:
    """What a search for the secret would see: NFKC-folded, spaces and dashes gone."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("-", "")


def test_the_table_has_at_least_forty_shapes() -> None:
    assert len(SHAPES) >= 40
    assert {kind for _, _, kind in SHAPES} == set(MaskKind)


@pytest.mark.parametrize(("text", "secret", "kind"), SHAPES)
def test_each_shape_is_masked(text: str, secret: str, kind: MaskKind) -> None:
    result = mask_sensitive(text)
    assert secret.upper() not in flat(result.text).upper()
    assert kind in result.kinds
    assert len(result.findings) == 1


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_left_alone(text: str) -> None:
    result = mask_sensitive(text)
    assert result.text == text
    assert result.findings == ()


@pytest.mark.parametrize(("text", "secret", "kind"), SHAPES)
def test_masking_a_masked_text_changes_nothing(text: str, secret: str, kind: MaskKind) -> None:
    once = mask_sensitive(text)
    twice = mask_sensitive(once.text)
    assert twice.text == once.text
    assert twice.findings == ()


def test_the_original_text_is_masked_in_place_around_full_width_and_expanding_characters():
    # "…" and "①" grow under NFKC; the full-width comma and colon do not: the map back to the
    # original must hold either way, and everything that is not a secret stays as typed.
    text = "①请退款……卡号：６２２２ ０２１２ ３４５６ ７８９４，验证码：５５１１７７，谢谢！"
    result = mask_sensitive(text)
    assert result.text == "①请退款……卡号：622202******7894，验证码：******，谢谢！"
    assert list(result.findings) == [MaskKind.BANK_CARD, MaskKind.VERIFICATION_CODE]


def test_several_shapes_in_one_message_are_each_masked() -> None:
    text = "\n".join(shape for shape, _, _ in SHAPES)
    result = mask_sensitive(text)
    folded = flat(result.text).upper()
    for _, secret, _ in SHAPES:
        if len(secret) >= 6:  # short codes are checked line by line below
            assert secret.upper() not in folded, secret
    for line, (_, secret, _) in zip(result.text.splitlines(), SHAPES, strict=True):
        assert secret.upper() not in flat(line).upper(), line
    assert len(result.findings) == len(SHAPES)
