"""``{% ticket_bookings ticket %}``: the ticket's offline visits on the desk, with the
confirmation deadline and the agent's decisions."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from kefu.accounts.access import viewer_for
from kefu.appointments import queries
from kefu.appointments.views import decision_forms

register = template.Library()


@register.inclusion_tag("appointments/_desk_panel.html", takes_context=True)
def ticket_bookings(context: dict[str, Any], ticket: Any) -> dict[str, Any]:
    viewer = viewer_for(context["request"].user)
    rows = [(b, decision_forms(b)) for b in queries.ticket_bookings(viewer, ticket)]
    return {"rows": rows, "now": timezone.now(), "may_edit": viewer.may_edit_tickets}
