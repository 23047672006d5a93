"""``{% load ticket_tags %}``: a ticket event in words (``tickets.history``); the desk's views
with their open-ticket counts (re-read live, like the queue); a queue row's version."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.accounts.access import request_viewer
from kefu.tickets import queries
from kefu.tickets.concurrency import ticket_version
from kefu.tickets.history import describe
from kefu.tickets.models import Ticket, TicketEvent

register = template.Library()


@register.filter
def event_sentence(event: TicketEvent) -> str:
    return describe(event)


@register.filter
def version(ticket: Ticket) -> str:
    """The ticket's version as its row showed it (a bulk action skips it if it moved)."""
    return ticket_version(ticket)


@register.inclusion_tag("tickets/_queue_views.html", takes_context=True)
def queue_views(context: Any) -> dict[str, Any]:
    return {"counts": queries.queue_view_counts(request_viewer(context["request"]))}
