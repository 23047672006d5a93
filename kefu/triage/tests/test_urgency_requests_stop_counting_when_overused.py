"""The urgent label cannot be abused (issue 14): a customer's request for urgency adds a little to
the queue score and is shown to the agent with the customer's history; a requester who asks on
most of their recent tickets stops moving up the queue for it, and the agent sees why."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from kefu.accounts.models import User
from kefu.testing import api_client, make_ticket, session_client
from kefu.triage.score import (
    URGENCY_MIN_TICKETS,
    URGENCY_WINDOW,
    URGENT_REQUEST_POINTS,
    ScoreFacts,
    priority_score,
    urgency_overused,
)

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ORDERS = count(1)


def score(**facts) -> tuple[float, dict[str, dict]]:
    total, terms = priority_score(ScoreFacts(created_at=NOW, **facts), NOW)
    return total, {t.code: t.as_dict() for t in terms}


@pytest.mark.parametrize(
    ("asked", "tickets", "overused"),
    [(5, 5, False), (3, 6, False), (4, 6, True), (6, 6, True), (2, 10, False), (6, 10, True)],
)
def test_most_of_at_least_six_tickets_is_overuse(asked, tickets, overused):
    assert (URGENCY_MIN_TICKETS, URGENCY_WINDOW.days) == (6, 30)
    assert urgency_overused(asked, tickets) is overused


def test_the_score_with_and_without_overuse():
    plain, _ = score()
    asked, terms = score(urgent_requested=True, urgency_history=(2, 6))
    assert asked == plain + URGENT_REQUEST_POINTS
    assert terms["urgent_request"]["zh"] == "客户请求加急"
    ignored, terms = score(urgent_requested=True, urgency_history=(5, 6))
    assert ignored == plain and "urgent_request" not in terms
    reason = terms["urgent_request_ignored"]
    assert reason["points"] == 0  # kept although it is worth nothing: it says why
    assert (
        reason["en"]
        == "Urgency request not counted: asked urgent on 5 of their last 6 tickets (30 days)"
    )
    assert reason["zh"] == "加急请求不计分：最近 6 张工单中有 5 张都申请了加急（30 天内）"


def _urgent(personas, user, **fields):
    """An urgent request on an order of its own (no repeat-contact points to blur the score)."""
    return make_ticket(user, urgent_requested=True, order_id=f"PO-{next(ORDERS)}", **fields)


@pytest.mark.django_db
def test_a_requester_who_asks_on_every_ticket_stops_moving_up(personas):
    first = [_urgent(personas, personas.anna) for _ in range(URGENCY_MIN_TICKETS - 1)]
    for ticket in first:
        assert "urgent_request" in {t["code"] for t in ticket.triage["score_terms"]}
    sixth = _urgent(personas, personas.anna)
    assert sixth.triage["urgency"] == {"asked": 6, "tickets": 6, "counted": False}
    codes = {t["code"] for t in sixth.triage["score_terms"]}
    assert "urgent_request_ignored" in codes and "urgent_request" not in codes
    # Sam, Anna's colleague, asks once: his request still counts (judged per requester).
    sams = _urgent(personas, personas.sam)
    assert sams.triage["urgency"] == {"asked": 1, "tickets": 1, "counted": True}
    assert sams.score == first[0].score  # same facts, and the request counted
    assert sixth.score == first[0].score - URGENT_REQUEST_POINTS
    # Agents get the same through the API; the customer does not.
    api = api_client(personas.alice).get(f"/api/v1/tickets/{sixth.number}").json()
    assert api["urgent_requested"] and api["triage"]["urgency"]["counted"] is False
    assert api_client(personas.anna).get(f"/api/v1/tickets/{sixth.number}").json()["triage"] is None


@pytest.mark.django_db
def test_tickets_older_than_the_window_do_not_count(personas):
    long_ago = datetime.now(UTC) - URGENCY_WINDOW - timedelta(days=1)
    for _ in range(URGENCY_MIN_TICKETS):
        _urgent(personas, personas.anna, created_at=long_ago)
    ticket = _urgent(personas, personas.anna)
    assert ticket.triage["urgency"] == {"asked": 1, "tickets": 1, "counted": True}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "history", "reason"),
    [
        ("en", "Asked urgent on 6 of their last 6 tickets (30 days)",
         "They ask on most of their tickets, so the request no longer raises the queue score"),
        ("zh-hans", "最近 6 张工单中有 6 张申请了加急（30 天内）", "该客户大多数工单都申请加急"),
    ],
)  # fmt: skip
def test_the_agent_sees_the_history_and_why_in_both_languages(personas, language, history, reason):
    for _ in range(URGENCY_MIN_TICKETS):
        ticket = _urgent(personas, personas.anna)
    User.objects.filter(pk=personas.alice.pk).update(language=language)
    client = session_client(personas.alice)
    client.cookies["django_language"] = language
    page = client.get(f"/desk/t/{ticket.number}/").content.decode()
    assert history in page and reason in page
