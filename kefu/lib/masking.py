"""Mask sensitive data before anything is stored: bank cards and accounts, IBANs, PRC ID and
passport numbers, phone numbers, card security codes, passwords and verification codes (the
charter: "sensitive data is masked").

People type these every way a keyboard allows: full-width digits from a Chinese IME
(``６２２２ ０２１２…``), spaces and dashes inside numbers, the keyword before or after the secret
(``验证码 551177`` / ``551177是您的验证码``). So detection runs on an NFKC-normalised copy of the
text (full-width forms become ASCII, ``…`` three dots) with a map from each copied character back
to the original one; every finding is then masked in the original text, in place.

Rules, chosen so that agents can still tell which card or phone a customer means:

- bank card (13–19 digits, optionally grouped by spaces or dashes; Luhn-valid; a known issuer
  prefix): first 6 and last 4 digits kept — ``622202******1234``;
- PRC resident ID, 18 characters (valid birth date and ISO 7064 check digit, ``X`` allowed) or
  the older 15 digits (valid province and birth date): first 3 and last 4 kept; the region code
  and birth date are exactly what identity thieves need, so they go;
- mobile and other phone numbers (mainland ``1[3-9]…``, ``+1 (415) 555-0134``, ``415-555-0134``,
  ``+44 20 7946 0958``, ``010-12345678``): the country code, first 3 and last 4 digits kept;
- IBAN (mod-97 valid): country, check digits and last 4 kept;
- after a keyword only, because bare they look like any other number: bank account numbers
  (``银行账号``, ``account no.``: last 4 kept), passport numbers (``护照号``, ``passport no.``:
  first and last 3 kept), card security codes (``CVV``, ``安全码``), passwords (``密码是 …``,
  ``password: …``) and verification codes (``验证码 123456``, ``code 551177``, ``OTP 1234``):
  the secret is replaced entirely by ``******``.

Digit runs that follow an order / waybill / invoice keyword are never treated as cards or IDs,
``code`` after ``error``/``zip``/``promo``… is not a verification code, and ticket numbers
(``KF…``), order ids (``PO-2026-0001``), error codes (``AE-ERR-403``), dates and amounts never
match at all. All patterns are compiled once; the module is pure Python (no Django).

Speed: a long body (a pasted log, a 64 KB mail) must not pay fourteen full regex scans (the
patterns start with a look-behind, so the engine tries each at every position). Each rule has a
gate, keywords or a shape of digits that every one of its matches contains, found by plain
substring search (``_Gate``); a rule whose gate stays shut is not run. Gates only skip work: the
output is what the rules alone give (pinned on the corpora by
``tests/test_masking_gives_the_known_outputs.py``, and compared with every rule run).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

SECRET_PLACEHOLDER = "******"


class MaskKind(StrEnum):
    BANK_CARD = "bank_card"
    BANK_ACCOUNT = "bank_account"
    IBAN = "iban"
    ID_NUMBER = "id_number"
    PASSPORT = "passport"
    MOBILE = "mobile"
    PHONE = "phone"
    CVV = "cvv"
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


@dataclass(frozen=True)
class _Hit:
    """``start:end`` of the normalised copy is to be replaced by ``replacement``."""

    start: int
    end: int
    replacement: str
    kind: MaskKind


_Detector = Callable[[str], Iterator[_Hit]]

# --- normalisation ------------------------------------------------------------------------------

# What NFKC does to full-width ASCII and the ideographic space, one character for one: the common
# case (a Chinese IME) keeps every position and needs no map.
_NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WIDE = re.compile("[\uff01-\uff5e\u3000]")  # translate() costs per character: only when needed
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _normalised(text: str) -> tuple[str, list[int] | None]:
    """The NFKC form of ``text`` (character by character) and, when its positions differ, the
    index in ``text`` of each character of the copy (None: the same positions)."""
    narrow = text.translate(_NARROW) if _WIDE.search(text) else text
    if narrow.isascii() or unicodedata.is_normalized("NFKC", narrow):
        return narrow, None
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for run in _NON_ASCII_RUN.finditer(narrow):
        parts.append(narrow[position : run.start()])
        origin.extend(range(position, run.start()))
        if unicodedata.is_normalized("NFKC", run.group()):
            parts.append(run.group())
            origin.extend(range(run.start(), run.end()))
        else:  # only runs holding e.g. "…" or "①" pay for the per-character walk
            for index in range(run.start(), run.end()):
                folded = unicodedata.normalize("NFKC", narrow[index])
                parts.append(folded)
                origin.extend([index] * len(folded))
        position = run.end()
    parts.append(narrow[position:])
    origin.extend(range(position, len(narrow)))
    return "".join(parts), origin


# --- the public function ------------------------------------------------------------------------

# Every rule needs three digits in a row or a password keyword; most messages have neither.
_QUICK_CHECK = re.compile(r"\d{3}|密|口令|pass|pwd|pin", re.IGNORECASE)


def mask_sensitive(text: str) -> Masked:
    """Mask every sensitive item in ``text``; return the masked text and what was found."""
    if not text or not _QUICK_CHECK.search(text):
        return Masked(text or "", ())
    copy, origin = _normalised(text)
    hits = _hits(copy)
    if not hits:
        return Masked(text, ())
    return Masked(_apply(text, hits, origin), tuple(hit.kind for hit in hits))


def _overlaps(hit: _Hit, taken: list[_Hit]) -> bool:
    return any(hit.start < other.end and other.start < hit.end for other in taken)


def _apply(text: str, hits: list[_Hit], origin: list[int] | None) -> str:
    """Replace each hit's characters of the original ``text`` (through the position map)."""
    pieces: list[str] = []
    position = 0
    for hit in hits:
        start = hit.start if origin is None else origin[hit.start]
        end = hit.end if origin is None else origin[hit.end - 1] + 1
        pieces.extend((text[position:start], hit.replacement))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


