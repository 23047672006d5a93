"""A frozen or deducted merchant deposit (保证金) is a funds problem, filed under billing at high
priority, neither urgent nor an emergency; held settlements and payouts stay urgent. Installs
that already have the rules get the change by migration unless an admin edited URGENT-FUND."""

from importlib import import_module

import pytest
from django.apps import apps

from kefu.triage.models import TriageRule
from kefu.triage.rules import RuleContext, apply_rules, default_rules, load_rules

RULES = load_rules(default_rules())
MIGRATION = import_module("kefu.triage.migrations.0005_deposit_is_a_funds_problem")


def before(text):
    return apply_rules(RULES, RuleContext(text=text, channel="chat"), "before")


@pytest.mark.parametrize(
    "text",
    ["保证金冻结", "店铺保证金被冻结了，无法提现", "保证金被扣了 500 元，为什么", "关店后保证金什么时候退",
     "Our store deposit has been frozen for three days", "merchant deposit deducted without notice",
     "the deposit was not refunded after we closed the shop"],
)  # fmt: skip
def test_deposit_problems_are_funds_at_high_priority(text):
    outcome = before(text)
    assert outcome.fired == ("DEPOSIT-FUNDS",)
    assert (outcome.category, outcome.priority) == ("payment_billing", "high")
    assert "funds" in outcome.tags
    assert not outcome.urgent and not outcome.emergency


@pytest.mark.parametrize(
    "text", ["结算款被冻结了", "货款冻结三天了", "Our payout has been on hold for two weeks"]
)
def test_held_settlements_stay_urgent(text):
    outcome = before(text)
    assert outcome.fired[0] == "URGENT-FUND" and outcome.urgent


def test_not_guaranteed_is_not_a_deposit():
    assert "DEPOSIT-FUNDS" not in before("事件不保证金额和顺序").fired


@pytest.mark.django_db
def test_the_migration_updates_the_shipped_rule_and_adds_the_deposit_rule():
    TriageRule.objects.filter(code="DEPOSIT-FUNDS").delete()
    fund = TriageRule.objects.get(code="URGENT-FUND")
    fund.conditions = {**fund.conditions, "patterns_any": MIGRATION.SHIPPED_BEFORE}
    fund.save()
    MIGRATION.forward(apps, None)
    fund.refresh_from_db()
    assert not any("保证金" in p or "deposit" in p for p in fund.conditions["patterns_any"])
    assert TriageRule.objects.get(code="DEPOSIT-FUNDS").effects["priority"] == "high"


@pytest.mark.django_db
def test_the_migration_leaves_an_edited_rule_alone():
    fund = TriageRule.objects.get(code="URGENT-FUND")
    edited = [*MIGRATION.SHIPPED_BEFORE, "押金[^。]{0,6}冻结"]
    fund.conditions = {**fund.conditions, "patterns_any": edited}
    fund.save()
    MIGRATION.forward(apps, None)
    fund.refresh_from_db()
    assert fund.conditions["patterns_any"] == edited
