"""The priority score is a sum of labelled terms; each term says why in both languages."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from kefu.triage.score import ScoreFacts, Term, next_change, priority_score, rescore

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def _terms(facts: ScoreFacts, now=NOW) -> dict[str, float]:
    score, terms = priority_score(facts, now)
    assert score == sum(t.points for t in terms)
    return {t.code: t.points for t in terms}


def test_a_plain_ticket_scores_its_priority_and_category():
    assert _terms(ScoreFacts(created_at=NOW, category="order_trade")) == {
        "priority": 10,
        "category": 5,
    }


def test_each_factor_adds_its_term():
    facts = ScoreFacts(created_at=NOW - timedelta(hours=5), priority="urgent", category="payment_billing",
                       is_emergency=True, is_complaint=True, key_account=True, expedite=True,
                       repeat_contacts=2, order_value=Decimal("12000"),
                       sla_due_at=NOW + timedelta(hours=1), bumps=(("nudge", 10.0),))  # fmt: skip
    assert _terms(facts) == {"priority": 40, "category": 8, "emergency": 50, "complaint": 10,
                             "key_account": 20, "expedite": 25, "repeat": 16, "order_value": 10,
                             "waiting": 10, "sla_due": 30, "nudge": 10}  # fmt: skip


def test_noise_lowers_the_score_and_terms_come_largest_first():
    facts = ScoreFacts(created_at=NOW, priority="high", duplicates=9, burst=12)
    score, terms = priority_score(facts, NOW)
    assert [(t.code, t.points) for t in terms] == [
        ("priority", 25),
        ("duplicates", -20),
        ("flood", -15),
        ("uncategorised", 5),
    ]
    assert score == -5


def test_labels_are_bilingual():
    _, terms = priority_score(
        ScoreFacts(created_at=NOW - timedelta(hours=3), key_account=True), NOW
    )
    labels = {t.code: (t.label_en, t.label_zh) for t in terms}
    assert labels["key_account"] == ("Key account", "重点客户")
    assert labels["waiting"] == ("Waiting 3 h", "已等待 3 小时")


def test_key_accounts_and_expedite_partners_jump_ahead_of_older_tickets():
    old = priority_score(
        ScoreFacts(created_at=NOW - timedelta(hours=6), category="order_trade"), NOW
    )[0]
    key = priority_score(ScoreFacts(created_at=NOW, category="order_trade", key_account=True), NOW)[
        0
    ]
    partner = priority_score(
        ScoreFacts(created_at=NOW, category="order_trade", expedite=True), NOW
    )[0]
    assert partner > key > old


def test_sla_terms_step_up_as_the_due_time_nears_and_after_it():
    def sla(left: timedelta) -> float:
        return _terms(ScoreFacts(created_at=NOW, sla_due_at=NOW + left)).get(
            "sla_due", 0
        ) or _terms(ScoreFacts(created_at=NOW, sla_due_at=NOW + left)).get("sla_breached", 0)

    points = [sla(timedelta(hours=h)) for h in (30, 20, 6, 1, -1)]
    assert points == [0, 5, 15, 30, 45]


def test_next_change_is_the_next_step_of_waiting_or_sla():
    created = NOW - timedelta(minutes=90)
    assert next_change(created, None, NOW) == created + timedelta(hours=2)
    assert next_change(created, NOW + timedelta(hours=2, minutes=10), NOW) == NOW + timedelta(
        minutes=10
    )
    assert next_change(NOW - timedelta(days=3), None, NOW) is None  # waiting is capped at 24 h


def test_rescore_keeps_the_static_terms_and_moves_the_time_terms():
    created = NOW - timedelta(hours=1)
    _, terms = priority_score(
        ScoreFacts(created_at=created, priority="high", key_account=True), NOW
    )
    stored = [Term.from_dict(t.as_dict()) for t in terms]
    later = NOW + timedelta(hours=4)
    score, moved = rescore(stored, created, later + timedelta(hours=1), later)
    assert {t.code: t.points for t in moved} == {"priority": 25, "key_account": 20, "uncategorised": 5,
                                                 "waiting": 10, "sla_due": 30}  # fmt: skip
    assert score == 90
