import itertools

import pytest

from kefu.errors import InvalidTransition
from kefu.testing import make_ticket
from kefu.tickets import actions
from kefu.tickets.lifecycle import TRANSITIONS
from kefu.tickets.models import Status, Ticket, TicketEvent

ALLOWED = {(old, new) for old, targets in TRANSITIONS.items() for new in targets}
PAIRS = [(a, b) for a, b in itertools.product(Status.values, Status.values) if a != b]


def _ticket_in(status: str, personas) -> Ticket:
    ticket = make_ticket(personas.anna)
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
    ticket.refresh_from_db()
    return ticket


@pytest.mark.parametrize(("old", "new"), PAIRS)
@pytest.mark.django_db
def test_every_transition_is_allowed_or_refused(personas, old, new):
    ticket = _ticket_in(old, personas)
    alice = personas.viewer(personas.alice)
    if (old, new) in ALLOWED:
        actions.change_status(ticket=ticket, actor=alice, status=new)
        ticket.refresh_from_db()
        assert ticket.status == new
        event = TicketEvent.objects.filter(ticket=ticket, field="status").last()
        assert (event.old, event.new, event.actor) == (old, new, personas.alice)
    else:
        with pytest.raises(InvalidTransition) as refused:
            actions.change_status(ticket=ticket, actor=alice, status=new)
        assert refused.value.field == "status"
        ticket.refresh_from_db()
        assert ticket.status == old


@pytest.mark.django_db
def test_reopen_is_recorded_as_such_and_clears_resolution(personas):
    ticket = _ticket_in(Status.OPEN, personas)
    alice = personas.viewer(personas.alice)
    actions.change_status(ticket=ticket, actor=alice, status=Status.RESOLVED)
    assert ticket.resolved_at is not None
    actions.change_status(ticket=ticket, actor=personas.viewer(personas.anna), status=Status.OPEN)
    assert ticket.resolved_at is None
    assert ticket.events.filter(kind="reopened", old=Status.RESOLVED, new=Status.OPEN).exists()


@pytest.mark.parametrize("target", [Status.OPEN, Status.PENDING_CUSTOMER, Status.RESOLVED])
@pytest.mark.django_db
def test_customers_only_confirm_or_reopen_resolved_tickets(personas, target):
    ticket = _ticket_in(Status.NEW, personas)
    with pytest.raises(InvalidTransition):
        actions.change_status(ticket=ticket, actor=personas.viewer(personas.anna), status=target)


@pytest.mark.django_db
def test_customer_reply_reopens_a_resolved_ticket(personas):
    ticket = _ticket_in(Status.RESOLVED, personas)
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Still broken")
    assert ticket.status == Status.OPEN
    assert ticket.events.filter(kind="reopened").exists()


@pytest.mark.django_db
def test_closed_tickets_take_no_more_replies(personas):
    ticket = _ticket_in(Status.CLOSED, personas)
    with pytest.raises(InvalidTransition):
        actions.add_message(ticket=ticket, actor=personas.viewer(personas.anna), body="Hello?")
