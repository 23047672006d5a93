"""mask_sensitive: cards, ID numbers, mobiles and secrets go; order numbers and the like stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.lib.masking import MaskKind, mask_sensitive
from kefu.lib.mime import parse_email

OWN = Path(__file__).resolve().parent / "fixtures" / "emails"


@pytest.mark.parametrize(
    ("text", "masked", "kinds"),
    [
        ("卡号 6222 0212 3456 7894，请退款", "卡号 622202******7894，请退款", [MaskKind.BANK_CARD]),
        ("card 4111-1111-1111-1111 ok", "card 411111******1111 ok", [MaskKind.BANK_CARD]),
        ("Card No.: 4111111111111111", "Card No.: 411111******1111", [MaskKind.BANK_CARD]),
        ("身份证 11010519491231002X 已上传", "身份证 110***********002X 已上传",
         [MaskKind.ID_NUMBER]),
        ("id 440306199001011236", "id 440***********1236", [MaskKind.ID_NUMBER]),
        ("手机 13812345678", "手机 138****5678", [MaskKind.MOBILE]),
        ("call +86 138-1234-5678.", "call +86 138****5678.", [MaskKind.MOBILE]),
        ("tel 0086 139 1234 5678", "tel 0086 139****5678", [MaskKind.MOBILE]),
        ("密码是 Abc12345!，谢谢", "密码是 ******，谢谢", [MaskKind.PASSWORD]),
        ("登录密码：hunter", "登录密码：******", [MaskKind.PASSWORD]),
        ("密码abc123", "密码******", [MaskKind.PASSWORD]),
        ("My password is hunter2.", "My password is ******.", [MaskKind.PASSWORD]),
        ("password: secretpass", "password: ******", [MaskKind.PASSWORD]),
        ("pwd=Xy9!", "pwd=******", [MaskKind.PASSWORD]),
        ("验证码 123456", "验证码 ******", [MaskKind.VERIFICATION_CODE]),
        ("短信验证码为：654321", "短信验证码为：******", [MaskKind.VERIFICATION_CODE]),
        ("短信码：8899", "短信码：******", [MaskKind.VERIFICATION_CODE]),
        ("动态密码 654321", "动态密码 ******", [MaskKind.VERIFICATION_CODE]),
        ("The verification code is 482913.", "The verification code is ******.",
         [MaskKind.VERIFICATION_CODE]),
        ("Your OTP: 99887", "Your OTP: ******", [MaskKind.VERIFICATION_CODE]),
    ],
)  # fmt: skip
def test_sensitive_items_are_masked(text: str, masked: str, kinds: list[MaskKind]) -> None:
    result = mask_sensitive(text)
    assert result.text == masked
    assert list(result.findings) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "工单 KF20251107001 已处理",
        "错误码 AE-ERR-403，HTTP 500",
        "金额 ¥12,345.67，USD 1,234,567.89",
        "订单号 4111111111111111",
        "Order #4111111111111111 shipped",
        "invoice number 4111111111111111",
        "交易流水号 6222021234567894",
        "订单 202511071234567890 没发货",
        "tracking 1Z999AA10123456784",
        "container MSKU1234567, PO-2025-1107",
        "card 4111111111111112 fails Luhn",
        "8888888888888888 is Luhn-valid but no card issuer starts with 8",
        "身份证 110105194912310022 wrong check digit",
        "12345678901 is not a mobile (starts with 12)",
        "我忘记密码了，怎么重置？",
        "password reset link does not work",
        "the password is wrong",
        "验证码收不到",
        "OTP expired",
        "",
    ],
)
def test_ordinary_numbers_and_words_are_left_alone(text: str) -> None:
    result = mask_sensitive(text)
    assert result.text == text
    assert result.findings == ()


def test_masks_everything_in_a_parsed_email() -> None:
    parsed = parse_email((OWN / "sensitive-data.eml").read_bytes())
    result = mask_sensitive(parsed.text)
    for secret in ("6222 0212 3456 7894", "11010519491231002X", "13812345678", "Abc12345",
                   "482913", "4111-1111-1111-1111", "771234"):  # fmt: skip
        assert secret not in result.text
    for kept in ("PO-20251107-88", "¥12,345.67", "AE-ERR-403", "KF20251107001"):
        assert kept in result.text
    assert result.kinds == {MaskKind.BANK_CARD, MaskKind.ID_NUMBER, MaskKind.MOBILE,
                            MaskKind.PASSWORD, MaskKind.VERIFICATION_CODE}  # fmt: skip
    assert len(result.findings) == 7


def test_masking_is_idempotent() -> None:
    once = mask_sensitive("卡 6222021234567894 验证码 123456 手机 13812345678")
    twice = mask_sensitive(once.text)
    assert twice.text == once.text
    assert twice.findings == ()
