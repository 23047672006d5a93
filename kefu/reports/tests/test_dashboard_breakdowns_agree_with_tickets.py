"""The dashboard's breakdowns equal plain counts over the tickets: volume by day, channel and
category; the weekday × hour heatmap in Asia/Shanghai and in the viewer's zone (Asia/Tokyo,
one hour later); and per-agent figures — handled, first-response median in business time,
share satisfied and the QA score of reviews completed in the period."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.escalation.actions import open_qa_review
from kefu.escalation.models import QaReview
from kefu.escalation.qa import active_rubric, score_review
from kefu.reports import dashboard, params, rollup
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.models import EventKind, Ticket

from .conftest import SHANGHAI

TOKYO = ZoneInfo("Asia/Tokyo")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=SHANGHAI)


def build(p, frozen) -> None:  # type: ignore[no-untyped-def]
    lena, alice = p.viewer(p.lena), p.viewer(p.alice)
    made = [(12, 9, "web", "order_trade"), (12, 23, "email", "order_trade"),
            (13, 14, "chat", "payment_billing"), (14, 10, "web", "payment_billing")]  # fmt: skip
    for day, hour, channel, category in made:
        frozen.set(at(day, hour))
        ticket = make_ticket(p.anna, channel=channel, category=category)
        actions.update_ticket(ticket=ticket, actor=lena, changes={"assignee": p.alice.agent})
        frozen.set(at(day, hour, 10))
        actions.add_message(ticket=ticket, actor=alice, body="Looking into it.")
    actions.record_event(ticket, p.viewer(p.anna), EventKind.RATED, new="satisfied")
    frozen.set(at(14, 15))
    review = open_qa_review(ticket, "weekly sample", agent=p.alice.agent)
    rubric = active_rubric()
    assert rubric is not None
    full = {c.code: c.max_points for c in rubric.criteria.all()}
    half = {code: points // 2 for code, points in full.items()}
    score_review(review=review, actor=p.viewer(p.quinn), scores=half, outcome="ok", feedback="")
    frozen.set(at(16, 12))
    while rollup.sweep(frozen.now):
        pass


def heat(zone: ZoneInfo) -> Counter:  # type: ignore[type-arg]
    return Counter(
        (t.created_at.astimezone(zone).weekday(), t.created_at.astimezone(zone).hour)
        for t in Ticket.objects.all()
    )


@pytest.mark.django_db
def test_breakdowns_equal_counts_over_the_tickets(personas, frozen):
    build(personas, frozen)
    period = params.period_of({"from": "2026-10-12", "to": "2026-10-18"})
    data = dashboard.build(
        personas.viewer(personas.ada), period, params.filters_of({}), "Asia/Tokyo"
    )
    tickets = list(Ticket.objects.select_related("category"))
    by_day = Counter(t.created_at.astimezone(SHANGHAI).date() for t in tickets)
    assert {d["day"]: d["created"] for d in data["daily"] if d["created"]} == by_day
    assert {v["key"]: v["tickets"] for v in data["channels"]} == Counter(t.channel for t in tickets)
    assert {v["key"]: v["tickets"] for v in data["categories"]} == Counter(
        t.category_id for t in tickets
    )
    for grid, zone in ((data["heatmap"], SHANGHAI), (data["heatmap_local"], TOKYO)):
        cells = {(d, h): n for d, row in enumerate(grid) for h, n in enumerate(row) if n}
        assert cells == heat(zone)
    assert data["heatmap"] != data["heatmap_local"]  # 23:00 in Shanghai is Tuesday in Tokyo

    [alice] = data["agents"]
    assert alice["agent"] == personas.alice.agent.code and alice["handled"] == len(tickets)
    assert (
        alice["first_response_median_seconds"] == 600.0
    )  # 10 working minutes; 0 for the 23:00 one
    assert alice["csat_satisfied_rate"] == 1.0
    review = QaReview.objects.get(agent=personas.alice.agent)
    assert alice["qa_score"] == review.score and review.score < 100
