"""The only code that writes bookings.

A booking is made from the ticket its request opened (``followers.booking_from_request``, for
mail and the portal alike, so both follow one path through the intake pipeline); agents confirm
it (at the requested slot or another they agreed), decline it with a reason, or mark it done;
the customer may cancel. The customer hears of each decision by mail, through the outbox.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer, may_create_ticket
from kefu.appointments import queries, rules
from kefu.appointments.models import Booking, BookingStatus
from kefu.appointments.parsing import MARK, BookingText, booking_text
from kefu.delivery.email import django_language, mail_ticket
from kefu.delivery.models import Delivery
from kefu.errors import Forbidden, Invalid, InvalidTransition
from kefu.tickets.models import Ticket

NEXT = {
    BookingStatus.REQUESTED: {
        BookingStatus.CONFIRMED,
        BookingStatus.DECLINED,
        BookingStatus.CANCELLED,
    },
    BookingStatus.CONFIRMED: {BookingStatus.DONE, BookingStatus.CANCELLED},
}


def open_booking(*, ticket: Ticket, request: BookingText) -> Booking:
    """The booking a request opened. One that breaks the rules (too soon, outside hours) is
    kept, declined with the rule in the customer's language, and the customer is told."""
    requested_at = ticket.created_at
    due = rules.deadlines(requested_at)
    booking = Booking(
        ticket=ticket,
        requester=ticket.requester,
        slot=request.slot,
        place=request.place,
        topic=request.topic,
        requested_at=requested_at,
        confirm_due_at=due.confirm_due_at,
        warn_at=due.warn_at,
    )
    if request.slot is not None:  # without one, an agent agrees a time with the customer
        with translation.override(django_language(ticket.language)):
            try:
                rules.check_slot(request.slot, now=requested_at)
            except Invalid as refusal:
                booking.status = BookingStatus.DECLINED
                booking.reason = str(refusal.message)
                booking.decided_at = requested_at
    booking.save()
    if booking.status == BookingStatus.DECLINED:
        _tell_customer(booking)
    return booking


def _check_agent(viewer: Viewer) -> None:
    if not (viewer.is_agent and viewer.may_edit_tickets) and not viewer.system:
        raise Forbidden(_("Only support staff may confirm or decline a visit."))


def _move(booking: Booking, status: BookingStatus) -> None:
    if status not in NEXT.get(BookingStatus(booking.status), set()):
        raise InvalidTransition(
            _("A %(status)s visit cannot be changed that way.")
            % {"status": booking.get_status_display()},
            field="status",
        )
    booking.status = status


def confirm_booking(
    *, viewer: Viewer, booking_id: int, slot: datetime | None = None, now: datetime | None = None
) -> Booking:
    """Confirm the visit at the requested slot, or at ``slot`` (another time agreed with the
    customer; it must be in the future and within opening hours)."""
    _check_agent(viewer)
    booking = queries.get_booking(viewer, booking_id)
    now = now or timezone.now()
    chosen = slot or booking.slot
    if chosen is None:
        raise Invalid(_("Choose the date and time of your visit."), field="slot")
    if slot is not None and (slot <= now or not rules.clock.is_open(rules.calendar(slot), slot)):
        raise Invalid(_("Choose a future time within the centre's opening hours."), field="slot")
    _move(booking, BookingStatus.CONFIRMED)
    booking.slot = chosen
    _decided(booking, viewer, now)
    _tell_customer(booking)
    return booking


def decline_booking(
    *, viewer: Viewer, booking_id: int, reason: str, now: datetime | None = None
) -> Booking:
    _check_agent(viewer)
    booking = queries.get_booking(viewer, booking_id)
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Tell the customer why the visit is declined."), field="reason")
    _move(booking, BookingStatus.DECLINED)
    booking.reason = reason[:2000]
    _decided(booking, viewer, now or timezone.now())
    _tell_customer(booking)
    return booking


