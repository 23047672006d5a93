"""How escalation follows tickets: inside the transaction of each recorded event."""

from __future__ import annotations

from typing import Any

from kefu.escalation import actions
from kefu.escalation.models import Trigger
from kefu.tickets.models import Priority, Ticket, TicketEvent


def on_event_recorded(sender: Any, ticket: Ticket, event: TicketEvent, **kwargs: Any) -> None:
    if actions.is_opening_incident():
        return
    kind = event.kind
    if kind in (Trigger.SLA_WARNING, Trigger.SLA_BREACH):
        actions.escalate(
            ticket=ticket, trigger=kind, metric=event.data.get("metric", ""), details=event.data
        )
    elif kind == "created":
        _on_created(ticket)
    elif kind == "priority" and event.new == Priority.URGENT and event.old != Priority.URGENT:
        actions.escalate(ticket=ticket, trigger=Trigger.URGENT)
    elif kind == "is_emergency" and event.new is True:
        _on_emergency(ticket)
    elif kind == "category" and event.new:
        actions.check_surge(ticket=ticket)


def _on_created(ticket: Ticket) -> None:
    if ticket.priority == Priority.URGENT:
        actions.escalate(ticket=ticket, trigger=Trigger.URGENT)
    if ticket.is_emergency:
        _on_emergency(ticket)
    if ticket.category_id is not None:
        actions.check_surge(ticket=ticket)


def _on_emergency(ticket: Ticket) -> None:
    actions.page_on_duty_lead(ticket=ticket)
    actions.escalate(ticket=ticket, trigger=Trigger.EMERGENCY)
