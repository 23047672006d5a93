"""The desk ticket page's call panel: each call of the ticket with its line, caller verification,
IVR path, times, recording and voicemail."""

from __future__ import annotations

from django import template

from kefu.accounts.access import viewer_for
from kefu.accounts.models import Organization
from kefu.intake.phone import queries
from kefu.intake.phone.models import Call
from kefu.tickets.models import Ticket

register = template.Library()


@register.simple_tag
def ticket_calls(ticket: Ticket) -> list[Call]:
    """The ticket's calls, oldest first (the page itself checked that the viewer may see it)."""
    return list(
        Call.objects.filter(ticket=ticket)
        .select_related("line", "agent", "organization", "verified_by")
        .defer("line__signing_secret")
        .order_by("started_at", "pk")
    )


@register.simple_tag
def confirmable_organizations(calls: list[Call]) -> list[Organization]:
    """The accounts to choose from, only when a call still waits for confirmation."""
    return queries.organizations_to_confirm() if any(c.caller_id is None for c in calls) else []


@register.inclusion_tag("phone/_screen_pop.html", takes_context=True)
def screen_pop(context: template.Context) -> dict[str, object]:
    """The desk's screen-pop region, with the call ringing now (a live push re-reads it)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"call": None}
    viewer = viewer_for(user)
    call = queries.ringing_call(viewer)
    return {
        "call": call,
        "csrf_token": context.get("csrf_token"),
        "open_tickets": queries.open_tickets_of_caller(viewer, call) if call else [],
        "organizations": queries.organizations_to_confirm() if call and not call.caller_id else [],
    }
