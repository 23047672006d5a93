"""What the search index follows of ticket changes (``kefu.flow``): every event that changes a
ticket's indexed text or filter attributes rebuilds its document, inside the unit of work, so a
ticket is findable by what it says, and under the filters it passes, as soon as the change
commits."""

from __future__ import annotations

from kefu.search import actions
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.work import before_commit, created_here

# New text (messages, codes), text moved between tickets (merge, split) or masked away, and
# the filter attributes (``search.documents.FILTER_COLUMNS``; the channel never changes).
KINDS = frozenset({
    E.CREATED, E.REPLY, E.NOTE, E.ORDER_ID, E.SHIPMENT_CODE, E.ERROR_CODE, E.MERGED,
    E.MERGED_INTO, E.SPLIT, E.SPLIT_FROM, E.MASKED,
    E.STATUS, E.REOPENED, E.PRIORITY, E.CATEGORY, E.ASSIGNEE, E.TEAM,
})  # fmt: skip


def reindex(ticket: Ticket, events: list[TicketEvent]) -> None:
    if created_here(ticket.pk) is not None:
        # Written once, at the end of the unit, from what the unit wrote (no read back).
        before_commit("search-index", ticket, actions.index_new_ticket)
        return
    actions.index_tickets(ids=[ticket.pk])
