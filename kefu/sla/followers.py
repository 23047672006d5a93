"""How SLA clocks follow a ticket's changes (listed in ``kefu.flow``)."""

from __future__ import annotations

from datetime import UTC

from kefu.sla import actions
from kefu.sla.queries import NEAREST_DUE, TICKING
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.work import unit_store

# Event kinds after which a ticket's clocks may change (merges and splits move messages).
CLOCK_EVENTS = frozenset(
    {E.CREATED, E.REPLY, E.STATUS, E.REOPENED, E.PRIORITY, E.CATEGORY, E.COMPLEXITY, E.TAGS,
     E.IS_EMERGENCY, E.IS_COMPLAINT, E.MERGED, E.SPLIT, E.SPLIT_FROM}
)  # fmt: skip


def rebuild_clocks(ticket: Ticket, events: list[TicketEvent]) -> None:
    """The clocks depend only on the ticket's history: rebuilt once per round, atomically with
    the change. The nearest due time is kept for the queue score, next in the flow."""
    clocks = actions.rebuild_clocks(ticket=ticket)
    known = unit_store(NEAREST_DUE)
    if known is not None:
        ticking = [c.due_at for c in clocks if c.state in TICKING and c.due_at is not None]
        due = min(ticking, default=None)
        known[ticket.pk] = None if due is None else due.astimezone(UTC)  # as the database gives it
