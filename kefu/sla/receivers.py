"""How the SLA app follows tickets and its own admin data."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from kefu.sla import actions
from kefu.sla.models import BusinessCalendar, CalendarDate
from kefu.sla.queries import NEAREST_DUE, TICKING
from kefu.tickets.models import Ticket, TicketEvent
from kefu.tickets.work import SLA_STAGE, batch_store, defer


def on_event_recorded(sender: Any, ticket: Ticket, event: TicketEvent, **kwargs: Any) -> None:
    """Inside the event's transaction: the clocks change with the ticket, atomically."""
    if event.kind in actions.CLOCK_EVENTS:
        # Once per transaction: the clocks depend only on the ticket's final history.
        defer(SLA_STAGE, "sla-clocks", ticket, _rebuild)


def _rebuild(ticket: Ticket) -> None:
    clocks = actions.rebuild_clocks(ticket=ticket)
    known = batch_store(NEAREST_DUE)  # for the score, next in this unit of work
    if known is not None:
        ticking = [c.due_at for c in clocks if c.state in TICKING and c.due_at is not None]
        due = min(ticking, default=None)
        known[ticket.pk] = None if due is None else due.astimezone(UTC)  # as the database gives it


def on_calendar_saved(sender: Any, instance: BusinessCalendar, **kwargs: Any) -> None:
    actions.touch_calendar(instance.pk)


def on_calendar_date_changed(sender: Any, instance: CalendarDate, **kwargs: Any) -> None:
    actions.touch_calendar(instance.calendar_id)
