"""One unit of work per ticket change: a transaction whose follow-up work runs once.

Apps follow tickets through ``event_recorded`` inside the transaction. Some of that work (SLA
clocks rebuilt from the history, the priority score) needs only the ticket's final state, yet a
single intake writes several events. ``defer`` lets such work run once, in order, just before
the outermost ``unit_of_work`` commits — still inside the transaction. Outside a unit of work,
deferred work runs at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction

if TYPE_CHECKING:
    from kefu.tickets.models import Attachment, Message, TicketEvent

F = TypeVar("F", bound=Callable[..., Any])
Work = Callable[[Any], object]  # results are ignored

# Deferred work runs by stage: SLA clocks (10) before the score that reads their due times (20).
SLA_STAGE = 10
SCORE_STAGE = 20
WRITE_STAGE = 90  # accumulated writes (e.g. triage details) go last, once


class _Batch:
    def __init__(self) -> None:
        self.pending: dict[tuple[int, str, int], tuple[Work, Any]] = {}
        self.stores: dict[str, dict[Any, Any]] = {}

    def flush(self) -> None:
        # Work may record events that defer more work: run until nothing is left.
        while self.pending:
            key = min(self.pending)
            work, ticket = self.pending.pop(key)
            work(ticket)


def _batch() -> _Batch | None:
    return getattr(transaction.get_connection(), "_kefu_batch", None)


def defer(stage: int, name: str, ticket: Any, work: Work) -> None:
    """Run ``work(ticket)`` once before the unit of work commits (now, outside one)."""
    batch = _batch()
    if batch is None:
        work(ticket)
    else:
        batch.pending[(stage, name, ticket.pk)] = (work, ticket)


def batch_store(name: str) -> dict[Any, Any] | None:
    """A dict that lives as long as the current unit of work (None outside one): deferred work
    accumulates what it will write there."""
    batch = _batch()
    return None if batch is None else batch.stores.setdefault(name, {})


@dataclass
class NewTicket:
    """What the current unit of work wrote of a ticket it created, which is all there is of it:
    no other transaction can see the ticket yet. Readers take it instead of reading their own
    writes back (``tickets.actions`` appends every event, message and attachment)."""

    events: list[TicketEvent] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def public_messages(self) -> list[Message]:
        return sorted((m for m in self.messages if not m.is_internal), key=_in_order)

    def ordered_events(self) -> list[TicketEvent]:
        return sorted(self.events, key=_in_order)


def _in_order(row: Message | TicketEvent) -> tuple[datetime, int]:
    return row.created_at, row.pk


def note_created(ticket_id: int) -> None:
    """The current unit of work inserted this ticket (see ``created_here``)."""
    store = batch_store("created")
    if store is not None:
        store[ticket_id] = NewTicket()


def created_here(ticket_id: int) -> NewTicket | None:
    """All of the ticket, if the current unit of work created it (None otherwise)."""
    store = batch_store("created")
    return None if store is None else store.get(ticket_id)


def forget_created(*ticket_ids: int) -> None:
    """Rows moved between tickets (merge, split): read them from the database from now on."""
    store = batch_store("created") or {}
    for ticket_id in ticket_ids:
        store.pop(ticket_id, None)


# SQLite has a single writer. Threads of one process queue for it here, in order, instead of in
# SQLite's busy handler, which sleeps up to 100 ms between tries and lets latecomers overtake:
# under load that turned a 20 ms write into seconds of waiting. Taken only when this unit begins
# the transaction, so a thread never waits here while holding SQLite's lock. Re-entrant: the
# commit's on-commit callbacks run while it is held and may begin units of their own.
_sqlite_writer = threading.RLock()


def _writer_turn(connection: Any) -> AbstractContextManager[Any]:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        return _sqlite_writer
    return nullcontext()


@contextmanager
def unit_of_work() -> Iterator[None]:
    connection = transaction.get_connection()
    if _batch() is not None:
        # Nested: part of the outer unit. No savepoint: a failure inside fails the whole unit
        # (callers check what may fail before writing, e.g. an attachment's type).
        with transaction.atomic(savepoint=False):
            yield
        return
    with _writer_turn(connection), transaction.atomic():
        batch = connection._kefu_batch = _Batch()  # type: ignore[attr-defined]
        try:
            yield
            batch.flush()
        finally:
            # Gone before the commit, whose on-commit callbacks start units of their own.
            connection._kefu_batch = None  # type: ignore[attr-defined]


def atomic_unit(function: F) -> F:
    """Decorator form of ``unit_of_work`` for actions."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with unit_of_work():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
