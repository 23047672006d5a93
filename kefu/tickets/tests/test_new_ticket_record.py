"""A unit of work keeps what it wrote of a ticket it created, and its readers (the SLA history,
the evidence check, the score's bumps) take that instead of reading it back: it must say exactly
what the database says once committed, and be dropped when rows move between tickets."""

from __future__ import annotations

import pytest

from kefu.sla.actions import _history_rows
from kefu.testing import make_ticket, sample_file
from kefu.tickets import actions
from kefu.tickets.models import Status, Ticket
from kefu.tickets.work import created_here, unit_of_work
from kefu.triage.evidence_flow import _submitted_rows
from kefu.triage.score_refresh import _bumps


def _read(ticket: Ticket) -> tuple[object, ...]:
    return _history_rows(ticket), _submitted_rows(ticket), _bumps(ticket)


def _busy_new_ticket(personas) -> Ticket:
    alice = personas.viewer(personas.alice)
    ticket = make_ticket(personas.anna)
    actions.add_message(ticket=ticket, actor=alice, body="Which order?")
    actions.add_message(ticket=ticket, actor=alice, body="(note)", internal=True)
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="PO-1, see file")
    actions.attach_file(ticket=ticket, actor=alice, filename="a.png", data=sample_file("png"))
    actions.change_status(ticket=ticket, actor=alice, status=Status.PENDING_CUSTOMER)
    actions.raise_score(ticket=ticket, actor=alice, by=5, reason="nudged")
    return ticket


@pytest.mark.django_db
def test_what_a_unit_kept_of_its_new_ticket_is_what_the_database_holds(personas):
    with unit_of_work():
        ticket = _busy_new_ticket(personas)
        assert created_here(ticket.pk) is not None
        kept = _read(ticket)
    assert created_here(ticket.pk) is None  # outside the unit: read from the database
    assert kept == _read(ticket)
    history, (bodies, types), bumps = kept
    assert [new for _, _, new in history[0]] == [Status.OPEN, Status.PENDING_CUSTOMER]
    assert bodies == ["Order PO-1 has not arrived.", "PO-1, see file"]
    assert types == ["image/png"] and bumps[0][1] == 5


@pytest.mark.django_db
def test_a_merge_in_the_same_unit_reads_the_database_again(personas):
    other = make_ticket(personas.anna)
    with unit_of_work():
        ticket = make_ticket(personas.anna)
        actions.merge_tickets(source=other, target=ticket, actor=personas.viewer(personas.lena))
        assert created_here(ticket.pk) is None
        bodies, _types = _submitted_rows(ticket)
    assert len(bodies) == 2  # the moved message counts
