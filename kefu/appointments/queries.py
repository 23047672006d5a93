"""Reads of bookings, seen through their tickets: whoever may see the ticket sees its bookings
(``accounts.access.ticket_filter``); another organisation's booking is "not found"."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.accounts.access import Viewer, ticket_filter
from kefu.appointments.models import Booking
from kefu.errors import NotFound
from kefu.tickets.models import Ticket
from kefu.validation import MAX_ID


def visible_bookings(viewer: Viewer) -> QuerySet[Booking]:
    if viewer.user is None and not viewer.system:
        return Booking.objects.none()
    tickets = Ticket.objects.filter(ticket_filter(viewer))
    return Booking.objects.filter(ticket__in=tickets).select_related(
        "ticket__organization", "site", "arrived_by", "no_show_by", "cancelled_by"
    )


def get_booking(viewer: Viewer, booking_id: int) -> Booking:
    if not 1 <= booking_id <= MAX_ID:
        raise NotFound()
    found = visible_bookings(viewer).filter(pk=booking_id).first()
    if found is None:
        raise NotFound()
    return found


def ticket_bookings(viewer: Viewer, ticket: Ticket) -> list[Booking]:
    return list(visible_bookings(viewer).filter(ticket=ticket))
