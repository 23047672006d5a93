"""What bookings do when a ticket changes (listed in ``kefu/flow.py``): a new ticket whose
subject or first message carries 【线下服务预约】 — a mail through the intake pipeline, or the
portal's booking form, which files its request the same way — opens its booking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.appointments import actions, rules
from kefu.appointments.models import Booking
from kefu.appointments.parsing import is_booking, parse_booking
from kefu.tickets.models import EventKind, Message
from kefu.tickets.work import created_here

if TYPE_CHECKING:
    from kefu.tickets.models import Ticket, TicketEvent

KINDS = frozenset({EventKind.CREATED})


def booking_from_request(ticket: Ticket, events: list[TicketEvent]) -> None:
    new = created_here(ticket.pk)
    if new is not None:  # created in this unit: its messages are the ones the unit wrote
        first = next(iter(new.ordered_messages()), None)
    else:
        messages = Message.objects.filter(ticket=ticket).order_by("created_at", "id")
        first = messages.only("body").first()
    body = first.body if first is not None else ""
    if not is_booking(ticket.subject, body) or Booking.objects.filter(ticket=ticket).exists():
        return  # most tickets: nothing read (a new one) or one indexed read, nothing written
    zone = rules.zone()
    today = ticket.created_at.astimezone(zone).date()
    actions.open_booking(
        ticket=ticket, request=parse_booking(ticket.subject, body, zone=zone, today=today)
    )