# --- shared pieces ------------------------------------------------------------------------------

_FLAGS = re.IGNORECASE | re.ASCII  # the copy is normalised: ASCII digits and spaces
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_W0, _W1 = r"(?<![A-Za-z])", r"(?![A-Za-z])"  # English words next to Chinese have no \b
# Between a keyword and its secret: "：", " is ", "为", "=" …
_SEP = r"(?P<sep>[\s:=#]*(?:是|为|為|is|was|are)?[\s:=#]*)"
_NOT_A_NUMBER_CONTEXT = re.compile(
    r"(?:订单|訂單|单|單|运单|運單|物流|快递|快遞|发票|發票|流水|交易|编|編|"
    r"(?<![A-Za-z])(?:order|tracking|waybill|invoice|awb|po|sku|shipment|ref(?:erence)?))"
    r"(?:\s*(?:号|號|no\.?|number|num|id|#))?[\s:#.]*$",
    _FLAGS,
)


def _in_number_context(copy: str, start: int) -> bool:
    """Order, waybill and invoice numbers are not cards or IDs, whatever their digits."""
    return bool(_NOT_A_NUMBER_CONTEXT.search(copy[max(0, start - 16) : start]))


def _digits(value: str) -> str:
    return "".join(char for char in value if char.isdigit())


def _secret_hits(
    pattern: re.Pattern[str], kind: MaskKind, accept: Callable[[str, re.Match[str]], bool]
) -> _Detector:
    """A keyword rule: the ``secret`` group of each accepted match becomes ``******``."""

    def detect(copy: str) -> Iterator[_Hit]:
        for match in pattern.finditer(copy):
            secret = match["secret"]
            if secret.strip("*") and accept(copy, match):
                yield _Hit(match.start("secret"), match.end("secret"), SECRET_PLACEHOLDER, kind)

    return detect


# --- verification codes, card security codes, passwords -----------------------------------------

