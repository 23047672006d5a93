"""One unit of work per ticket change: a transaction, and then what follows the change.

Actions write tickets and record ``TicketEvent`` rows inside a unit of work. The unit keeps the
events it recorded, per ticket; just before it commits it hands them to ``kefu.flow``, whose
followers run inside the same transaction (SLA clocks, escalation, score, routing, the outbox
rows of every delivery), round after round while followers record events of their own. Then the
writes that accumulated during the unit run once each (``before_commit``), the transaction
commits, and the flow's after-commit followers run once per changed ticket (live push, waking
the delivery worker). A unit nested in another is part of it.

A unit also knows which tickets it created (``created_here``): no other transaction can have
written anything of those yet, so readers take what the unit wrote instead of reading it back.
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
    from kefu.accounts.models import User
    from kefu.tickets.models import Attachment, Message, Ticket, TicketEvent

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _Unit:
    # Events recorded and not yet followed, per ticket (with its latest instance).
    unfollowed: dict[int, tuple[Ticket, list[TicketEvent]]] = field(default_factory=dict)
    # Events of tickets that were being triaged, for the followers that waited (``follow_waited``).
    waited: dict[int, tuple[Ticket, list[TicketEvent]]] = field(default_factory=dict)
    # Everything recorded in the unit, for the after-commit followers.
    changed: dict[int, tuple[Ticket, list[TicketEvent]]] = field(default_factory=dict)
    writes: dict[tuple[str, int], tuple[Callable[[Any], object], Any]] = field(default_factory=dict)
    stores: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def finish(self) -> None:
        """Follow every event (followers may record more), then the accumulated writes."""
        from kefu import flow

        while self.waited or self.unfollowed or self.writes:
            while self.waited or self.unfollowed:
                ticket_id = next(iter(self.waited or self.unfollowed))
                ticket, waited = self.waited.pop(ticket_id, (None, []))
                ticket, events = self.unfollowed.pop(ticket_id, (ticket, []))
                assert ticket is not None
                flow.follow_inside(ticket, events, waited=waited)
            if self.writes:
                key = next(iter(self.writes))
                work, ticket = self.writes.pop(key)
                work(ticket)

    def after_commit(self) -> None:
        from kefu import flow

        for ticket, events in self.changed.values():
            flow.follow_after_commit(ticket, events)


def _unit() -> _Unit | None:
    return getattr(transaction.get_connection(), "_kefu_unit", None)


def recorded(ticket: Ticket, event: TicketEvent) -> None:
    """``tickets.actions.record_event`` wrote ``event``: the flow follows it before commit."""
    unit = _unit()
    assert unit is not None, "events are recorded inside a unit of work"
    _ticket, events = unit.unfollowed.get(ticket.pk, (ticket, []))
    unit.unfollowed[ticket.pk] = (ticket, [*events, event])
    _ticket, everything = unit.changed.get(ticket.pk, (ticket, []))
    unit.changed[ticket.pk] = (ticket, [*everything, event])


def follow_waited(ticket: Ticket, events: list[TicketEvent]) -> None:
    """``ticket`` is no longer being triaged: the followers that waited get its earlier
    ``events`` before commit, and the after-commit followers see them too."""
    unit = _unit()
    assert unit is not None, "a unit of work follows the events"
    unit.waited[ticket.pk] = (ticket, events)
    _ticket, everything = unit.changed.get(ticket.pk, (ticket, []))
    unit.changed[ticket.pk] = (ticket, [*events, *everything])


def before_commit(name: str, ticket: Any, work: Callable[[Any], object]) -> None:
    """Run ``work(ticket)`` once, after the followers, before the unit commits (at once outside
    a unit): for writes that accumulate during the unit, e.g. triage details."""
    unit = _unit()
    if unit is None:
        work(ticket)
    else:
        unit.writes[(name, ticket.pk)] = (work, ticket)


def before_commit_together(
    name: str,
    key: Any,
    value: Any,
    write: Callable[[dict[Any, Any]], object],
    merge: Callable[[Any, Any], Any] | None = None,
) -> None:
    """Collect ``key: value`` for one ``write`` of all of them after the followers, before the
    unit commits (at once outside a unit): the rows of many tickets in one unit (the worker's
    triage batch) are one statement. A later value of a key replaces the earlier one, or is
    combined with it by ``merge(earlier, later)``."""
    unit = _unit()
    if unit is None:
        write({key: value})
        return
    pending = unit.stores.setdefault(f"together:{name}", {})
    pending[key] = merge(pending[key], value) if merge and key in pending else value

    def flush(_nothing: object) -> None:
        rows = dict(pending)
        pending.clear()  # a later round collects anew
        write(rows)

    unit.writes[(name, 0)] = (flush, None)


def unit_store(name: str) -> dict[Any, Any] | None:
    """A dict that lives as long as the current unit of work (None outside one): followers keep
    there what a later follower of the same unit reads (e.g. the nearest SLA due time)."""
    unit = _unit()
    return None if unit is None else unit.stores.setdefault(name, {})


@dataclass
class NewTicket:
    """What the current unit of work wrote of a ticket it created, which is all there is of it:
    no other transaction can see the ticket yet. Readers take it instead of reading their own
    writes back (``tickets.actions`` appends every event, message and attachment)."""

    events: list[TicketEvent] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    followers: list[User] = field(default_factory=list)  # agents who followed it in the unit

    def public_messages(self) -> list[Message]:
        return sorted((m for m in self.messages if not m.is_internal), key=_in_order)

    def ordered_events(self) -> list[TicketEvent]:
        return sorted(self.events, key=_in_order)

    def ordered_messages(self) -> list[Message]:
        return sorted(self.messages, key=_in_order)


def _in_order(row: Message | TicketEvent) -> tuple[datetime, int]:
    return row.created_at, row.pk


def note_created(ticket_id: int) -> None:
    """The current unit of work inserted this ticket (see ``created_here``)."""
    store = unit_store("created")
    if store is not None:
        store[ticket_id] = NewTicket()


def note_whole(ticket_id: int, whole: NewTicket) -> None:
    """The current unit holds the ticket's row and has read all of it (the worker's triage
    batch, ``intake.derivation``): readers take ``whole`` as for a ticket the unit created."""
    store = unit_store("created")
    assert store is not None, "inside a unit of work"
    store[ticket_id] = whole


def created_here(ticket_id: int) -> NewTicket | None:
    """All of the ticket, if the current unit of work created it (None otherwise)."""
    store = unit_store("created")
    return None if store is None else store.get(ticket_id)


def forget_created(*ticket_ids: int) -> None:
    """Rows moved between tickets (merge, split): read them from the database from now on."""
    store = unit_store("created") or {}
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
    if _unit() is not None:
        # Nested: part of the outer unit. No savepoint: a failure inside fails the whole unit
        # (callers check what may fail before writing, e.g. an attachment's type).
        with transaction.atomic(savepoint=False):
            yield
        return
    with _writer_turn(connection), transaction.atomic():
        unit = connection._kefu_unit = _Unit()  # type: ignore[attr-defined]
        try:
            yield
            unit.finish()
        finally:
            # Gone before the commit, whose callbacks start units of their own.
            connection._kefu_unit = None  # type: ignore[attr-defined]
        transaction.on_commit(unit.after_commit)


def atomic_unit(function: F) -> F:
    """Decorator form of ``unit_of_work`` for actions."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with unit_of_work():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
