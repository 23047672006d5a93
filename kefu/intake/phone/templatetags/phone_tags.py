"""The desk ticket page's call panel: each call of the ticket with its line, caller verification,
IVR path, times, recording and voicemail."""

from __future__ import annotations

from django import template

from kefu.intake.phone.models import Call
from kefu.tickets.models import Ticket

register = template.Library()


@register.simple_tag
def ticket_calls(ticket: Ticket) -> list[Call]:
    """The ticket's calls, oldest first (the page itself checked that the viewer may see it)."""
    return list(
        Call.objects.filter(ticket=ticket)
        .select_related("line", "agent")
        .defer("line__signing_secret")
        .order_by("started_at", "pk")
    )