_CODE_WORDS_ZH = (
    r"(?:短信|手机|手機|登录|登錄|动态|動態|安全)?(?:验证码|驗證碼|校验码|校驗碼|动态码|動態碼|"
    r"动态密码|動態密碼|短信码|提取码|授权码|授權碼|激活码|激活碼|确认码|確認碼|安全码|安全碼)"
)
_CODE_WORDS_EN = (
    _W0 + r"(?:(?:verification|verify|security|auth(?:entication|orization)?|sms|login|2fa|mfa"
    r"|activation|access)\s+code|one[-\s]?time\s+(?:code|pass(?:word|code))|otp|code)" + _W1
)
_CODE_AFTER_KEYWORD = re.compile(
    rf"(?P<key>{_CODE_WORDS_ZH}|{_CODE_WORDS_EN}){_SEP}(?P<secret>[A-Za-z0-9]{{4,12}})"
    + _NOT_ALNUM_AFTER,
    _FLAGS,
)
_CODE_BEFORE_KEYWORD = re.compile(
    _NOT_ALNUM_BEFORE + r"(?P<secret>\d{4,8})\s*[)）]?\s*(?:(?:是|为|為|就是)\s*(?:您|你|我)?的?"
    r"\s*(?:本次)?" + _CODE_WORDS_ZH + r"|is\s+(?:your|my|the)\s+(?:[a-z-]+\s+){0,2}"
    r"(?:code|otp|passcode)" + _W1 + ")",
    _FLAGS,
)
# "error code 5001", "zip code 94105", "promo code 2026": a "code" that is not a secret.
_NOT_A_SECRET_CODE = re.compile(
    r"(?<![A-Za-z])(?:error|err|status|zip|postal|post|area|country|dial|promo|coupon|discount|"
    r"voucher|product|item|hs|tariff|swift|sort|bank|reason|return|http|response|exit|source|"
    r"qr|bar|invoice|tracking|order|shipment|shipping|sku|region|city|tax|currency|class|fault|"
    r"event|result|ref(?:erence)?|错误|錯誤|邮政|郵政)[\s_-]*$",
    _FLAGS,
)


def _is_code(copy: str, match: re.Match[str]) -> bool:
    secret = match["secret"]
    if not any(char.isdigit() for char in secret):
        return False  # "验证码 收不到" / "OTP expired": no code here
    if match["key"].lower() != "code":
        return True
    # Bare "code" is a secret only as 4–8 digits, and not as an error, zip or promo code.
    before = copy[max(0, match.start() - 20) : match.start()]
    return secret.isdigit() and len(secret) <= 8 and not _NOT_A_SECRET_CODE.search(before)


_CVV = re.compile(
    r"(?P<key>" + _W0 + r"(?:cvv2?|cvc2?|cvn2?|csc|card\s+(?:verification|security)"
    r"(?:\s+(?:value|code|number))?|security\s+code)" + _W1 + r"|安全码|安全碼|"
    r"(?:卡)?背面的?(?:后|後)?(?:三|3)位(?:数字|數字|数|數)?)"
    r"(?:码|碼|号|號)?" + _SEP + r"(?P<secret>\d{3,4})" + _NOT_ALNUM_AFTER,
    _FLAGS,
)
_PASSWORD_KEYWORD = re.compile(
    r"(?P<key>密码|密碼|口令|pin码|PIN碼|"
    + _W0
    + r"(?:password|passwd|pwd|passcode|pin(?:\s+code)?)"
    + _W1
    + r")(?P<sep>\s*(?:是|为|為|is|was)?\s*[:=]?\s*)(?P<secret>[!-~]{1,64})",
    _FLAGS,
)
_TRAILING_PUNCTUATION = ".,;)]}'\""


def _passwords(copy: str) -> Iterator[_Hit]:
    for match in _PASSWORD_KEYWORD.finditer(copy):
        secret = match["secret"].rstrip(_TRAILING_PUNCTUATION)
        if secret.strip("*") and _looks_like_password(match["sep"], secret):
            start = match.start("secret")
            yield _Hit(start, start + len(secret), SECRET_PLACEHOLDER, MaskKind.PASSWORD)


def _looks_like_password(separator: str, secret: str) -> bool:
    """``:``/``=``/``是`` promise a secret; "password is wrong" or "password reset" do not."""
    if not secret:
        return False
    if any(char in separator for char in ":=是为為"):
        return True
    return any(not char.isalpha() for char in secret)


