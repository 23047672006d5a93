"""Agents' public replies go back through the ticket's channel.

Email, portal and API tickets get the reply by mail (the portal shows it too); chat replies are
pushed by the chat app. The mail row is written in the reply's own transaction, so a reply is
never lost between the database and the mail server.
"""

from __future__ import annotations

from typing import Any

from kefu.intake.email.compose import mail_ticket
from kefu.intake.models import OutboundEmail
from kefu.tickets.models import Channel, Message, Ticket, TicketEvent

MAILED_CHANNELS = (Channel.EMAIL, Channel.WEB, Channel.API, Channel.PHONE)
AGENT = Message.AuthorRole.AGENT


def on_event_recorded(sender: Any, ticket: Ticket, event: TicketEvent, **kwargs: Any) -> None:
    if event.kind != "reply" or ticket.channel not in MAILED_CHANNELS:
        return
    if event.data.get("role") != AGENT or not isinstance(event.new, int):
        return
    message = Message.objects.select_related("author__agent").get(pk=event.new)
    if message.author is None or message.is_internal or message.author_role != AGENT:
        return
    if getattr(ticket.requester, "agent", None) is not None:  # staff filed it for themselves
        return
    mail_ticket(
        ticket,
        template="reply",
        kind=OutboundEmail.Kind.REPLY,
        context={"message": message, "agent": message.author.agent.code},
        message=message,
    )
