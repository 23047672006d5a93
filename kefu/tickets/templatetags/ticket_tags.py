"""``{% load ticket_tags %}``: a ticket event in words (``tickets.history``); the desk's views
with their open-ticket counts (re-read live, like the queue)."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.accounts.access import request_viewer
from kefu.tickets import queries
from kefu.tickets.history import describe
from kefu.tickets.models import TicketEvent

register = template.Library()


@register.filter
def event_sentence(event: TicketEvent) -> str:
    return describe(event)


@register.inclusion_tag("tickets/_queue_views.html", takes_context=True)
def queue_views(context: Any) -> dict[str, Any]:
    return {"counts": queries.queue_view_counts(request_viewer(context["request"]))}