# --- passports, IBANs, bank accounts ------------------------------------------------------------

_PASSPORT = re.compile(
    r"(?:(?:护照|護照)(?:号码|號碼|号|號|编号|編號|no\.?)?|"
    + _W0
    + r"passport(?:\s*(?:no\.?|number|num|#|id))?)"
    + _SEP
    + r"(?P<secret>[A-Z]{0,2}\d{6,9})"
    + _NOT_ALNUM_AFTER,
    _FLAGS,
)


def _passports(copy: str) -> Iterator[_Hit]:
    for match in _PASSPORT.finditer(copy):
        secret = match["secret"]
        masked = secret[0] + "*" * (len(secret) - 4) + secret[-3:]
        yield _Hit(match.start("secret"), match.end("secret"), masked, MaskKind.PASSPORT)


_IBAN = re.compile(
    _NOT_ALNUM_BEFORE
    + r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?"
    + _NOT_ALNUM_AFTER,
    re.ASCII,
)


def _ibans(copy: str) -> Iterator[_Hit]:
    for match in _IBAN.finditer(copy):
        compact = match.group().replace(" ", "")
        if 15 <= len(compact) <= 34 and _iban_ok(compact):
            masked = compact[:4] + "*" * (len(compact) - 8) + compact[-4:]
            yield _Hit(match.start(), match.end(), masked, MaskKind.IBAN)


