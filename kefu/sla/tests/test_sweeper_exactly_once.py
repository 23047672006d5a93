"""The SLA sweeper fires each warning and breach exactly once, however many sweep at once."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from kefu.sla import sweep
from kefu.sla.models import BusinessCalendar, SlaClock, SlaPolicy
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.models import TicketEvent


def one_minute_policy() -> SlaPolicy:
    return SlaPolicy.objects.create(
        code="one-minute", name_en="One minute", name_zh="一分钟", channel="web", order=1,
        first_response="1m", calendar=BusinessCalendar.objects.get(code="always"),
    )  # fmt: skip


@pytest.mark.django_db
def test_next_due_and_find_due_follow_the_indexed_instants(personas, frozen):
    one_minute_policy()
    ticket = make_ticket(personas.anna)
    first = SlaClock.objects.get(ticket=ticket, metric="first_response")
    assert first.warn_at == frozen.now + timedelta(seconds=45)
    assert sweep.next_due() == first.warn_at
    assert sweep.find_due(frozen.now) == ([], [])
    assert sweep.find_due(first.warn_at) == ([first.pk], [])
    assert sweep.find_due(first.due_at) == ([], [first.pk])  # past the breach: no warning
    frozen.set(first.warn_at)
    assert sweep.sweep(frozen.now) == 1
    frozen.set(first.due_at)
    assert sweep.sweep(frozen.now) == 1
    first.refresh_from_db()
    assert (first.state, first.warned_at, first.breached_at) == (
        "breached",
        first.due_at - timedelta(seconds=15),
        first.due_at,
    )
    event = TicketEvent.objects.get(ticket=ticket, kind="sla_breach")
    assert (event.new, event.data["metric"], event.data["clock"]) == (
        "first_response",
        "first_response",
        first.pk,
    )
    assert sweep.sweep(frozen.now) == 0


@pytest.mark.django_db
def test_paused_and_met_clocks_never_fire(personas, frozen):
    one_minute_policy()
    paused, met = make_ticket(personas.anna), make_ticket(personas.anna)
    alice = personas.viewer(personas.alice)
    actions.change_status(ticket=paused, actor=alice, status="pending_customer")
    actions.add_message(ticket=met, actor=alice, body="Hello")
    frozen.advance(minutes=5)
    assert sweep.sweep(frozen.now) == 0
    assert not TicketEvent.objects.filter(kind__startswith="sla_").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sweeps_fire_each_clock_once(personas, frozen):
    one_minute_policy()
    tickets = [make_ticket(personas.anna, subject=f"T{n}") for n in range(30)]
    frozen.advance(seconds=50)  # the warnings are due, the breaches not yet
    counts: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()  # both sweep the same due clocks at the same moment
            counts.append(sweep.sweep(frozen.now))
        except BaseException as error:  # re-raised below
            errors.append(error)
        finally:
            connection.close()

    for _ in ("warnings", "breaches"):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        frozen.advance(seconds=20)
    assert not errors
    assert sum(counts) == 60  # 30 warnings and 30 breaches between the two sweeps
    fired = Counter(
        TicketEvent.objects.filter(kind__in=["sla_warning", "sla_breach"]).values_list(
            "ticket_id", "kind"
        )
    )
    assert set(fired.values()) == {1}
    assert len(fired) == 60 and {t for t, _ in fired} == {t.pk for t in tickets}


@pytest.mark.django_db
def test_a_failing_clock_does_not_hold_back_the_others(personas, frozen, monkeypatch):
    one_minute_policy()
    tickets = [make_ticket(personas.anna, subject=f"T{n}") for n in range(3)]
    poisoned = tickets[1]
    real = sweep._record

    def record(clock, kind, now):
        if clock.ticket_id == poisoned.pk:
            raise RuntimeError("escalation exploded")
        real(clock, kind, now)

    monkeypatch.setattr(sweep, "_record", record)
    frozen.advance(minutes=2)
    assert sweep.sweep(frozen.now) == 2
    breached = set(
        SlaClock.objects.filter(breached_at__isnull=False).values_list("ticket_id", flat=True)
    )
    assert breached == {tickets[0].pk, tickets[2].pk}  # the poisoned claim was rolled back
    monkeypatch.setattr(sweep, "_record", real)
    assert sweep.sweep(frozen.now) == 1  # and fires on the next sweep
