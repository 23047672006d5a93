"""``{% load ticket_tags %}``: a ticket event in words (``tickets.history``)."""

from __future__ import annotations

from django import template

from kefu.tickets.history import describe
from kefu.tickets.models import TicketEvent

register = template.Library()


@register.filter
def event_sentence(event: TicketEvent) -> str:
    return describe(event)