def _iban_ok(compact: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, letters as 10–35, mod 97 = 1."""
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


_ACCOUNT = re.compile(
    r"(?:(?:银行|銀行|收款|对公|對公|开户|開戶|结算|結算)?(?:账号|帳號|賬號|帐号|账户|帳戶|賬戶|卡号|卡號)"
    r"|"
    + _W0
    + r"(?:(?:bank\s+)?account\s*(?:no\.?|number|num|#)|acct\.?(?:\s*(?:no\.?|number|#))?"
    r"|a/c(?:\s*no\.?)?|bank\s+account|routing\s+(?:no\.?|number))"
    + _W1
    + r")"
    + _SEP
    + r"(?P<secret>\d(?:[ -]?\d){7,29})"
    + _NOT_ALNUM_AFTER,
    _FLAGS,
)


def _accounts(copy: str) -> Iterator[_Hit]:
    for match in _ACCOUNT.finditer(copy):
        digits = _digits(match["secret"])
        masked = "*" * (len(digits) - 4) + digits[-4:]
        yield _Hit(match.start("secret"), match.end("secret"), masked, MaskKind.BANK_ACCOUNT)


# --- ID numbers and cards -----------------------------------------------------------------------

_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID18 = re.compile(
    _NOT_ALNUM_BEFORE
    + r"[1-9]\d{5}[ -]?(?:18|19|20)\d{2}"
    + _DATE
    + r"[ -]?\d{3}[0-9Xx]"
    + _NOT_ALNUM_AFTER,
    re.ASCII,
)
_ID15 = re.compile(
    _NOT_ALNUM_BEFORE + r"[1-9]\d{5}\d{2}" + _DATE + r"\d{3}" + _NOT_ALNUM_AFTER, re.ASCII
)
# The first two digits of a resident ID: the province-level divisions (and 8x: HK, Macao, Taiwan).
_PROVINCES = frozenset(
    {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55)}
    | {*range(61, 66), 71, 81, 82, 83, 91}
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _ids(pattern: re.Pattern[str], valid: Callable[[str], bool]) -> _Detector:
    def detect(copy: str) -> Iterator[_Hit]:
        for match in pattern.finditer(copy):
            value = re.sub(r"[ -]", "", match.group())
            if valid(value) and not _in_number_context(copy, match.start()):
                masked = value[:3] + "*" * (len(value) - 7) + value[-4:]
                yield _Hit(match.start(), match.end(), masked, MaskKind.ID_NUMBER)

    return detect


def _id18_ok(value: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def _id15_ok(value: str) -> bool:
    return int(value[:2]) in _PROVINCES


_CARD = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{5}"
    r"|\d{6}[ -]\d{7,13})" + _NOT_ALNUM_AFTER,
    re.ASCII,
)
_CARD_ISSUER = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[0457-8]|35|6[0245]|62|9[45])")


def _cards(copy: str) -> Iterator[_Hit]:
    for match in _CARD.finditer(copy):
        digits = _digits(match.group())
        if not (13 <= len(digits) <= 19 and _luhn_ok(digits) and _CARD_ISSUER.match(digits)):
            continue
        if _in_number_context(copy, match.start()):
            continue
        masked = digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
        yield _Hit(match.start(), match.end(), masked, MaskKind.BANK_CARD)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


# --- phone numbers ------------------------------------------------------------------------------

_PHONE_BEFORE = r"(?<![0-9A-Za-z+.\-])"
_PHONE_AFTER = r"(?![0-9A-Za-z\-]|\.\d)"
_MOBILE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?P<prefix>(?:\+|00)86[ -]?)?(?P<number>1[3-9]\d(?:[ -]?\d{4}){2})"
    + _NOT_ALNUM_AFTER,
    re.ASCII,
)
# "+44 20 7946 0958", "+1 (415) 555-0134": a country code, then groups of digits.
_INTERNATIONAL = re.compile(
    _PHONE_BEFORE + r"(?P<prefix>\+[1-9]\d{0,2})(?P<rest>(?:[ .-]?\(?\d+\)?)++)",
    re.ASCII,
)
_GROUP = re.compile(r"\(?\d+\)?")
# North American numbers written out: "(415) 555-0134", "415-555-0134", "1-415.555.0134".
_NANP = re.compile(
    _PHONE_BEFORE + r"(?:1[ .-]?)?(?:\([2-9]\d{2}\)\s?[2-9]\d{2}[ .-]\d{4}"
    r"|[2-9]\d{2}(?P<sep>[.-])[2-9]\d{2}(?P=sep)\d{4})" + _PHONE_AFTER,
    re.ASCII,
)
# Mainland landlines with their area code: "010-12345678", "(0755) 8888 6666".
_LANDLINE = re.compile(
    _PHONE_BEFORE
    + r"(?P<area>\(0\d{2,3}\)\s?|0\d{2,3}-)(?P<number>[2-9]\d{2,3}[ -]?\d{4})"
    + _PHONE_AFTER,
    re.ASCII,
)


def _mobiles(copy: str) -> Iterator[_Hit]:
    for match in _MOBILE.finditer(copy):
        digits = _digits(match["number"])
        masked = (match["prefix"] or "") + digits[:3] + "****" + digits[-4:]
        yield _Hit(match.start(), match.end(), masked, MaskKind.MOBILE)


def _internationals(copy: str) -> Iterator[_Hit]:
    for match in _INTERNATIONAL.finditer(copy):
        end, national = match.start("rest"), ""
        for group in _GROUP.finditer(match["rest"]):  # stop before a date or amount after it
            if len(national) + len(_digits(group.group())) > 12:
                break
            national += _digits(group.group())
            end = match.start("rest") + group.end()
        if len(national) >= 6:
            masked = f"{match['prefix']} {_keep_ends(national)}"
            yield _Hit(match.start(), end, masked, MaskKind.PHONE)


def _keep_ends(digits: str) -> str:
    """First 3 and last 4 digits kept when at least 3 go; otherwise only the last 4."""
    if len(digits) >= 10:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * (len(digits) - 4) + digits[-4:]


def _nanps(copy: str) -> Iterator[_Hit]:
    for match in _NANP.finditer(copy):
        digits = _digits(match.group())[-10:]
        yield _Hit(match.start(), match.end(), _keep_ends(digits), MaskKind.PHONE)


def _landlines(copy: str) -> Iterator[_Hit]:
    for match in _LANDLINE.finditer(copy):
        digits = _digits(match["number"])
        masked = match["area"] + "*" * (len(digits) - 4) + digits[-4:]
        yield _Hit(match.start(), match.end(), masked, MaskKind.PHONE)


# --- the rules, each behind its gate ------------------------------------------------------------

# The copy's ASCII as shapes: a digit is 9, an upper-case letter A, a lower-case one a (anything
# else stays, non-ASCII is ?): bytes.translate and ``in`` run at memory speed, a regex does not.
_SHAPE = bytes.maketrans(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    b"9" * 10 + b"A" * 26 + b"a" * 26,
)


@dataclass(frozen=True)
class _Gate:
    """What every match of a rule contains, under the rule's flags: a Chinese keyword (found in
    the copy), an English one (in the copy's ASCII, lower-cased: the rules fold ASCII case only)
    or a shape (in the copy's ASCII shapes)."""

    words: tuple[str, ...] = ()
    english: tuple[bytes, ...] = ()
    shapes: tuple[bytes, ...] = ()

    def opens(self, copy: str, ascii: bytes, shape: bytes) -> bool:
        return (
            # One character is found at memory speed, a longer word in CJK text is not.
            any(word[0] in copy and word in copy for word in self.words)
            or any(word in ascii for word in self.english)
            or any(part in shape for part in self.shapes)
        )


# Every Chinese code word ends in 码/碼; the English ones hold "code", "otp" or "pass".
_CODE_WORD = _Gate(("码", "碼"), (b"code", b"otp", b"pass"))
_SIX_DIGITS = _Gate(shapes=(b"999999",))  # a resident ID's region code

# Keyword rules first (their secrets must not be read as a card or phone), then the numbers that
# prove themselves (checksums), then the shapes.
_RULES: tuple[tuple[_Gate, _Detector], ...] = (
    (_CODE_WORD, _secret_hits(_CODE_AFTER_KEYWORD, MaskKind.VERIFICATION_CODE, _is_code)),
    (
        _CODE_WORD,
        _secret_hits(_CODE_BEFORE_KEYWORD, MaskKind.VERIFICATION_CODE, lambda copy, match: True),
    ),
    (
        _Gate(("安全码", "安全碼", "背面"), (b"cvv", b"cvc", b"cvn", b"csc", b"card", b"security")),
        _secret_hits(_CVV, MaskKind.CVV, lambda copy, match: True),
    ),
    (_Gate(("密码", "密碼", "口令"), (b"pass", b"pwd", b"pin")), _passwords),
    (_Gate(("护照", "護照"), (b"passport",)), _passports),
    (_Gate(shapes=(b"AA99",)), _ibans),
    (_SIX_DIGITS, _ids(_ID18, _id18_ok)),
    # 13 digits and more, or four and four (or six) across a space or dash
    (_Gate(shapes=(b"99999999", b"9999 9999", b"9999-9999")), _cards),
    (_SIX_DIGITS, _ids(_ID15, _id15_ok)),
    (
        _Gate(("账", "帳", "賬", "帐", "卡号", "卡號"), (b"account", b"acct", b"a/c", b"routing")),
        _accounts,
    ),
    (_Gate(shapes=(b"9999999", b"999 9999", b"999-9999")), _mobiles),
    (_Gate(shapes=(b"+9",)), _internationals),
    (_Gate(shapes=(b"(999)", b"999.9", b"999-9")), _nanps),
    (_Gate(shapes=(b"999)", b"999-")), _landlines),
)


def _hits(copy: str, gated: bool = True) -> list[_Hit]:
    """The rules' findings in the normalised copy, in order of position; ``gated=False`` runs
    every rule (what the gates must not change)."""
    ascii = copy.encode("ascii", "replace")
    lower, shape = ascii.lower(), ascii.translate(_SHAPE)
    hits: list[_Hit] = []
    for gate, detect in _RULES:  # in order: an earlier rule's finding wins an overlap
        if gated and not gate.opens(copy, lower, shape):
            continue  # none of its matches can be here
        for hit in detect(copy):
            if not _overlaps(hit, hits):
                hits.append(hit)
    hits.sort(key=lambda hit: hit.start)
    return hits
