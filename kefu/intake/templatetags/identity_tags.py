"""The warning an agent sees on a ticket whose sender was not proven (``intake.identity``):
the claimed address, why it proves nothing, and the mail's authentication results."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from kefu.intake.identity import DOUBT_KEY
from kefu.tickets.models import Ticket

register = template.Library()

REASONS = {
    "claimed": _("The email address was only typed into a form; it proves nothing."),
    "mail": _("The mail's sender is not authenticated (SPF, DKIM, DMARC)."),
}


@register.inclusion_tag("intake/_sender_doubt.html")
def sender_doubt(ticket: Ticket) -> dict[str, Any]:
    doubt = (ticket.triage or {}).get(DOUBT_KEY) or {}
    if doubt.get("proven", True):
        return {"doubt": None}
    reason = REASONS.get(str(doubt.get("reason")), REASONS["claimed"])
    return {"doubt": doubt, "reason": reason, "note": doubt.get("note", "")}
