"""What the search index follows of ticket changes (``kefu.flow``): every event that changes a
ticket's indexed text rebuilds its document, inside the unit of work, so a ticket is findable by
what it says as soon as the change commits."""

from __future__ import annotations

from kefu.search import actions
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Ticket, TicketEvent

# New text (messages, codes), text moved between tickets (merge, split) or masked away.
KINDS = frozenset({
    E.CREATED, E.REPLY, E.NOTE, E.ORDER_ID, E.SHIPMENT_CODE, E.ERROR_CODE, E.MERGED,
    E.MERGED_INTO, E.SPLIT, E.SPLIT_FROM, E.MASKED,
})  # fmt: skip


def reindex(ticket: Ticket, events: list[TicketEvent]) -> None:
    actions.index_tickets(ids=[ticket.pk])
