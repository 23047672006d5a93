"""Subjects: ticket numbers, reply prefixes, the 【服务类型】- 企业名称 - 问题简述 convention."""

from __future__ import annotations

import pytest

from kefu.lib.subject import (
    ServiceSubject,
    find_ticket_number,
    guess_category,
    parse_service_subject,
    strip_reply_prefixes,
)


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("[KF20251107001] Where is my order?", "KF20251107001"),
        ("回复：【KF20251107001】货物延迟", "KF20251107001"),
        ("Re: RE: Fwd: [KF20251107001] x", "KF20251107001"),
        ("about KF20251107001 please", "KF20251107001"),
        ("工单KF20251107001已收到", "KF20251107001"),
        ("kf20251107001 lower case", "KF20251107001"),
        ("［KF202511070012］ twelve digits", "KF202511070012"),
        ("old KF20251107002 but replying to [KF20251107003]", "KF20251107003"),
        ("KF2025110700 ten digits", None),
        ("ABCKF20251107001 glued to letters", None),
        ("KF20251107001999999x", None),
        ("Order PO-20251107001", None),
        ("", None),
    ],
)
def test_find_ticket_number(subject: str, number: str | None) -> None:
    assert find_ticket_number(subject) == number


@pytest.mark.parametrize(
    ("subject", "stripped"),
    [
        ("Re: RE: Fwd: FW: 回复：答复: 转发: 回覆: hello", "hello"),
        ("Re[2]: x", "x"),
        ("RE (3): y", "y"),
        ("AW: WG: Bestellung", "Bestellung"),
        ("【回复】: z", "z"),
        ("Automatic reply: x", "Automatic reply: x"),
        ("Reply needed", "Reply needed"),
        ("Re:", ""),
        ("  plain  ", "plain"),
    ],
)
def test_strip_reply_prefixes(subject: str, stripped: str) -> None:
    assert strip_reply_prefixes(subject) == stripped


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("【物流】- 上海某某贸易有限公司 - 货物延迟到港",
         ServiceSubject("物流", "上海某某贸易有限公司", "货物延迟到港", "shipment_logistics")),
        ("[支付] 上海某某 – 发票抬头错误",
         ServiceSubject("支付", "上海某某", "发票抬头错误", "payment_billing")),
        ("［账号］—ABC Co.—子账号无法登录",
         ServiceSubject("账号", "ABC Co.", "子账号无法登录", "account_access")),
        ("【售后】－深圳XX科技－退款未到账",
         ServiceSubject("售后", "深圳XX科技", "退款未到账", "after_sales")),
        ("【Billing】 - Wal-Mart Inc - invoice missing - urgent",
         ServiceSubject("Billing", "Wal-Mart Inc", "invoice missing - urgent", "payment_billing")),
        ("Re: [KF20251107001] 【物流】-ACME Ltd - pallets stuck in customs",
         ServiceSubject("物流", "ACME Ltd", "pallets stuck in customs", "shipment_logistics")),
        ("回复：【投诉】- 某公司 - 客服态度差",
         ServiceSubject("投诉", "某公司", "客服态度差", None)),
        ("【物流】货物未到", ServiceSubject("物流", None, "货物未到", "shipment_logistics")),
    ],
)  # fmt: skip
def test_parse_service_subject(subject: str, expected: ServiceSubject) -> None:
    assert parse_service_subject(subject) == expected


@pytest.mark.parametrize(
    "subject", ["hello world", "Where is my order?", "【】- x - y", "[KF20251107001] no type", ""]
)
def test_subjects_outside_the_convention_give_none(subject: str) -> None:
    assert parse_service_subject(subject) is None


@pytest.mark.parametrize(
    ("service_type", "code"),
    [
        ("支付", "payment_billing"),
        ("账单", "payment_billing"),
        ("发票", "payment_billing"),
        ("Billing", "payment_billing"),
        ("物流", "shipment_logistics"),
        ("运输", "shipment_logistics"),
        ("Shipping", "shipment_logistics"),
        ("账号权限", "account_access"),
        ("Account access", "account_access"),
        ("订单", "order_trade"),
        ("Trade", "order_trade"),
        ("售后", "after_sales"),
        ("退款", "after_sales"),
        ("After-sales", "after_sales"),
        ("商品", "product_merchant"),
        ("Merchant", "product_merchant"),
        ("API 对接", "integration_tech"),
        ("Integration", "integration_tech"),
        ("其他", "other"),
        ("建议", "other"),
        ("投诉", None),
        ("Complaint", None),
        ("催办", None),
        ("xyz", None),
        ("", None),
    ],
)
def test_guess_category(service_type: str, code: str | None) -> None:
    assert guess_category(service_type) == code


def test_english_keywords_match_whole_words_only() -> None:
    assert guess_category("rapid help") is None  # "api" inside "rapid"
    assert guess_category("reorder") is None
