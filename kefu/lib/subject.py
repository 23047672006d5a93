"""Email subjects: our ticket numbers, reply/forward prefixes, and the service-charter convention.

The charter asks customers to write ``【服务类型】- 企业名称 - 问题简述``.  People type it with
ASCII or full-width brackets and any dash, with or without spaces, and mail clients pile
``Re:``/``回复：`` in front; ``parse_service_subject`` accepts all of that and returns None for a
subject that does not follow the convention (which is still a valid ticket subject).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TICKET = re.compile(r"(?<![A-Za-z0-9])KF\d{11,}(?![0-9A-Za-z])", re.IGNORECASE)
_BRACKETED_TICKET = re.compile(r"[\[【［(（]\s*(KF\d{11,})\s*[\]】］)）]", re.IGNORECASE)
_PREFIX_WORDS = (
    r"re|aw|sv|vs|antw|ref|fw|fwd|tr|wg|rv|enc|"
    r"回复|回覆|答复|答覆|转发|轉發|转寄|轉寄|回信"
)
_REPLY_PREFIX = re.compile(
    rf"^\s*(?:[\[【]\s*)?(?:{_PREFIX_WORDS})\s*(?:[\[(（]\s*\d+\s*[\])）])?\s*(?:[\]】]\s*)?[:：]\s*",
    re.IGNORECASE,
)
_OPEN = "[【［"
_CLOSE = "]】］"
_SERVICE_HEAD = re.compile(
    rf"^\s*[{re.escape(_OPEN)}]\s*([^{re.escape(_CLOSE)}]{{1,30}}?)\s*"
    rf"[{re.escape(_CLOSE)}]\s*(.*)$",
    re.DOTALL,
)
_DASHES = "\\-–—－―‐‑‒−"
# A dash separates fields when spaced or when it is not an ASCII hyphen; a bare ASCII hyphen
# inside a word ("Wal-Mart", "B2B-Pay") is part of the name and only used as a last resort.
_SEPARATOR = re.compile(rf"\s+[{_DASHES}]+\s+|\s*[–—－―‐‑‒−]+\s*|\s*-{{2,}}\s*")
_BARE_HYPHEN = re.compile(r"\s*-\s*")
_LEADING_DASH = re.compile(rf"^[\s{_DASHES}]+")


@dataclass(frozen=True)
class ServiceSubject:
    """The parts of a ``【服务类型】- 企业名称 - 问题简述`` subject."""

    service_type: str
    company_hint: str | None
    summary: str
    category: str | None  # taxonomy code guessed from the service type, None if unclear


def find_ticket_number(subject: str) -> str | None:
    """Our ticket number (``KF`` + 11 or more digits) in a subject, upper-cased, or None.

    A bracketed number (``[KF…]``, ``【KF…】``) wins over a bare one, and the first wins among
    equals: replies keep our tag, while a bare number may be a customer citing another ticket.
    """
    bracketed = _BRACKETED_TICKET.search(subject or "")
    if bracketed:
        return bracketed.group(1).upper()
    bare = _TICKET.search(subject or "")
    return bare.group(0).upper() if bare else None


def strip_reply_prefixes(subject: str) -> str:
    """Remove any run of reply/forward prefixes: ``Re: FW: 回复：答复: Re[2]:`` and so on."""
    text = (subject or "").strip()
    while True:
        stripped = _REPLY_PREFIX.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _without_ticket_tags(subject: str) -> str:
    return _BRACKETED_TICKET.sub(" ", subject).strip()


def parse_service_subject(subject: str) -> ServiceSubject | None:
    """Split a charter-style subject; None when it does not start with a bracketed type."""
    text = strip_reply_prefixes(_without_ticket_tags(strip_reply_prefixes(subject or "")))
    head = _SERVICE_HEAD.match(text)
    if not head or not head.group(1).strip():
        return None
    service_type = head.group(1).strip()
    rest = _LEADING_DASH.sub("", head.group(2)).strip()
    company, summary = _split_company(rest)
    return ServiceSubject(
        service_type=service_type,
        company_hint=company,
        summary=summary,
        category=guess_category(service_type),
    )


def _split_company(rest: str) -> tuple[str | None, str]:
    for separator in (_SEPARATOR, _BARE_HYPHEN):
        parts = separator.split(rest, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and parts[1].strip():
            return parts[0].strip(), parts[1].strip()
    return None, rest


# --- service type → category -----------------------------------------------------------------

# Order matters: the first row with a matching keyword wins ("退款" is after-sales, not billing).
_CATEGORY_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # 【线下服务预约】 books a visit (kefu.appointments), whatever it is about: no evidence to ask.
    ("other", ("线下服务",), ()),
    (
        "after_sales",
        ("售后", "退货", "退款", "换货", "维权", "纠纷", "争议", "质保", "保修", "赔偿"),
        (
            "after-sales",
            "after sales",
            "aftersales",
            "return",
            "returns",
            "refund",
            "dispute",
            "warranty",
            "rma",
            "claim",
        ),
    ),
    (
        "payment_billing",
        ("支付", "付款", "账单", "帐单", "发票", "结算", "对账", "对帐", "收款", "费用", "财务"),
        (
            "payment",
            "payments",
            "billing",
            "bill",
            "invoice",
            "invoices",
            "settlement",
            "reconciliation",
            "finance",
            "charge",
            "charges",
            "fapiao",
        ),
    ),
    (
        "shipment_logistics",
        ("物流", "运输", "快递", "发货", "配送", "清关", "报关", "海关", "仓储", "运单", "面单"),
        (
            "shipping",
            "shipment",
            "logistics",
            "delivery",
            "freight",
            "tracking",
            "customs",
            "warehouse",
            "label",
            "labels",
            "fulfillment",
            "fulfilment",
        ),
    ),
    (
        "account_access",
        ("账号", "帐号", "账户", "帐户", "登录", "登陆", "权限", "资质", "认证", "子账号", "密码"),
        (
            "account",
            "accounts",
            "login",
            "access",
            "permission",
            "permissions",
            "qualification",
            "kyc",
            "verification",
            "password",
            "sign-in",
            "signin",
        ),
    ),
    (
        "order_trade",
        ("订单", "交易", "采购", "下单", "询价", "报价", "合同"),
        (
            "order",
            "orders",
            "trade",
            "purchase",
            "purchasing",
            "procurement",
            "rfq",
            "quote",
            "quotation",
            "contract",
        ),
    ),
    (
        "product_merchant",
        ("商品", "商家", "店铺", "产品", "供应商", "卖家", "类目"),
        (
            "product",
            "products",
            "merchant",
            "merchants",
            "seller",
            "store",
            "shop",
            "listing",
            "listings",
            "supplier",
            "catalog",
            "catalogue",
        ),
    ),
    (
        "integration_tech",
        ("集成", "技术", "接口", "对接", "系统", "报错", "故障", "开发"),
        (
            "integration",
            "technical",
            "tech",
            "api",
            "webhook",
            "webhooks",
            "edi",
            "bug",
            "error",
            "sdk",
            "it",
        ),
    ),
    (
        "other",
        ("其他", "其它", "建议", "规则", "咨询", "反馈", "意见"),
        (
            "other",
            "others",
            "general",
            "suggestion",
            "suggestions",
            "feedback",
            "rules",
            "policy",
            "inquiry",
            "enquiry",
        ),
    ),
)
_WORD = re.compile(r"[a-z0-9]+(?:[-][a-z0-9]+)*")


def guess_category(service_type: str) -> str | None:
    """Taxonomy code for a service-type word (zh or en), or None when it names no category.

    Complaints (投诉, complaint) return None on purpose: a complaint is a flag on a ticket of
    some category, not a category of its own.
    """
    text = (service_type or "").strip().lower()
    if not text:
        return None
    words = set(_WORD.findall(text))
    words |= {" ".join(pair) for pair in zip(text.split(), text.split()[1:], strict=False)}
    for code, chinese, english in _CATEGORY_KEYWORDS:
        if any(keyword in text for keyword in chinese) or words.intersection(english):
            return code
    return None
