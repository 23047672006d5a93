"""The SLA and score sweepers never wait for a ticket another transaction is changing
(PostgreSQL): they skip it and take it on the next sweep. A ticket change takes the ticket row,
then its clocks and its score-refresh row; a sweeper that held a clock or a refresh row and then
waited for the ticket closed a cycle with it, which PostgreSQL broke by killing one of the two
(the deadlocks seen while workers caught up after an outage)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from kefu.sla import sweep as sla_sweep
from kefu.sla.actions import rebuild_clocks
from kefu.sla.models import BusinessCalendar, SlaClock, SlaPolicy
from kefu.testing import make_ticket
from kefu.tickets.models import Ticket, TicketEvent
from kefu.triage import score_refresh
from kefu.triage.models import ScoreRefresh

HOLD = 2.0  # seconds the change keeps the ticket before its second step; > deadlock_timeout


def change_in_two_steps(ticket_id: int, second: Callable[[Ticket], object]) -> tuple:
    """A ticket change in another connection: the ticket row now, ``second`` ``HOLD`` s later.
    Returns (the thread, an event set once the row is held, the errors it met)."""
    held, errors = threading.Event(), []

    def run() -> None:
        try:
            with transaction.atomic():
                Ticket.objects.filter(pk=ticket_id).update(priority="high")
                held.set()
                time.sleep(HOLD)
                second(Ticket.objects.get(pk=ticket_id))
        except Exception as error:
            errors.append(error)
        finally:
            held.set()
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert held.wait(10)
    return thread, errors


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set KEFU_TEST_DATABASE_URL=postgresql://… to run it")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_score_sweeper_skips_a_ticket_being_changed(personas):
    needs_postgres()
    ticket = make_ticket(personas.anna)
    ScoreRefresh.objects.filter(ticket=ticket).update(due_at=timezone.now() - timedelta(minutes=1))
    thread, errors = change_in_two_steps(ticket.pk, score_refresh.refresh)
    began = time.monotonic()
    handled = score_refresh.sweep(timezone.now())
    waited = time.monotonic() - began
    thread.join(30)
    assert errors == [] and handled == 0
    assert waited < HOLD / 2  # it did not wait for the change
    assert ScoreRefresh.objects.get(ticket=ticket).due_at > timezone.now()  # rescored by it


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sla_sweeper_skips_a_ticket_being_changed_and_fires_once_after(personas):
    needs_postgres()
    SlaPolicy.objects.create(
        code="one-minute", name_en="One minute", name_zh="一分钟", channel="web", order=1,
        first_response="1m", calendar=BusinessCalendar.objects.get(code="always"),
    )  # fmt: skip
    # A shipment breach raises the priority: the sweeper writes the ticket itself.
    ticket = make_ticket(personas.anna, category="shipment_logistics",
                         created_at=timezone.now() - timedelta(minutes=2))  # fmt: skip
    clock = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert clock.due_at <= timezone.now()
    thread, errors = change_in_two_steps(ticket.pk, lambda t: rebuild_clocks(ticket=t))
    began = time.monotonic()
    fired = sla_sweep.sweep(timezone.now())
    waited = time.monotonic() - began
    thread.join(30)
    assert errors == [] and fired == 0 and waited < HOLD / 2
    assert sla_sweep.sweep(timezone.now()) == 1  # the next sweep takes it
    assert sla_sweep.sweep(timezone.now()) == 0
    breaches = TicketEvent.objects.filter(ticket=ticket, kind="sla_breach")
    assert list(breaches.values_list("data__clock", flat=True)) == [clock.pk]
