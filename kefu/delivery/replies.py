"""A public reply goes back through the channel the ticket came from (the charter: "answer
through the original channel"), whatever surface the agent wrote it on.

Email, portal, API and phone tickets get the reply by mail (the portal shows it too). A chat's
reply reaches the visitor's open widget at once (after commit, pushed to the chat's group); a
visitor who has left gets it by mail instead, at the address they gave. The mail row is written
in the reply's own transaction, so a reply is never lost between the database and the mail
server.
"""

from __future__ import annotations

from kefu.delivery.email import MAILED_CHANNELS, mail_ticket, mailable
from kefu.delivery.live import send
from kefu.delivery.models import Delivery
from kefu.intake.chat.lines import Line, session_group
from kefu.intake.models import ChatSession
from kefu.tickets.models import Channel, Message, Ticket, TicketEvent

Role = Message.AuthorRole


def _staff_replies(events: list[TicketEvent]) -> list[int]:
    """Message ids of public replies by agents (the bot speaks only inside a chat)."""
    return [e.new for e in events if e.data.get("role") == Role.AGENT and isinstance(e.new, int)]


def follow(ticket: Ticket, events: list[TicketEvent]) -> None:
    """Inside the reply's unit of work: queue the mail the reply owes."""
    ids = _staff_replies(events)
    if not ids or getattr(ticket.requester, "agent", None) is not None:
        return  # staff who filed a ticket for themselves read it on the desk
    if ticket.channel == Channel.CHAT:
        session = ChatSession.objects.filter(ticket=ticket).order_by("-pk").first()
        if session is not None and session.visitor_present:
            return  # pushed to the widget after commit
        to = [session.visitor_email] if session and session.visitor_email else None
    elif ticket.channel in MAILED_CHANNELS and mailable(ticket.requester.email):
        to = None
    else:
        return
    messages = Message.objects.select_related("author__agent").filter(pk__in=ids, is_internal=False)
    for message in messages.order_by("pk"):
        mail_ticket(
            ticket,
            template="reply",
            kind=Delivery.Kind.REPLY,
            context={"message": message, "agent": message.author.agent.code},  # type: ignore[union-attr]
            to=to,
            message=message,
        )


def push_to_chat(ticket: Ticket, events: list[TicketEvent]) -> None:
    """After commit: staff replies on a chat's ticket appear in its open widget and console,
    from whichever surface they were written (the chat console, the desk, the API)."""
    ids = _staff_replies(events)
    if ticket.channel != Channel.CHAT or not ids:
        return
    sessions = list(
        ChatSession.objects.filter(ticket=ticket)
        .exclude(state=ChatSession.State.ENDED)
        .values_list("pk", flat=True)
    )
    if not sessions:
        return
    messages = Message.objects.select_related("author__agent").filter(pk__in=ids)
    for message in messages.order_by("pk"):
        for session_id in sessions:
            line = {"type": "message", "session": session_id, **Line.of(message).__dict__}
            send([session_group(session_id)], line, handler="chat.line")
