"""What the knowledge base follows of ticket changes (``kefu.flow``): a person who reached a
human — opened a ticket through any channel but chat, or was handed from the bot to an agent —
was not deflected by what they read shortly before (``actions.record_contact``).

A chat's ticket is opened with its first line to the bot: that is self-service still, so only
its handoff counts as a contact."""

from __future__ import annotations

from kefu.knowledge import actions
from kefu.tickets.models import Channel, Ticket, TicketEvent
from kefu.tickets.models import EventKind as E
from kefu.tickets.work import before_commit_together

CONTACT_EVENTS = frozenset({E.CREATED, E.CHAT_HANDOFF})


def record_contact(ticket: Ticket, events: list[TicketEvent]) -> None:
    """Collected for one read of the visits at the unit's end, with every other ticket's."""
    for event in events:
        if event.kind == E.CREATED and ticket.channel == Channel.CHAT:
            continue
        chat = event.data.get("chat") if event.kind == E.CHAT_HANDOFF else None
        contact = actions.Contact(
            user_id=ticket.requester_id,
            visitors=(f"chat:{chat}",) if chat else (),
            at=event.created_at,
        )
        before_commit_together("self-service-contacts", event.pk, contact, _record)


def _record(contacts: dict[int, actions.Contact]) -> None:
    actions.record_contacts(contacts.values())
