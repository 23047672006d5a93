"""The only writer of the ticket search index: a ticket's document (re)built from its rows.

``kefu.flow`` calls ``index_tickets`` inside the unit of work of every change that alters
indexed text; an organisation's rename reindexes its tickets (``reindex_organization``), a
person's new name or address the tickets they asked (``reindex_requester``), and
``kefu rebuild_ticket_index`` rebuilds everything (``rebuild_index``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from kefu.accounts.models import Organization, User
from kefu.search.documents import BATCH, document_of, store, write
from kefu.search.models import TicketDocument
from kefu.tickets.models import Message, Ticket
from kefu.tickets.work import created_here


def index_tickets(*, ids: Iterable[int]) -> int:
    """Write the documents of the tickets ``ids``; how many were written."""
    return store(TicketDocument, Ticket, Message, ids)


def index_new_ticket(ticket: Ticket) -> int:
    """Write the document of a ticket created in this unit of work from what the unit wrote
    (the instance, its messages), without reading it back; otherwise as ``index_tickets``."""
    new = created_here(ticket.pk)
    if new is None:  # rows moved in or out of it (merge, split): read them
        return index_tickets(ids=[ticket.pk])
    return write(TicketDocument, [document_of(ticket, new.ordered_messages())])


def reindex_organization(*, organization: Organization) -> int:
    """The organisation's name is in its tickets' documents: rebuild them (after a rename)."""
    return _reindex(Ticket.objects.filter(organization=organization))


def reindex_requester(*, user: User) -> int:
    """The requester's name and address are in their tickets' documents: rebuild them."""
    return _reindex(Ticket.objects.filter(requester=user))


def _reindex(tickets: QuerySet[Ticket]) -> int:
    ids = tickets.order_by("pk").values_list("pk", flat=True)
    return sum(index_tickets(ids=batch) for batch in _batches(ids.iterator()))


def rebuild_index() -> int:
    """Every ticket's document, in batches; how many tickets were indexed."""
    TicketDocument.objects.exclude(ticket__in=Ticket.objects.all()).delete()
    return _reindex(Ticket.objects.all())


def _batches(ids: Iterator[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
