"""What a webhook call says about a ticket: the ticket as its subscriber may see it.

Administrators' subscriptions get the staff's view (team, assignee, internal notes); customers'
get what their portal shows. Links point at the desk or the portal accordingly.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from kefu.accounts.models import shown_name
from kefu.tickets.models import Message, Ticket

TICKET_RELATIONS = ("category", "team", "assignee", "organization", "requester")


def _code(related: Any) -> str | None:
    return getattr(related, "code", None) if related is not None else None


def ticket(ticket: Ticket, *, staff: bool) -> dict[str, Any]:
    site = settings.SITE_URL.rstrip("/")
    shown: dict[str, Any] = {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "language": ticket.language,
        "category": _code(ticket.category),
        "organization": _code(ticket.organization),
        "requester": {"name": ticket.requester.name, "email": ticket.requester.email},
        "order_id": ticket.order_id,
        "created_at": ticket.created_at.isoformat(),
        "updated_at": ticket.updated_at.isoformat(),
        "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
        "url": f"{site}/{'desk' if staff else 'portal'}/t/{ticket.number}/",
    }
    if staff:
        shown.update(
            team=_code(ticket.team), assignee=_code(ticket.assignee), complexity=ticket.complexity
        )
    return shown


def message(message: Message) -> dict[str, Any]:
    agent = getattr(message.author, "agent", None) if message.author else None
    author = shown_name(agent.code if agent else None, getattr(message.author, "name", ""), "")
    return {
        "id": message.pk,
        "author": author or "Kefu",
        "role": message.author_role,
        "internal": message.is_internal,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }
