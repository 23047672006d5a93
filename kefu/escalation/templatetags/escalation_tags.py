"""``{% load escalation_tags %}``: what the portal and the workspace show about escalation."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.escalation import queries
from kefu.escalation.models import Notification
from kefu.escalation.texts import format_instant, notification_text
from kefu.sla.models import Metric
from kefu.tickets.models import Ticket, TicketEvent

register = template.Library()
DESK_KINDS = ("escalated", "paged", "nudged", "complaint", "qa_review", "sla_warning", "sla_breach")


@register.simple_tag
def customer_actions(ticket: Ticket) -> queries.CustomerActions:
    return queries.customer_actions(ticket)


@register.simple_tag
def escalation_summary(ticket: Ticket, user: User) -> dict[str, Any]:
    """Links and recent escalation events of a ticket, and the agent's unread count."""
    agent = getattr(user, "agent", None)
    return {
        "related": list(ticket.related_tickets.order_by("-created_at")[:20]),
        "events": list(
            TicketEvent.objects.filter(ticket=ticket, kind__in=DESK_KINDS).order_by("-created_at")[
                :10
            ]
        ),
        "nudges": ticket.nudges.count(),
        "unread": queries.unread_count(agent) if agent else 0,
    }


@register.filter
def instant(value: Any) -> str:
    return format_instant(value)


@register.filter
def notification(value: Notification) -> str:
    return notification_text(value)


@register.filter
def event_label(event: TicketEvent) -> str:
    """Escalation events in words."""
    data, new = event.data or {}, event.new
    metric = str(Metric(new).label) if new in Metric.values else str(new or "")
    labels = {
        "sla_warning": _("SLA warning: %(metric)s") % {"metric": metric},
        "sla_breach": _("SLA breached: %(metric)s") % {"metric": metric},
        "escalated": _("Escalated along %(path)s, level %(level)s")
        % {"path": data.get("path", ""), "level": data.get("level", "")},
        "paged": _("Paged the on-duty lead %(lead)s") % {"lead": new or "—"},
        "nudged": _("The customer nudged the ticket"),
        "complaint": _("Formal complaint %(number)s") % {"number": new},
        "qa_review": _("QA review opened"),
    }
    return labels.get(event.kind, event.kind)
