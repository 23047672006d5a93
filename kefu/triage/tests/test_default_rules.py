"""The shipped rules: the charter's urgent and emergency cases, and no false alarms."""

from decimal import Decimal

import pytest

from kefu.triage.rules import RuleContext, apply_rules, default_rules, load_rules
from kefu.triage.training import project_examples

RULES = load_rules(default_rules())


def before(text, **context):
    return apply_rules(RULES, RuleContext(text=text, **context), "before")


@pytest.mark.parametrize(
    ("text", "code", "category", "priority"),
    [
        ("【URGENT-FUND】- 华越贸易 - 结算款迟迟未到", "URGENT-FUND", "payment_billing", "urgent"),
        ("订单完成十天了还没放款", "URGENT-FUND", "payment_billing", "urgent"),
        ("货款被冻结了，无法提现", "URGENT-FUND", "payment_billing", "urgent"),
        (
            "Our settlement of $48,000 has been on hold for 2 weeks",
            "URGENT-FUND",
            "payment_billing",
            "urgent",
        ),
        ("批量打印面单失败，报错 AE-ERR-403", "LABEL-PRINT-BATCH", "shipment_logistics", "high"),
        (
            "Bulk label printing fails for 200 orders",
            "LABEL-PRINT-BATCH",
            "shipment_logistics",
            "high",
        ),
        ("账号被误封了，我们没有违规", "ACCOUNT-WRONGLY-FLAGGED", "account_access", "high"),
        (
            "Our account was wrongly suspended yesterday",
            "ACCOUNT-WRONGLY-FLAGGED",
            "account_access",
            "high",
        ),
        ("双11活动期间店铺流量暴跌", "PROMO-TRAFFIC-DROP", "product_merchant", "high"),
    ],
)
def test_urgent_and_high_priority_cases(text, code, category, priority):
    outcome = before(text)
    assert outcome.fired[0] == code
    assert (outcome.category, outcome.priority) == (category, priority)
    assert not outcome.emergency


@pytest.mark.parametrize(
    ("text", "code", "category"),
    [
        ("我的账号被盗了，密码和手机号都被改了", "ACCOUNT-STOLEN", "account_access"),
        ("Help, my account was hacked last night", "ACCOUNT-STOLEN", "account_access"),
        ("已经付了全款，现在卖家失联了", "MERCHANT-UNREACHABLE-PAID", "after_sales"),
        ("付款后联系不上商家，店铺也关了", "MERCHANT-UNREACHABLE-PAID", "after_sales"),
        (
            "We paid the deposit and the supplier stopped responding",
            "MERCHANT-UNREACHABLE-PAID",
            "after_sales",
        ),
        ("Production down: every API call returns HTTP 503", "PRODUCTION-DOWN", "integration_tech"),
        ("Webhooks are failing since 02:00 UTC", "PRODUCTION-DOWN", "integration_tech"),
        ("生产环境故障，所有订单同步失败", "PRODUCTION-DOWN", "integration_tech"),
    ],
)
def test_emergencies(text, code, category):
    outcome = before(text)
    assert outcome.fired == (code,)
    assert outcome.category == category
    assert outcome.priority == "urgent"
    assert outcome.urgent and outcome.emergency


@pytest.mark.parametrize(
    "text",
    [
        "my shipment was stolen from the truck",  # stolen, but not an account
        "卖家一直不回消息",  # unreachable, but nothing was paid
        "the price went down last week",
        "how do I print a shipping label",  # one label, no failure
        "what are your payout dates?",
    ],
)
def test_no_false_alarms(text):
    assert before(text).fired == ()


def test_complaint_mailbox_and_high_value_orders():
    mail = before("关于客服态度的投诉", channel="email", mailbox="complaint@kefu.example")
    assert (mail.fired, mail.priority, mail.tags) == (
        ("COMPLAINT-MAILBOX",),
        "high",
        ("complaint",),
    )
    big = apply_rules(
        RULES, RuleContext(text="x", category="order_trade", order_value=Decimal("80000")), "after"
    )
    assert big.fired == ("HIGH-VALUE-ORDER",) and big.urgent


def test_never_contradict_the_examples_labels():
    """Whenever a shipped rule sets a category on an example, it is the example's category."""
    wrong = [
        (example.text, outcome.category)
        for example in project_examples(split=None)
        if (outcome := before(example.text)).category not in (None, example.category)
    ]
    assert wrong == []
