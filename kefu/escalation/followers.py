"""How escalation follows a ticket's changes (listed in ``kefu.flow``): SLA warnings and breaches,
urgent and emergency marks climb the category's path; new categorised tickets may be a surge; an
unsatisfied rating opens a QA review and tells the team lead."""

from __future__ import annotations

from kefu.escalation import actions, qa
from kefu.escalation.models import Trigger
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Priority, Ticket, TicketEvent

KINDS = frozenset(
    {E.CREATED, E.PRIORITY, E.IS_EMERGENCY, E.CATEGORY, E.SLA_WARNING, E.SLA_BREACH, E.RATED}
)


def follow(ticket: Ticket, events: list[TicketEvent]) -> None:
    if any(e.kind == E.CREATED for e in events) and actions.INCIDENT_TAG in ticket.tags:
        return  # a surge's own incident ticket, being opened: it must not escalate or surge
    for event in events:
        _follow(ticket, event)


def _follow(ticket: Ticket, event: TicketEvent) -> None:
    kind = event.kind
    if kind in (E.SLA_WARNING, E.SLA_BREACH):
        actions.escalate(
            ticket=ticket,
            trigger=Trigger(kind),
            metric=event.data.get("metric", ""),
            details=event.data,
        )
    elif kind == E.CREATED:
        _on_created(ticket)
    elif kind == E.PRIORITY and event.new == Priority.URGENT and event.old != Priority.URGENT:
        actions.escalate(ticket=ticket, trigger=Trigger.URGENT)
    elif kind == E.IS_EMERGENCY and event.new is True:
        _on_emergency(ticket)
    elif kind == E.CATEGORY and event.new:
        actions.check_surge(ticket=ticket)
    elif kind == E.RATED:
        qa.review_unsatisfied_rating(ticket, event)


def _on_created(ticket: Ticket) -> None:
    if ticket.priority == Priority.URGENT:
        actions.escalate(ticket=ticket, trigger=Trigger.URGENT)
    if ticket.is_emergency:
        _on_emergency(ticket)
    if ticket.category_id is not None:
        actions.check_surge(ticket=ticket)
    qa.review_complaint_mail(ticket)


def _on_emergency(ticket: Ticket) -> None:
    actions.page_on_duty_lead(ticket=ticket)
    actions.escalate(ticket=ticket, trigger=Trigger.EMERGENCY)
