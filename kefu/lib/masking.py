"""Mask sensitive data before anything is stored: bank cards, PRC ID numbers, mobile numbers,
passwords and verification codes (the charter: "sensitive data is masked").

Rules, chosen so that agents can still tell which card or phone a customer means:

- bank card (13–19 digits, optionally grouped by spaces or dashes; Luhn-valid; a known issuer
  prefix): first 6 and last 4 digits kept — ``622202******1234``;
- PRC resident ID (18 characters, valid birth date and ISO 7064 check digit, ``X`` allowed):
  first 3 and last 4 kept — ``110***********123X``; the region code and birth date are exactly
  what identity thieves need, so they go;
- mainland mobile (``1[3-9]`` + 9 digits, optional ``+86``/``0086``): first 3 and last 4 kept;
- passwords and verification codes after a keyword in Chinese or English (``密码是 …``,
  ``password: …``, ``验证码 123456``, ``OTP 1234``): the secret is replaced entirely by ``******``.

Digit runs that follow an order / waybill / invoice keyword are never treated as cards, and
ticket numbers (``KF…``), error codes (``AE-ERR-403``) and amounts never match at all.  All
patterns are compiled once; ``mask_sensitive`` is a few regex passes over the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

SECRET_PLACEHOLDER = "******"


class MaskKind(StrEnum):
    BANK_CARD = "bank_card"
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    PASSWORD = "password"
    VERIFICATION_CODE = "verification_code"


@dataclass(frozen=True)
class Masked:
    """The masked text and one finding per masked occurrence (for flags and ticket events)."""

    text: str
    findings: tuple[MaskKind, ...]

    @property
    def kinds(self) -> frozenset[MaskKind]:
        return frozenset(self.findings)


_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

_CODE_KEYWORD = re.compile(
    r"(?P<key>(?:短信)?(?:验证码|驗證碼|校验码|校驗碼|动态码|動態碼|动态密码|動態密碼|短信码|"
    r"提取码|授权码|授權碼|安全码|安全碼)"
    r"|\b(?:verification|verify|security|auth(?:entication)?|sms|login|2fa|mfa)\s+code\b"
    r"|\bone[-\s]?time\s+(?:code|pass(?:word|code))\b|\botp\b)"
    r"(?P<sep>[\s:：=]*(?:是|为|為|is|was)?[\s:：=]*)"
    r"(?P<secret>[A-Za-z0-9]{4,12})" + _NOT_ALNUM_AFTER,
    re.IGNORECASE,
)
_PASSWORD_KEYWORD = re.compile(
    r"(?P<key>密码|密碼|口令|pin码|PIN碼|\b(?:password|passwd|pwd|passcode|pin(?:\s+code)?)\b)"
    r"(?P<sep>\s*(?:是|为|為|is|was)?\s*[:：=]?\s*)"
    r"(?P<secret>[!-~]{1,64})",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;)]}'\"。"
_ID_NUMBER = re.compile(
    _NOT_ALNUM_BEFORE
    + r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"
    + _NOT_ALNUM_AFTER
)
_CARD = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{5}"
    r"|\d{6}[ -]\d{7,13})" + _NOT_ALNUM_AFTER
)
_CARD_ISSUER = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[0457-8]|35|6[0245]|62|9[45])")
_NOT_A_CARD_CONTEXT = re.compile(
    r"(?:订单|訂單|单|單|运单|運單|物流|快递|快遞|发票|發票|流水|交易|编|編|"
    r"\b(?:order|tracking|waybill|invoice|awb|po|sku|shipment))"
    r"(?:\s*(?:号|號|no\.?|number|num|id|#))?[\s:：#.]*$",
    re.IGNORECASE,
)
_MOBILE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?P<prefix>(?:\+|00)86[ -]?)?(?P<number>1[3-9]\d(?:[ -]?\d{4}){2})"
    + _NOT_ALNUM_AFTER
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_QUICK_CHECK = re.compile(r"\d{4}|密|口令|码|碼|pass|pwd|pin|otp|code", re.IGNORECASE)


def mask_sensitive(text: str) -> Masked:
    """Mask every sensitive item in ``text``; return the masked text and what was found."""
    if not text or not _QUICK_CHECK.search(text):
        return Masked(text or "", ())
    findings: list[MaskKind] = []
    for mask in (_mask_codes, _mask_passwords, _mask_ids, _mask_cards, _mask_mobiles):
        text = mask(text, findings.append)
    return Masked(text, tuple(findings))


Report = Callable[[MaskKind], None]


def _mask_codes(text: str, report: Report) -> str:
    def replace(match: re.Match[str]) -> str:
        if not any(char.isdigit() for char in match["secret"]):
            return match.group(0)  # "验证码 收不到" / "OTP expired": no code here
        report(MaskKind.VERIFICATION_CODE)
        return match["key"] + match["sep"] + SECRET_PLACEHOLDER

    return _CODE_KEYWORD.sub(replace, text)


def _mask_passwords(text: str, report: Report) -> str:
    def replace(match: re.Match[str]) -> str:
        secret = match["secret"].rstrip(_TRAILING_PUNCTUATION)
        if secret == SECRET_PLACEHOLDER or not _looks_like_password(match["sep"], secret):
            return match.group(0)
        report(MaskKind.PASSWORD)
        tail = match["secret"][len(secret) :]
        return match["key"] + match["sep"] + SECRET_PLACEHOLDER + tail

    return _PASSWORD_KEYWORD.sub(replace, text)


def _looks_like_password(separator: str, secret: str) -> bool:
    """``:``/``=``/``是`` promise a secret; "password is wrong" or "password reset" do not."""
    if not secret:
        return False
    if any(char in separator for char in ":：=是为為"):
        return True
    return any(not char.isalpha() for char in secret)


def _mask_ids(text: str, report: Report) -> str:
    def replace(match: re.Match[str]) -> str:
        value = match.group(0)
        if not _id_checksum_ok(value):
            return value
        report(MaskKind.ID_NUMBER)
        return value[:3] + "*" * 11 + value[-4:]

    return _ID_NUMBER.sub(replace, text)


def _id_checksum_ok(value: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def _mask_cards(text: str, report: Report) -> str:
    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"[ -]", "", match.group(0))
        before = text[max(0, match.start() - 16) : match.start()]
        if not (13 <= len(digits) <= 19 and _luhn_ok(digits) and _CARD_ISSUER.match(digits)):
            return match.group(0)
        if _NOT_A_CARD_CONTEXT.search(before):
            return match.group(0)
        report(MaskKind.BANK_CARD)
        return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]

    return _CARD.sub(replace, text)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_mobiles(text: str, report: Report) -> str:
    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"[ -]", "", match["number"])
        report(MaskKind.MOBILE)
        return (match["prefix"] or "") + digits[:3] + "****" + digits[-4:]

    return _MOBILE.sub(replace, text)
