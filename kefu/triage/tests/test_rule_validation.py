"""Rule.from_dict / load_rules: bad admin data fails loudly, naming the rule and the field."""

import pytest

from kefu.triage.rules import Rule, RuleError, load_rules

GOOD = {
    "code": "FUNDS",
    "name_en": "Funds",
    "name_zh": "资金",
    "stage": "before",
    "order": 5,
    "conditions": {"keywords_any": ["放款"], "min_order_value": "100.50"},
    "effects": {"category": "payment_billing", "priority": "urgent", "tags": ["funds"]},
}


def broken(**changes):
    data = {**GOOD, **changes}
    return {key: value for key, value in data.items() if value is not ...}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (broken(code="has space"), "code"),
        (broken(code=...), "code"),
        (broken(colour="red"), "colour"),
        (broken(stage="later"), "stage"),
        (broken(order="1"), "order"),
        (broken(enabled="yes"), "enabled"),
        (broken(conditions={}), "conditions"),
        (broken(effects={}), "effects"),
        (broken(conditions={"keywords_any": "放款"}), "conditions.keywords_any"),
        (broken(conditions={"keywords_any": ["放款", ""]}), "conditions.keywords_any"),
        (broken(conditions={"patterns_any": ["(unclosed"]}), "conditions.patterns_any[0]"),
        (broken(conditions={"patterns_all": ["x" * 501]}), "conditions.patterns_all[0]"),
        (broken(conditions={"patterns_any": [r"\bAccount\b"]}), "conditions.patterns_any[0]"),
        (broken(conditions={"error_code_pattern": "[z-a]"}), "conditions.error_code_pattern"),
        (broken(conditions={"min_order_value": "lots"}), "conditions.min_order_value"),
        (broken(conditions={"categories": ["Payment Billing"]}), "conditions.categories[0]"),
        (broken(conditions={"keyword_any": ["typo"]}), "conditions.keyword_any"),
        (broken(effects={"priority": "asap"}), "effects.priority"),
        (broken(effects={"category": "Funds!"}), "effects.category"),
        (broken(effects={"emergency": 1}), "effects.emergency"),
        (broken(effects={"colour": "red"}), "effects.colour"),
    ],
)
def test_rejects_bad_rules_naming_the_field(data, field):
    with pytest.raises(RuleError) as caught:
        Rule.from_dict(data)
    assert caught.value.field == field


def test_errors_read_in_chinese_and_english():
    with pytest.raises(RuleError) as caught:
        Rule.from_dict(broken(effects={"priority": "asap"}))
    assert "effects.priority" in caught.value.message("en")
    assert "优先级无效" in caught.value.message("zh")
    assert "FUNDS" in caught.value.message("zh")


def test_round_trips_through_a_dict():
    rule = Rule.from_dict(GOOD)
    assert Rule.from_dict(rule.to_dict()) == rule
    assert rule.to_dict()["conditions"] == {"keywords_any": ["放款"], "min_order_value": "100.50"}


def test_duplicate_codes_are_rejected():
    with pytest.raises(RuleError) as caught:
        load_rules([GOOD, GOOD])
    assert caught.value.field == "code"
