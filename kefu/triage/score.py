"""The priority score that orders the agents' queue instead of first-come-first-served. Pure.

``priority_score(facts, now)`` returns the score and its terms, each with a bilingual label and
its points, so every ticket can say why it ranks where it does. Points are additive and the
weights below are the whole policy:

- urgency: the ticket's priority, emergencies (handled any day), complaints, the category;
- who asks: key accounts (GMV ≥ $500k or 4.8+ for 6 months), certified partners with expedite
  rights ("their tickets jump ahead"), and a customer's own request for urgency — which stops
  counting for a requester who asks on most of their tickets (``urgency_overused``);
- history: repeat contacts on the same issue (same requester, same order or category, recently);
- money: the order value, in steps;
- time: hours waited, and how close the nearest SLA due time is (or how far past it);
- noise: duplicates merged into the ticket and message floods lower it;
- bumps: points other apps added on purpose (``tickets.actions.raise_score``, e.g. a customer's
  nudge 催办), kept through every recomputation.

Time terms are step functions, so a stored score stays exact until ``next_change`` — the sweeper
only revisits a ticket when one of its steps is reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

PRIORITY_POINTS = {"urgent": 40, "high": 25, "normal": 10, "low": 0}
PRIORITY_ZH = {"urgent": "紧急", "high": "高", "normal": "普通", "low": "低"}
CATEGORY_POINTS = {
    "account_access": 8,
    "payment_billing": 8,
    "integration_tech": 6,
    "after_sales": 6,
    "order_trade": 5,
    "shipment_logistics": 5,
    "product_merchant": 3,
    "other": 0,
}
OTHER_CATEGORY_POINTS = 3  # categories admins add later
UNCATEGORISED_POINTS = 5  # waiting for a person to triage it
EMERGENCY_POINTS = 50
COMPLAINT_POINTS = 10
KEY_ACCOUNT_POINTS = 20
EXPEDITE_POINTS = 25
# A customer may ask for urgency (they never set the priority): the request adds a little, unless
# the requester asks on more than URGENCY_MAX_SHARE of their tickets of the last URGENCY_WINDOW,
# counted once they have at least URGENCY_MIN_TICKETS there (the ticket itself included). Judged
# per requester, not per organisation: it is a person's habit, and one colleague's habit must not
# silence the urgent requests of everyone else in a buyer's or merchant's organisation.
URGENT_REQUEST_POINTS = 10
URGENCY_WINDOW = timedelta(days=30)
URGENCY_MIN_TICKETS = 6
URGENCY_MAX_SHARE = 0.5
REPEAT_POINTS, REPEAT_CAP = 8, 3  # per earlier contact on the same issue, at most three
ORDER_VALUE_STEPS = ((Decimal(50_000), 15), (Decimal(10_000), 10), (Decimal(1_000), 5))
WAIT_POINTS_PER_HOUR, WAIT_CAP_HOURS = 2, 24
# (time left before the SLA is breached, points); past the due time counts the most.
SLA_STEPS = ((timedelta(hours=2), 30), (timedelta(hours=8), 15), (timedelta(hours=24), 5))
SLA_BREACHED_POINTS = 45
DUPLICATE_POINTS, DUPLICATE_CAP = -5, 4
FLOOD_THRESHOLD = 5  # messages from one sender within the flood window
# A burst is counted up to here ("100+"): a flood must not make each of its messages slower.
BURST_COUNTED = 100
FLOOD_POINTS = -15

_LABELS: dict[str, tuple[str, str]] = {
    "priority": ("Priority: {value}", "优先级：{value}"),
    "category": ("Category: {value}", "类别：{value}"),
    "uncategorised": ("Needs triage", "待分诊"),
    "emergency": ("Emergency", "紧急事件"),
    "complaint": ("Complaint", "投诉"),
    "key_account": ("Key account", "重点客户"),
    "expedite": ("Partner with expedite rights", "享有加急权的服务商"),
    "urgent_request": ("Customer asked for urgency", "客户请求加急"),
    "urgent_request_ignored": (
        "Urgency request not counted: asked urgent on {value} (30 days)",
        "加急请求不计分：{value}都申请了加急（30 天内）",
    ),
    "repeat": ("Contacted {value} time(s) before about this", "此前已就此问题联系 {value} 次"),
    "order_value": ("Order value ≥ ${value}", "订单金额 ≥ ${value}"),
    "waiting": ("Waiting {value} h", "已等待 {value} 小时"),
    "sla_due": ("SLA due within {value} h", "距 SLA 到期不足 {value} 小时"),
    "sla_breached": ("SLA breached", "已超出 SLA"),
    "duplicates": ("{value} duplicate message(s)", "{value} 条重复消息"),
    "flood": ("Message flood ({value} in a burst)", "消息轰炸（短时间内 {value} 条）"),
    "nudge": ("Customer nudged ({value}×)", "客户催办（{value} 次）"),
    "bump": ("Raised: {value}", "人工上调：{value}"),
}
TIME_TERMS = frozenset({"waiting", "sla_due", "sla_breached"})
# Terms worth no points that are kept: they say why something did not count.
EXPLAINING_TERMS = frozenset({"urgent_request_ignored"})


@dataclass(frozen=True)
class ScoreFacts:
    """What the score looks at; gathered from the ticket by ``triage.score_refresh``."""

    created_at: datetime
    priority: str = "normal"
    category: str | None = None
    category_names: tuple[str, str] | None = None  # (English, Chinese) for the label
    is_emergency: bool = False
    is_complaint: bool = False
    key_account: bool = False
    expedite: bool = False
    urgent_requested: bool = False
    # The requester's tickets in the urgency window up to this one, and how many asked urgency.
    urgency_history: tuple[int, int] = (0, 0)  # (asked, tickets)
    repeat_contacts: int = 0
    order_value: Decimal | None = None
    sla_due_at: datetime | None = None  # the nearest running SLA due time, if any
    duplicates: int = 0
    burst: int = 0  # messages from the sender within the flood window
    bumps: tuple[tuple[str, float], ...] = ()  # (reason, points) raised by other apps


@dataclass(frozen=True)
class Term:
    code: str
    points: float
    label_en: str
    label_zh: str

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "points": self.points, "en": self.label_en, "zh": self.label_zh}

    @classmethod
    def from_dict(cls, data: dict) -> Term:
        return cls(data["code"], float(data["points"]), data["en"], data["zh"])


def _term(code: str, points: float, value: object = "", value_zh: object = None) -> Term:
    en, zh = _LABELS[code]
    return Term(code, points, en.format(value=value), zh.format(value=value_zh or value))


def priority_score(facts: ScoreFacts, now: datetime) -> tuple[float, list[Term]]:
    """The score (higher is served first) and the terms that make it up, largest first."""
    static = [
        *_urgency_terms(facts),
        *_customer_terms(facts),
        *_bump_terms(facts),
        *_noise_terms(facts),
    ]
    return combine(static, time_terms(facts.created_at, facts.sla_due_at, now))


def combine(static: list[Term], timed: list[Term]) -> tuple[float, list[Term]]:
    """The score of the terms; terms are listed largest first, zero terms left out."""
    terms = [t for t in [*static, *timed] if t.points or t.code in EXPLAINING_TERMS]
    terms.sort(key=lambda t: -abs(t.points))
    return float(sum(t.points for t in terms)), terms


def rescore(
    terms: list[Term], created_at: datetime, sla_due_at: datetime | None, now: datetime
) -> tuple[float, list[Term]]:
    """Stored terms with their time terms brought up to ``now`` (what the sweeper does)."""
    static = [t for t in terms if t.code not in TIME_TERMS]
    return combine(static, time_terms(created_at, sla_due_at, now))


def _urgency_terms(facts: ScoreFacts) -> list[Term]:
    points = PRIORITY_POINTS.get(facts.priority, 0)
    terms = [_term("priority", points, facts.priority, PRIORITY_ZH.get(facts.priority))]
    if facts.category is None:
        terms.append(_term("uncategorised", UNCATEGORISED_POINTS))
    else:
        points = CATEGORY_POINTS.get(facts.category, OTHER_CATEGORY_POINTS)
        name_en, name_zh = facts.category_names or (facts.category, facts.category)
        terms.append(_term("category", points, name_en, name_zh))
    if facts.is_emergency:
        terms.append(_term("emergency", EMERGENCY_POINTS))
    if facts.is_complaint:
        terms.append(_term("complaint", COMPLAINT_POINTS))
    return terms


def _customer_terms(facts: ScoreFacts) -> list[Term]:
    terms = []
    if facts.key_account:
        terms.append(_term("key_account", KEY_ACCOUNT_POINTS))
    if facts.expedite:
        terms.append(_term("expedite", EXPEDITE_POINTS))
    if facts.urgent_requested:
        terms.append(_urgency_term(*facts.urgency_history))
    if facts.repeat_contacts:
        repeats = min(facts.repeat_contacts, REPEAT_CAP)
        terms.append(_term("repeat", REPEAT_POINTS * repeats, facts.repeat_contacts))
    if facts.order_value is not None:
        for threshold, points in ORDER_VALUE_STEPS:
            if facts.order_value >= threshold:
                terms.append(_term("order_value", points, f"{threshold:,.0f}"))
                break
    return terms


def urgency_overused(asked: int, tickets: int) -> bool:
    """Whether a requester asks for urgency on most of their recent tickets."""
    return tickets >= URGENCY_MIN_TICKETS and asked > tickets * URGENCY_MAX_SHARE


def _urgency_term(asked: int, tickets: int) -> Term:
    if not urgency_overused(asked, tickets):
        return _term("urgent_request", URGENT_REQUEST_POINTS)
    en = f"{asked} of their last {tickets} tickets"
    zh = f"最近 {tickets} 张工单中有 {asked} 张"
    return _term("urgent_request_ignored", 0, en, zh)


def _waited_hours(created_at: datetime, now: datetime) -> int:
    return max(0, int((now - created_at) / timedelta(hours=1)))


def time_terms(created_at: datetime, sla_due_at: datetime | None, now: datetime) -> list[Term]:
    hours = min(_waited_hours(created_at, now), WAIT_CAP_HOURS)
    terms = [_term("waiting", WAIT_POINTS_PER_HOUR * hours, hours)]
    if sla_due_at is not None:
        left = sla_due_at - now
        if left <= timedelta(0):
            terms.append(_term("sla_breached", SLA_BREACHED_POINTS))
        else:
            for window, points in SLA_STEPS:
                if left <= window:
                    terms.append(_term("sla_due", points, int(window / timedelta(hours=1))))
                    break
    return terms


def _bump_terms(facts: ScoreFacts) -> list[Term]:
    nudges = [points for reason, points in facts.bumps if reason == "nudge"]
    terms = [_term("nudge", sum(nudges), len(nudges))] if nudges else []
    return terms + [_term("bump", p, reason) for reason, p in facts.bumps if reason != "nudge"]


def _noise_terms(facts: ScoreFacts) -> list[Term]:
    terms = []
    if facts.duplicates:
        repeats = min(facts.duplicates, DUPLICATE_CAP)
        terms.append(_term("duplicates", DUPLICATE_POINTS * repeats, facts.duplicates))
    if facts.burst >= FLOOD_THRESHOLD:
        shown = f"{facts.burst}+" if facts.burst >= BURST_COUNTED else facts.burst
        terms.append(_term("flood", FLOOD_POINTS, shown))
    return terms


def next_change(
    created_at: datetime, sla_due_at: datetime | None, now: datetime
) -> datetime | None:
    """The next instant a time term steps (None: the score no longer changes with time)."""
    candidates = []
    waited = _waited_hours(created_at, now)
    if waited < WAIT_CAP_HOURS:
        candidates.append(created_at + timedelta(hours=waited + 1))
    if sla_due_at is not None:
        steps = [sla_due_at - window for window, _ in SLA_STEPS] + [sla_due_at]
        candidates += [instant for instant in steps if instant > now]
    return min(candidates) if candidates else None
