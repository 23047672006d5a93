"""``{% store_contacts ticket %}``: the customer's store directory on the desk's customer panel,
with a search box and, for agents who may edit tickets, links to edit and add contacts."""

from __future__ import annotations

from typing import Any

from django import template

from kefu.accounts.access import request_viewer
from kefu.contacts import queries
from kefu.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("contacts/_desk_panel.html", takes_context=True)
def store_contacts(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    viewer = request_viewer(context["request"])  # read once per request, with the panel's
    contacts = list(queries.organization_contacts(viewer, ticket.organization_id))
    editable = queries.may_edit(viewer, ticket.organization_id)
    return {"contacts": contacts, "ticket": ticket, "editable": editable}
