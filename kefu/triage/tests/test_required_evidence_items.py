"""How required evidence is recognised, and the one message listing what is missing. Pure."""

import pytest

from kefu.triage.evidence import (
    ITEMS,
    Submitted,
    check_evidence,
    default_requirements,
    request_text,
    requirements_from_rows,
)

REQUIREMENTS = requirements_from_rows(default_requirements())


def _missing(category, text, tags=(), **kw):
    return check_evidence(
        REQUIREMENTS, category=category, tags=tags, submitted=Submitted(text=text, **kw)
    ).missing


@pytest.mark.parametrize(
    "text",
    [
        "订单号：PO-88123 没发货",
        "order #2025110712 late",
        "Order number is 88123456",
        "about PO-1",
        "订单 AE-PO-77120 退款",
    ],
)
def test_order_ids_are_found(text):
    assert ITEMS["order_id"].present(Submitted(text=text))


@pytest.mark.parametrize("text", ["where is my order", "order with 12 items", "订单已经付款"])
def test_no_order_id_here(text):
    assert not ITEMS["order_id"].present(Submitted(text=text))


@pytest.mark.parametrize(("text", "last4", "bank"), [
    ("卡号尾号 4821，工商银行", True, True),
    ("card ending in 4821, Bank of America", True, True),
    ("622202******4821 招商银行", True, True),
    ("the last four digits are 4821; bank: HSBC", True, True),
    ("I paid by card yesterday", False, False),
])  # fmt: skip
def test_card_digits_and_bank_names(text, last4, bank):
    submitted = Submitted(text=text)
    assert (ITEMS["card_last4"].present(submitted), ITEMS["bank_name"].present(submitted)) == (
        last4,
        bank,
    )


def test_funds_problems_need_three_items_and_other_billing_questions_none():
    assert _missing("payment_billing", "保证金被冻结了") == (
        "bank_statement",
        "card_last4",
        "bank_name",
    )
    assert _missing("payment_billing", "please send the VAT invoice for March") == ()
    assert _missing("payment_billing", "anything", tags=["funds"]) == (
        "bank_statement",
        "card_last4",
        "bank_name",
    )
    assert (
        _missing(
            "payment_billing",
            "refund not received, card ending 1234 ICBC",
            attachment_types=("application/pdf",),
        )
        == ()
    )


def test_integration_incidents_need_an_error_code_and_a_log_or_screenshot():
    assert _missing("integration_tech", "our webhook failed") == ("error_code", "log_or_screenshot")
    log = "webhook failed AE-ERR-500\n2026-03-04 10:00:01 ERROR push failed\n2026-03-04 10:00:02 ERROR retry"
    assert _missing("integration_tech", log) == ()
    assert _missing("integration_tech", "how do I map the SKU field?") == ()


def test_label_printing_failures_need_the_code_and_the_console_log():
    assert _missing("shipment_logistics", "批量打印面单失败", tags=["label-printing"]) == (
        "error_code",
        "console_log",
    )
    console = ("label printing failed LBL-500\nUncaught TypeError: x is undefined at print.js:12\n"
               "Failed to load resource: net::ERR_FAILED")  # fmt: skip
    assert _missing("shipment_logistics", console, tags=["label-printing"]) == ()


def test_order_tickets_need_the_order_id_unless_the_field_has_it():
    assert _missing("after_sales", "货物破损，申请退货") == ("order_id",)
    assert _missing("after_sales", "货物破损，申请退货", order_id="PO-1") == ()


def test_the_request_lists_everything_in_one_message_in_the_customers_language():
    missing = ("bank_statement", "card_last4", "bank_name")
    zh, en = request_text(missing, "zh"), request_text(missing, "en")
    assert "1. 显示该笔款项的银行流水截图或 PDF" in zh and "3. 开户银行名称" in zh
    assert "1. a screenshot or PDF of the bank statement" in en and "3. the name of the bank" in en
    assert "never asks for your password" in en and "绝不会索要您的密码" in zh
