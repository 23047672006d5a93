"""Required evidence: which items a ticket still lacks, and the one message that asks for all
of them at once (the charter: "ask for all missing material at once"). Pure.

Which tickets need which items is data (``EvidenceRequirement`` rows, seeded from
``DEFAULT_REQUIREMENTS``); how each item is recognised is code, here. Recognition is lenient on
purpose: asking a customer again for something they already gave is worse than letting an agent
spot a poor screenshot.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kefu.triage.errorcodes import extract_error_code
from kefu.triage.rules import text_mentions


@dataclass(frozen=True)
class Submitted:
    """What the customer has given so far."""

    text: str  # subject and every public customer message
    order_id: str = ""
    error_code: str = ""
    attachment_types: tuple[str, ...] = ()  # MIME types of the public attachments


@dataclass(frozen=True)
class Item:
    code: str
    label_en: str
    label_zh: str
    present: Callable[[Submitted], bool]


_ORDER_ID = re.compile(
    r"(?:订单|訂單|order)\s*(?:号|號|编号|編號|no\.?|number|num|id|#)?\s*(?:is|为|是)?\s*[:：#]?\s*"
    r"([A-Za-z]{0,6}-?[A-Za-z0-9-]*\d{4,}[A-Za-z0-9-]*)"
    r"|(?<![A-Za-z0-9])(?:(?:PO|SO|ORD|AE-PO|TXN)-\d+|(?:PO|SO|ORD|TXN)\d{4,})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_LAST4 = re.compile(
    r"(?:尾号|尾數|尾数|后四位|後四位|后4位|末四位|末4位|last\s*(?:4|four)(?:\s*digits?)?|"
    r"ending(?:\s*(?:in|with))?|ends\s*(?:in|with))[^0-9\n]{0,12}(\d{4})(?!\d)"
    r"|\*{2,}\s?(\d{4})(?!\d)",
    re.IGNORECASE,
)
_BANK = re.compile(
    r"[\u4e00-\u9fff]{1,8}银行|[\u4e00-\u9fff]{1,8}銀行|"
    r"\b(?:icbc|ccb|abc|boc|bocom|cmb|spdb|citic|hsbc|citi(?:bank)?|chase|barclays|"
    r"wells\s+fargo|bank\s+of\s+america|standard\s+chartered|santander|dbs|ocbc|"
    r"mufg|mizuho|jpmorgan|payoneer|wise|alipay|支付宝|paypal)\b|"
    r"\b[a-z][a-z&.'-]+(?:\s+[a-z][a-z&.'-]+){0,3}\s+bank\b|\bbank\s+of\s+[a-z]+",
    re.IGNORECASE,
)
# A pasted log: stack frames, timestamps with levels, browser console lines.
_LOG_LINE = re.compile(
    r"^\s*(?:at\s+\S+\s*\(|traceback|exception|\w+error:|uncaught|\[?(?:error|warn|info|debug)\]?"
    r"[\s:]|\d{4}-\d\d-\d\d[ t]\d\d:\d\d|failed to load resource|net::err_|console\.)",
    re.IGNORECASE | re.MULTILINE,
)
_CONSOLE = re.compile(
    r"uncaught|typeerror|referenceerror|syntaxerror|failed to load resource|net::err_|"
    r"console|devtools|cors policy|\.js:\d+",
    re.IGNORECASE,
)
IMAGE_OR_PDF = ("image/jpeg", "image/png", "application/pdf")


def _has_order_id(s: Submitted) -> bool:
    return bool(s.order_id.strip()) or _ORDER_ID.search(s.text) is not None


def _has_image_or_pdf(s: Submitted) -> bool:
    return any(kind in IMAGE_OR_PDF for kind in s.attachment_types)


def _has_error_code(s: Submitted) -> bool:
    return bool(s.error_code.strip()) or extract_error_code(s.text) is not None


def _has_pasted_log(s: Submitted) -> bool:
    return len(_LOG_LINE.findall(s.text)) >= 2


def _has_console_log(s: Submitted) -> bool:
    return _has_image_or_pdf(s) or (_has_pasted_log(s) and _CONSOLE.search(s.text) is not None)


ITEMS: dict[str, Item] = {
    item.code: item
    for item in (
        Item("order_id", "the order number", "订单号", _has_order_id),
        Item(
            "bank_statement",
            "a screenshot or PDF of the bank statement showing the payment",
            "显示该笔款项的银行流水截图或 PDF",
            _has_image_or_pdf,
        ),
        Item(
            "card_last4",
            "the last 4 digits of the card or account used",
            "付款银行卡（账户）的后四位",
            lambda s: _LAST4.search(s.text) is not None,
        ),
        Item(
            "bank_name",
            "the name of the bank",
            "开户银行名称",
            lambda s: _BANK.search(unicodedata.normalize("NFKC", s.text)) is not None,
        ),
        Item(
            "error_code",
            "the error code shown (e.g. AE-ERR-403)",
            "错误码（如 AE-ERR-403）",
            _has_error_code,
        ),
        Item(
            "log_or_screenshot",
            "a screenshot of the error, or the log lines around it",
            "报错截图，或报错前后的日志",
            lambda s: _has_image_or_pdf(s) or _has_pasted_log(s),
        ),
        Item(
            "console_log",
            "the browser console log (a screenshot, or the pasted lines; F12 → Console)",
            "浏览器控制台日志（截图或粘贴内容；F12 → Console）",
            _has_console_log,
        ),
    )
}


@dataclass(frozen=True)
class Requirement:
    code: str
    items: tuple[str, ...]
    categories: tuple[str, ...] = ()
    tags_any: tuple[str, ...] = ()
    keywords_any: tuple[str, ...] = ()
    name_en: str = ""
    name_zh: str = ""

    def applies(self, category: str | None, tags: Iterable[str], text: str) -> bool:
        if self.categories and category not in self.categories:
            return False
        if not (self.tags_any or self.keywords_any):
            return True
        return bool(set(self.tags_any) & set(tags)) or (
            bool(self.keywords_any) and text_mentions(self.keywords_any, text)
        )


def check_items(codes: Sequence[str]) -> list[str]:
    """The unknown item codes among ``codes`` (for validating admin input)."""
    return [code for code in codes if code not in ITEMS]


@dataclass(frozen=True)
class EvidenceCheck:
    required: tuple[str, ...] = ()  # item codes, in the order they are asked for
    missing: tuple[str, ...] = ()
    requirements: tuple[str, ...] = field(default=())  # codes of the requirements that apply

    @property
    def complete(self) -> bool:
        return not self.missing


def check_evidence(
    requirements: Iterable[Requirement],
    *,
    category: str | None,
    tags: Iterable[str],
    submitted: Submitted,
) -> EvidenceCheck:
    tags = tuple(tags)
    applying = [r for r in requirements if r.applies(category, tags, submitted.text)]
    required = tuple(dict.fromkeys(code for r in applying for code in r.items if code in ITEMS))
    missing = tuple(code for code in required if not ITEMS[code].present(submitted))
    return EvidenceCheck(required, missing, tuple(r.code for r in applying))


def request_text(missing: Sequence[str], language: str, *, reminder: bool = False) -> str:
    """The one message that lists everything still missing, in ``language`` (zh or en)."""
    if language == "zh":
        lines = [f"{i}. {ITEMS[code].label_zh}" for i, code in enumerate(missing, start=1)]
        opening = (
            "感谢您的回复。处理您的问题还需要以下材料："
            if reminder
            else "您好，为了尽快处理您的问题，请一次性提供以下材料："
        )
        closing = "请直接回复并附上以上内容（截图支持 JPG、PNG 或 PDF，每个不超过 10 MB）。收到后我们会立即继续处理。客服绝不会索要您的密码、验证码或完整卡号。"  # noqa: E501
    else:
        lines = [f"{i}. {ITEMS[code].label_en}" for i, code in enumerate(missing, start=1)]
        opening = (
            "Thank you. To continue we still need:"
            if reminder
            else "Hello, so that we can handle your request quickly, please send us all of the following:"  # noqa: E501
        )
        closing = (
            "Just reply with them (screenshots as JPG, PNG or PDF, up to 10 MB each); we will "
            "continue as soon as they arrive. Support never asks for your password, "
            "verification codes or full card number."
        )
    return "\n".join([opening, *lines, "", closing])


def requirements_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Requirement]:
    """Requirements from stored rows (dicts with the model's field names)."""
    return [
        Requirement(
            code=row["code"],
            items=tuple(row["items"]),
            categories=tuple(row.get("categories") or ()),
            tags_any=tuple(row.get("tags_any") or ()),
            keywords_any=tuple(row.get("keywords_any") or ()),
            name_en=row.get("name_en", ""),
            name_zh=row.get("name_zh", ""),
        )
        for row in rows
    ]


DEFAULT_REQUIREMENTS_PATH = Path(__file__).parent / "data" / "default_evidence.json"


def default_requirements() -> list[dict]:
    """The shipped requirements as plain dicts (what the migration seeds and the admin edits)."""
    with open(DEFAULT_REQUIREMENTS_PATH, encoding="utf-8") as handle:
        return json.load(handle)
