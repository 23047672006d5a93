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
from functools import wraps
from typing import Any, TypeVar

from django.db import transaction

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


def note_created(ticket_id: int) -> None:
    """The current unit of work inserted this ticket (see ``created_here``)."""
    store = batch_store("created")
    if store is not None:
        store[ticket_id] = True


def created_here(ticket_id: int) -> bool:
    """Whether the current unit of work inserted this ticket: then no other transaction can
    have seen or written anything of it yet, and what it has is what this unit wrote."""
    store = batch_store("created")
    return bool(store and ticket_id in store)


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
