"""Find error codes in customer messages, conservatively.

The ticket's ``error_code`` is evidence an engineer searches by, so a wrong value is worse than
none: only clear code shapes are taken. Order numbers, phone numbers, amounts and verification
codes (验证码) are never codes; an HTTP status counts only when written as one ("HTTP 502",
"status code 500", "503 Service Unavailable").
"""

from __future__ import annotations

import re
import unicodedata

# Most specific first: when several codes appear, the first kind that matches wins.
_PLATFORM = re.compile(
    r"(?<![A-Za-z0-9-])([A-Za-z]{2,6}-ERR-\d{2,6})(?![A-Za-z0-9])", re.IGNORECASE
)
_LABELLED = re.compile(
    r"(?:error|err)[ _-]?(?:code|no\.?|number|#)|errcode|错误码|错误代码|错误编号|错误号|"
    r"报错码|报错代码|故障码",
    re.IGNORECASE,
)
_LABELLED_VALUE = re.compile(r"\s*(?:is|为|是)?\s*[:：#=]?\s*([A-Za-z0-9][A-Za-z0-9_.\-]{1,30})")
_CHROMIUM = re.compile(r"(?<![A-Za-z0-9_])((?:NET::)?ERR_[A-Z0-9_]{3,})")
_HTTP_STATUS = re.compile(
    r"(?:\bHTTP(?:/\d(?:\.\d)?)?\s*(?:status\s*)?(?:code\s*)?[:：]?\s*|"
    r"\bstatus\s*code\s*[:：]?\s*|状态码\s*[:：]?\s*)([45]\d\d)\b",
    re.IGNORECASE,
)
_HTTP_REASON = re.compile(
    r"\b([45]\d\d)\s+(?:Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|"
    r"Request Timeout|Conflict|Unprocessable (?:Entity|Content)|Too Many Requests|"
    r"Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)\b",
    re.IGNORECASE,
)


def _labelled_codes(text: str) -> list[tuple[int, str]]:
    found = []
    for label in _LABELLED.finditer(text):
        value = _LABELLED_VALUE.match(text, label.end())
        if value is None:
            continue
        code = value.group(1).rstrip(".-")
        # A code has a digit or is an UPPER_SNAKE name; plain words ("error code is wrong") are not.
        if any(ch.isdigit() for ch in code) or re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", code):
            found.append((value.start(1), code))
    return found


def _all_codes(text: str) -> list[tuple[int, int, str]]:
    """(kind rank, position, code) for every code found."""
    text = unicodedata.normalize("NFKC", text)
    found = [(0, m.start(1), m.group(1).upper()) for m in _PLATFORM.finditer(text)]
    found += [(1, pos, code) for pos, code in _labelled_codes(text)]
    found += [(2, m.start(1), m.group(1)) for m in _CHROMIUM.finditer(text)]
    found += [(3, m.start(1), f"HTTP {m.group(1)}") for m in _HTTP_STATUS.finditer(text)]
    found += [(3, m.start(1), f"HTTP {m.group(1)}") for m in _HTTP_REASON.finditer(text)]
    return found


def extract_error_codes(text: str) -> list[str]:
    """Every distinct error code in the text, in the order they appear."""
    codes: list[str] = []
    for _, _, code in sorted(_all_codes(text), key=lambda item: item[1]):
        if code not in codes:
            codes.append(code)
    return codes


def extract_error_code(text: str) -> str | None:
    """The single most specific error code in the text, or None.

    Platform codes (``AE-ERR-403``) beat labelled codes ("错误码：10086"), which beat browser
    network errors (``ERR_CONNECTION_RESET``), which beat HTTP statuses (``HTTP 502``).
    """
    found = _all_codes(text)
    return min(found)[2] if found else None
