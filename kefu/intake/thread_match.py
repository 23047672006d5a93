"""Which existing ticket an inbound message continues, if any.

A message joins a ticket named explicitly (reply form, chat session), by number in the subject
(``[KF…]``, ``【KF…】`` or bare ``KF…``), or by email threading headers that point at a message we
sent or received on it. It only joins a ticket its sender may see, or one whose mail it answers:
a stranger quoting a ticket number gets a new ticket, not a seat in someone else's.

Only proven senders join anything (``identity.Identity.proven``), and only tickets opened by
proven senders: a claimed address continues nothing but the ticket its own conversation opened
(``own_ticket``). Machine mail may still join by its headers: it becomes an internal note.
"""

from __future__ import annotations

from kefu.accounts.access import ticket_filter
from kefu.delivery.models import Delivery
from kefu.intake.base import InboundMessage
from kefu.intake.identity import Identity, opened_by_proven_sender
from kefu.intake.models import InboundRecord
from kefu.lib.subject import find_ticket_number
from kefu.tickets.models import Ticket


def _by_references(references: list[str]) -> Ticket | None:
    if not references:
        return None
    ours = (
        Delivery.objects.filter(key__in=references, ticket__isnull=False)
        .select_related("ticket")
        .order_by("-created_at")
        .first()
    )
    if ours is not None:
        return ours.ticket
    theirs = (
        InboundRecord.objects.filter(external_id__in=references, ticket__isnull=False)
        .select_related("ticket")
        .order_by("-received_at")
        .first()
    )
    return theirs.ticket if theirs else None


def _may_join(identity: Identity, ticket: Ticket) -> bool:
    if ticket.requester_id == identity.user.pk:
        return True
    return Ticket.objects.filter(ticket_filter(identity.viewer), pk=ticket.pk).exists()


def find_ticket(message: InboundMessage, identity: Identity | None) -> Ticket | None:
    """``identity`` None (machine mail from a stranger) joins by threading headers only."""
    if message.own_ticket:
        return Ticket.objects.filter(number=message.own_ticket).first()
    if identity is not None and identity.proven:
        ticket = _proven_sender_ticket(message, identity)
        return ticket if ticket is not None and opened_by_proven_sender(ticket) else None
    if message.auto_kind:
        return _by_references(message.references)  # an internal note, whoever sent it
    return None


def _proven_sender_ticket(message: InboundMessage, identity: Identity) -> Ticket | None:
    by_headers = _by_references(message.references)
    if by_headers is not None:
        return by_headers  # the sender answers mail about this very ticket
    number = message.ticket_number or find_ticket_number(message.subject)
    if not number:
        return None
    ticket = Ticket.objects.filter(number=number.upper()).first()
    if ticket is None or not _may_join(identity, ticket):
        return None
    return ticket
