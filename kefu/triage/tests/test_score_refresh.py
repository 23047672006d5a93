"""The stored score follows the ticket: events rescore it at once (keeping other apps' bumps),
and the sweeper moves the time terms (waiting, SLA) forward in batches."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.accounts.access import SYSTEM
from kefu.jobs.sweepers import REGISTRY
from kefu.testing import api_client, make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Status, Ticket
from kefu.triage import score_refresh
from kefu.triage.models import ScoreRefresh


def _terms(ticket: Ticket) -> dict[str, float]:
    ticket.refresh_from_db()
    return {t["code"]: t["points"] for t in ticket.triage["score_terms"]}


@pytest.mark.django_db
def test_a_priority_change_rescores_at_once(personas):
    ticket = make_ticket(personas.anna)
    assert _terms(ticket)["priority"] == 10
    api_client(personas.alice).patch(f"/api/v1/tickets/{ticket.number}", {"priority": "urgent"},
                                     content_type="application/json")  # fmt: skip
    assert _terms(ticket)["priority"] == 40
    assert ticket.score == sum(_terms(ticket).values())


@pytest.mark.django_db
def test_a_nudge_bump_is_kept_through_rescoring(personas):
    ticket = make_ticket(personas.anna)
    before = Ticket.objects.get(pk=ticket.pk).score
    actions.raise_score(
        ticket=ticket, actor=personas.viewer(personas.anna), by=10.0, reason="nudge"
    )
    assert Ticket.objects.get(pk=ticket.pk).score == before + 10
    actions.update_ticket(ticket=ticket, actor=SYSTEM, changes={"priority": "high"})
    terms = _terms(ticket)
    assert terms["nudge"] == 10 and terms["priority"] == 25
    assert ticket.score == before + 10 + 15


@pytest.mark.django_db
def test_repeat_contacts_on_the_same_order_raise_the_score(personas):
    make_ticket(personas.anna, order_id="PO-42", created_at=timezone.now() - timedelta(days=2))
    make_ticket(personas.anna, order_id="PO-42", created_at=timezone.now() - timedelta(days=1))
    third = make_ticket(personas.anna, order_id="PO-42")
    other = make_ticket(personas.anna, order_id="PO-43")
    assert _terms(third)["repeat"] == 16 and "repeat" not in _terms(other)


@pytest.mark.django_db
def test_the_sweeper_moves_waiting_time_forward_and_forgets_closed_tickets(personas, monkeypatch):
    monkeypatch.setattr(score_refresh, "nearest_due", lambda ids: {})  # waiting time alone here
    ticket = make_ticket(personas.anna, created_at=timezone.now() - timedelta(hours=5))
    done = make_ticket(personas.anna)
    ScoreRefresh.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    Ticket.objects.filter(pk=done.pk).update(status=Status.CLOSED)
    now = timezone.now() + timedelta(hours=2)
    assert REGISTRY["triage-scores"].run(now) == 2
    assert _terms(ticket)["waiting"] == 14  # 7 hours at 2 points
    refresh = ScoreRefresh.objects.get(ticket=ticket)
    assert refresh.due_at == ticket.created_at + timedelta(hours=8)
    assert not ScoreRefresh.objects.filter(ticket=done).exists()
    assert score_refresh.next_due() == refresh.due_at
    assert REGISTRY["triage-scores"].run(now) == 0  # nothing else due


@pytest.mark.django_db
def test_sla_due_times_enter_the_score(staffed):
    response = api_client(staffed.anna).post(
        "/api/v1/tickets", {"subject": "Where is my order PO-88123?",
                            "body": "Order PO-88123 was placed last week and still shows unpaid."},
        content_type="application/json",
    )  # fmt: skip
    ticket = Ticket.objects.get(number=response.json()["number"])
    due = ticket.sla_clocks.filter(due_at__isnull=False).order_by("due_at").first()
    if due is None:
        pytest.skip("no SLA policy gives this ticket a due time")
    assert ticket.triage["sla_due_at"] == due.due_at.isoformat()
    score_refresh.sweep(due.due_at + timedelta(minutes=1))
    assert _terms(ticket)["sla_breached"] == 45


@pytest.mark.django_db
def test_sqlite_gets_statistics_for_the_queue_order_now_and_then():
    from django.db import connection

    from kefu.triage import statistics

    statistics._next["at"] = None
    now = timezone.now()
    REGISTRY["triage-statistics"].run(now)
    if connection.vendor != "sqlite":
        assert statistics.next_due() is None  # PostgreSQL analyses by itself
        return
    assert statistics.next_due() == now + statistics.INTERVAL
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1