def cancel_booking(*, viewer: Viewer, booking_id: int, now: datetime | None = None) -> Booking:
    """The customer (or staff for them) calls the visit off."""
    booking = queries.get_booking(viewer, booking_id)
    if viewer.is_agent:
        _check_agent(viewer)
    _move(booking, BookingStatus.CANCELLED)
    _decided(booking, viewer, now or timezone.now())
    return booking


def finish_booking(*, viewer: Viewer, booking_id: int, now: datetime | None = None) -> Booking:
    _check_agent(viewer)
    booking = queries.get_booking(viewer, booking_id)
    _move(booking, BookingStatus.DONE)
    _decided(booking, viewer, now or timezone.now())
    return booking


def _decided(booking: Booking, viewer: Viewer, now: datetime) -> None:
    booking.decided_at = now
    booking.decided_by = viewer.user
    booking.save(update_fields=["status", "slot", "reason", "decided_at", "decided_by"])


def _tell_customer(booking: Booking) -> None:
    """Mail the requester the decision, in the ticket's language, threaded on the ticket."""
    ticket = booking.ticket
    if ticket.requester is None or not ticket.requester.email:
        return
    mail_ticket(
        ticket,
        template=f"booking_{booking.status}",
        kind=Delivery.Kind.NOTIFICATION,
        context={"booking": booking, "slot": _local(booking.slot)},
    )


def _local(slot: datetime | None) -> str:
    return f"{slot.astimezone(rules.zone()):%Y-%m-%d %H:%M}" if slot else ""


def claim_warning(booking_id: int, now: datetime) -> bool:
    """Take the warning of a booking still waiting; only one worker wins."""
    return bool(
        Booking.objects.filter(
            pk=booking_id, status=BookingStatus.REQUESTED, warned_at__isnull=True, warn_at__lte=now
        ).update(warned_at=now)
    )


def claim_breach(booking_id: int, now: datetime) -> bool:
    return bool(
        Booking.objects.filter(
            pk=booking_id,
            status=BookingStatus.REQUESTED,
            breached_at__isnull=True,
            confirm_due_at__lte=now,
        ).update(breached_at=now, warned_at=Coalesce(F("warned_at"), Value(now)))
    )


def request_visit(
    *,
    viewer: Viewer,
    channel: str,
    slot: datetime | None,
    topic: str,
    place: str = "",
    details: str = "",
    now: datetime | None = None,
) -> Booking:
    """A customer books a visit in the portal or the API: the slot is checked first (422 naming
    ``slot``), then the request goes through the intake pipeline like a mailed one and opens its
    ticket, whose follower opens the booking."""
    from kefu.intake import interactive
    from kefu.intake.base import TicketFields

    if viewer.account is None:
        raise Forbidden(_("Customers book visits; staff confirm them."))
    if not may_create_ticket(viewer, None):
        raise Forbidden(_("You may not create this kind of ticket."))
    topic = topic.strip()
    if not topic:
        raise Invalid(_("Say what the visit is about."), field="topic")
    rules.check_slot(slot, now=now or timezone.now())
    assert slot is not None
    local = slot.astimezone(rules.zone())
    result = interactive.open_ticket(
        channel=channel,
        viewer=viewer,
        requester=viewer.account.user,
        organization=viewer.account.organization,
        subject=f"{MARK}{topic}"[:200],
        body=booking_text(slot=local, place=place.strip(), topic=topic, details=details.strip()),
        fields=TicketFields(category="other"),  # a visit: no order evidence to ask for
    )
    assert result.ticket is not None  # a person waiting gets errors, not a quarantine
    booking = Booking.objects.filter(ticket=result.ticket).order_by("-id").first()
    if booking is None or booking.slot != local:  # it joined a ticket already open
        request = BookingText(slot=local, place=place.strip()[:200], topic=topic[:200])
        with transaction.atomic():
            booking = open_booking(ticket=result.ticket, request=request)
    return booking
