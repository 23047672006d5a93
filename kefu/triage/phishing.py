"""Anti-phishing: find an agent reply that asks the customer for a secret. Pure.

The charter: "Support never asks for passwords, bank PINs or verification codes." A public reply
that asks for a password (or PIN), a verification code, or a full card number is blocked before
it is sent. Telling customers *not* to share them, asking for the card's last four digits, or
explaining how to reset a password is fine: a clause is flagged only when a request verb comes
before the secret with no negation between them.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class Secret(StrEnum):
    PASSWORD = "password"
    VERIFICATION_CODE = "verification_code"
    CARD_NUMBER = "card_number"


_SECRETS: dict[Secret, str] = {
    Secret.PASSWORD: r"密码|密碼|口令|支付密码|pin码|\bpass(?:word|code)s?\b|\bpin(?:\s+code)?\b",
    Secret.VERIFICATION_CODE: (
        r"验证码|驗證碼|校验码|动态码|动态密码|短信码|安全码|cvv|cvc|"
        r"\b(?:verification|security|sms|otp|one[- ]time|2fa|auth(?:entication)?|login)\s*"
        r"(?:code|pass(?:code|word))s?\b|\botps?\b"
    ),
    Secret.CARD_NUMBER: (
        r"完整(?:的)?(?:银行)?卡号|全部卡号|(?:银行)?卡号|信用卡号|"
        r"\b(?:full|complete|whole|entire)\s+(?:credit\s+|debit\s+|bank\s+)?card\s+(?:number|no)\b|"
        r"\b(?:credit|debit|bank)?\s*card\s*(?:number|no\.?)s?\b"
    ),
}
_REQUEST = (
    r"提供|发送|發送|发给|發給|发我|发一下|告诉|告訴|告知|回复|回覆|报一下|报给|给我|給我|私信|说一下|"
    r"\b(?:send|give|provide|tell|share|reply|forward|dm|need\s+your|"
    r"let\s+(?:me|us)\s+know|what(?:'s|\s+is|\s+are))\b"
)
# "我们已发送验证码…", "we will send you a code": the sender is us, not the customer.
_OURS = re.compile(
    r"(?:已|已经|我们|我們|系统|系統|将|將|会|會)\s*$|"
    r"\b(?:we|i|system|it)(?:'ll|\s+will|\s+have|\s+already|\s+just|\s+can)?\s+$"
)
_NEGATION = (
    r"不会|不會|不要|切勿|请勿|請勿|勿|绝不|絕不|从不|從不|不得|无需|無需|不用|不必|别|別|禁止|"
    r"\b(?:never|not|don'?t|do\s+not|won'?t|will\s+not|no\s+need|without|nobody|no\s+one)\b"
)
_REQUEST_AFTER = re.compile(
    r"\s*(?:是多少|是什么|是什麼|多少|发(?:送)?(?:给)?(?:我|我们)|告诉(?:我|我们)|给(?:我|我们)|回复给)"
)
# Asking for part of a card is what support should do (the last four digits identify it).
_PARTIAL_CARD = re.compile(
    r"后四位|後四位|后4位|尾号|尾號|末四位|前六位|last\s*(?:4|four)|first\s*(?:6|six)|ending",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[。！？!?;；,，\n]+|(?<=[a-z0-9])\.\s+")
_REQUEST_RE = re.compile(_REQUEST, re.IGNORECASE)
_NEGATION_RE = re.compile(_NEGATION, re.IGNORECASE)
_SECRET_RES = {kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in _SECRETS.items()}
NEGATION_REACH = 24  # characters before the request verb that a negation still governs


def _requested_before(clause: str, at: int) -> bool:
    """A request verb of the customer's comes before the secret, not negated."""
    verbs = [
        verb
        for verb in _REQUEST_RE.finditer(clause, 0, at)
        if not _OURS.search(clause[max(0, verb.start() - 12) : verb.start()])
    ]
    if not verbs:
        return False
    return not _NEGATION_RE.search(clause[max(0, verbs[-1].start() - NEGATION_REACH) : at])


def _requested_after(clause: str, secret: re.Match[str]) -> bool:
    """ "你的密码是多少" / "把验证码发给我": the request follows the secret."""
    return _REQUEST_AFTER.match(clause, secret.end()) is not None and not _NEGATION_RE.search(
        clause[: secret.start()]
    )


def _asks_for(clause: str, kind: Secret) -> bool:
    if kind is Secret.CARD_NUMBER and _PARTIAL_CARD.search(clause):
        return False
    return any(
        _requested_before(clause, secret.start()) or _requested_after(clause, secret)
        for secret in _SECRET_RES[kind].finditer(clause)
    )


def requested_secret(text: str) -> Secret | None:
    """The first kind of secret the text asks the customer for, or None."""
    normalised = unicodedata.normalize("NFKC", text).casefold()
    for clause in _CLAUSE.split(normalised):
        for kind in Secret:
            if _asks_for(clause, kind):
                return kind
    return None
