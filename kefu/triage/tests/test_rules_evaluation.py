"""apply_rules: conditions, stages, ordering, and how effects combine."""

from dataclasses import replace
from decimal import Decimal

import pytest

from kefu.triage.rules import Outcome, Rule, RuleContext, apply_rules


def rule(code, conditions, effects, **extra):
    return Rule.from_dict({"code": code, "conditions": conditions, "effects": effects, **extra})


def fired(rules, stage="before", **context):
    return apply_rules(rules, RuleContext(**{"text": "", **context}), stage).fired


KEYWORD = rule("KW", {"keywords_any": ["refund", "退款"]}, {"tags": ["money"]})


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("I want a REFUND", True),
        ("申请退款", True),
        ("ｒｅｆｕｎｄ please", True),  # full width folds to ASCII
        ("the refunded amount", False),  # English keywords match whole words
        ("where is my parcel", False),
    ],
)
def test_any_keyword(text, fires):
    assert bool(fired([KEYWORD], text=text)) is fires


def test_any_keyword_or_any_pattern_is_enough():
    either = rule(
        "EITHER", {"keywords_any": ["放款"], "patterns_any": [r"payouts? .*held"]}, {"tags": ["x"]}
    )
    assert fired([either], text="什么时候放款")
    assert fired([either], text="our payout is held")
    assert not fired([either], text="our payment is late")


def test_all_and_none_keywords():
    both = rule(
        "BOTH",
        {"keywords_all": ["seller", "paid"], "keywords_none": ["thanks"], "patterns_all": [r"\d+"]},
        {"tags": ["x"]},
    )
    assert fired([both], text="We paid 300 and the seller is silent")
    assert not fired([both], text="We paid and the seller is silent")  # no number
    assert not fired([both], text="We paid 300")  # no seller
    assert not fired([both], text="We paid 300, the seller answered, thanks")


def test_context_conditions():
    vip = rule(
        "VIP",
        {"channels": ["email"], "mailboxes": ["merchant"], "org_tiers": ["key_account"]},
        {"priority": "high"},
    )
    ok = {"channel": "email", "mailbox": "Merchant@kefu.example", "org_tier": "KEY_ACCOUNT"}
    assert fired([vip], **ok)
    assert not fired([vip], **{**ok, "channel": "chat"})
    assert not fired([vip], **{**ok, "mailbox": "service@kefu.example"})
    assert not fired([vip], **{**ok, "org_tier": "standard"})


def test_order_value_and_category_conditions():
    big = rule(
        "BIG",
        {"min_order_value": "10000", "categories": ["order_trade"]},
        {"urgent": True},
        stage="after",
    )
    assert fired([big], "after", category="order_trade", order_value=Decimal("10000"))
    assert not fired([big], "after", category="order_trade", order_value=Decimal("9999.99"))
    assert not fired([big], "after", category="order_trade")  # value unknown
    assert not fired([big], "after", category="after_sales", order_value=Decimal("50000"))


def test_error_code_condition_uses_the_given_code_or_the_text():
    label = rule("AE", {"error_code_pattern": r"AE-ERR-4\d\d"}, {"tags": ["ae4xx"]})
    assert fired([label], text="打印失败 AE-ERR-403")
    assert not fired([label], text="打印失败 AE-ERR-500")
    assert fired([label], text="see attachment", error_code="AE-ERR-404")
    assert not fired([label], text="no code here")


def test_rules_only_run_in_their_stage_and_disabled_rules_never():
    after = rule("AFTER", {"keywords_any": ["refund"]}, {"tags": ["x"]}, stage="after")
    off = rule("OFF", {"keywords_any": ["refund"]}, {"tags": ["y"]}, enabled=False)
    assert fired([after, off], "before", text="refund") == ()
    assert fired([after, off], "after", text="refund") == ("AFTER",)
    with pytest.raises(ValueError):
        apply_rules([after], RuleContext(text="refund"), "during")


def test_first_rule_in_order_sets_category_and_team_most_urgent_priority_wins():
    rules = [
        rule("B", {"keywords_any": ["x"]}, {"category": "other", "priority": "urgent"}, order=20),
        rule(
            "A",
            {"keywords_any": ["x"]},
            {"category": "after_sales", "team": "t1", "priority": "low"},
            order=10,
        ),
        rule("C", {"keywords_any": ["x"]}, {"team": "t2", "tags": ["a", "b"]}, order=30),
        rule("D", {"keywords_any": ["x"]}, {"tags": ["b", "c"], "emergency": True}, order=40),
    ]
    outcome = apply_rules(rules, RuleContext(text="x"), "before")
    assert outcome == Outcome(
        category="after_sales",
        priority="urgent",
        tags=("a", "b", "c"),
        team="t1",
        urgent=True,  # an emergency is always urgent
        emergency=True,
        fired=("A", "B", "C", "D"),
    )


def test_stop_ends_the_stage():
    rules = [
        rule("FIRST", {"keywords_any": ["x"]}, {"tags": ["a"]}, order=1, stop=True),
        rule("SECOND", {"keywords_any": ["x"]}, {"tags": ["b"]}, order=2),
    ]
    assert fired(rules, text="x") == ("FIRST",)


def test_merge_lets_the_after_stage_recategorise_and_keeps_the_most_urgent_priority():
    before = Outcome(category="other", priority="urgent", tags=("a",), team="t1", fired=("R1",))
    after = Outcome(
        category="after_sales", priority="high", tags=("a", "b"), urgent=True, fired=("R2",)
    )
    merged = before.merge(after)
    assert merged.category == "after_sales"
    assert merged.priority == "urgent"
    assert merged.tags == ("a", "b")
    assert merged.team == "t1"
    assert merged.urgent and not merged.emergency
    assert merged.fired == ("R1", "R2")
    assert replace(before).merge(Outcome()) == before
