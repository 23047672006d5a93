"""Optimistic concurrency holds when two submits arrive in the same instant (issue #13): the
version is checked inside the unit of work under the ticket's row lock, so the second submit
made from the same read waits for the first, then sees the ticket moved and is refused."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kefu.errors import StaleTicket
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.concurrency import check_version, ticket_version
from kefu.tickets.models import Ticket
from kefu.tickets.work import unit_of_work


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_of_two_simultaneous_submits_is_refused(personas):
    ticket = make_ticket(personas.anna)
    seen = ticket_version(ticket)
    alice = personas.viewer(personas.alice)
    outcome: dict[str, str] = {}

    def second_submit() -> None:
        try:
            with unit_of_work():
                check_version(ticket, seen)
                actions.update_ticket(ticket=Ticket.objects.get(pk=ticket.pk), actor=alice,
                                      changes={"priority": "low"})  # fmt: skip
            outcome["second"] = "applied"
        except StaleTicket:
            outcome["second"] = "refused"
        finally:
            connection.close()

    with unit_of_work():
        check_version(ticket, seen)
        other = threading.Thread(target=second_submit)
        other.start()
        other.join(0.5)
        assert other.is_alive()  # it waits for this submit's lock on the ticket
        actions.update_ticket(ticket=ticket, actor=alice, changes={"priority": "high"})
    other.join(10)

    assert outcome == {"second": "refused"}
    assert Ticket.objects.get(pk=ticket.pk).priority == "high"  # the first submit stands
