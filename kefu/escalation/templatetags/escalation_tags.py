"""``{% load escalation_tags %}``: what the portal and the workspace show about escalation."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.accounts.models import User
from kefu.escalation import queries
from kefu.notifications.texts import format_instant
from kefu.tickets.models import EventKind as E
from kefu.tickets.models import Ticket, TicketEvent

register = template.Library()
DESK_KINDS = (E.ESCALATED, E.PAGED, E.NUDGED, E.COMPLAINT, E.QA_REVIEW, E.SLA_WARNING, E.SLA_BREACH)


@register.simple_tag
def customer_actions(ticket: Ticket) -> queries.CustomerActions:
    return queries.customer_actions(ticket)


@register.simple_tag
def escalation_summary(ticket: Ticket, user: User) -> dict[str, Any]:
    """Links and recent escalation events of a ticket."""
    return {
        "related": list(ticket.related_tickets.order_by("-created_at")[:20]),
        "events": list(
            TicketEvent.objects.filter(ticket=ticket, kind__in=DESK_KINDS).order_by("-created_at")[
                :10
            ]
        ),
        "nudges": ticket.nudges.count(),
    }


@register.filter
def instant(value: Any) -> str:
    return format_instant(value)
