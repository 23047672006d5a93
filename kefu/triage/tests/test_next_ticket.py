""" "Next ticket" is atomic: agents pressing at once never get the same ticket."""

import threading

import pytest
from django.db import connection

from kefu.accounts.access import viewer_for
from kefu.errors import Forbidden
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.models import Ticket


def _race(users, rounds=1):
    """Every user presses "next" ``rounds`` times, all starting together."""
    taken: list = []
    errors: list = []
    start = threading.Barrier(len(users))

    def press(user):
        try:
            viewer = viewer_for(user)
            start.wait()
            for _ in range(rounds):
                ticket = actions.take_next_ticket(actor=viewer)
                taken.append((user.agent.code, ticket.number if ticket else None))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return taken


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_ticket_two_agents_exactly_one_gets_it(personas):
    ticket = make_ticket(personas.anna)
    taken = _race([personas.alice, personas.lena])
    assert sorted(number or "" for _, number in taken) == ["", ticket.number]
    ticket.refresh_from_db()
    winner = next(code for code, number in taken if number)
    assert ticket.assignee.code == winner and ticket.events.filter(kind="assignee").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_presses_hand_out_each_ticket_once(personas):
    numbers = {make_ticket(personas.anna, subject=f"t{i}").number for i in range(6)}
    taken = _race([personas.alice, personas.lena], rounds=4)
    handed = [number for _, number in taken if number]
    assert sorted(handed) == sorted(numbers)  # each once, none twice
    assert Ticket.objects.filter(assignee__isnull=True).count() == 0


@pytest.mark.django_db
def test_nothing_waiting_and_other_teams_tickets_are_not_taken(personas):
    make_ticket(personas.anna, category="payment_billing")
    assert actions.take_next_ticket(actor=viewer_for(personas.alice)) is None
    with pytest.raises(Forbidden):
        actions.take_next_ticket(actor=viewer_for(personas.quinn))
