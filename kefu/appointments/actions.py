"""The only code that writes bookings.

A booking is made from the ticket its request opened (``followers.booking_from_request``, for
mail and the portal alike, so both follow one path through the intake pipeline); agents confirm
it (at the requested slot or another they agreed), decline it with a reason, or mark it done;
the customer may cancel. The customer hears of each decision by mail, through the outbox.

A booking at a site holds one place in its slot (``HOLDING`` states) and the site row is locked
while the places are counted, so a full slot is refused. Once confirmed it gets its reminder
(the day before) and its no-show deadline; on arrival the desk checks the visitor's name and
organisation against the booking and records the ID number masked (``kefu.lib.masking``, only
the last 4 kept).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kefu.accounts.access import Viewer, may_create_ticket
from kefu.appointments import queries, rules
from kefu.appointments.models import Booking, BookingStatus, Site
from kefu.appointments.parsing import MARK, BookingText, booking_text
from kefu.delivery.email import django_language, mail_ticket
from kefu.delivery.models import Delivery
from kefu.errors import Forbidden, Invalid, InvalidTransition
from kefu.lib.masking import SECRET_PLACEHOLDER
from kefu.tickets.models import Ticket

NEXT = {
    BookingStatus.REQUESTED: {
        BookingStatus.CONFIRMED,
        BookingStatus.DECLINED,
        BookingStatus.CANCELLED,
    },
    BookingStatus.CONFIRMED: {
        BookingStatus.ARRIVED,
        BookingStatus.NO_SHOW,
        BookingStatus.DONE,
        BookingStatus.CANCELLED,
    },
    BookingStatus.ARRIVED: {BookingStatus.DONE},
}
HOLDING = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.ARRIVED)


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
    _schedule(booking, now)
    _decided(booking, viewer, now)
    _tell_customer(booking)
    return booking


def _schedule(booking: Booking, now: datetime) -> None:
    """The confirmed visit's timers: the reminder the day before (none when that has passed),
    and the no-show deadline some hours after the slot."""
    assert booking.slot is not None
    remind_at = booking.slot - rules.REMIND_BEFORE
    booking.remind_at = remind_at if remind_at > now else None
    booking.reminded_at = None
    booking.no_show_due_at = booking.slot + timedelta(hours=rules.NO_SHOW_HOURS)
    booking.save(update_fields=["remind_at", "reminded_at", "no_show_due_at"])


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
    now = now or timezone.now()
    booking.cancelled_at = now
    booking.cancelled_by = viewer.user
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    return booking


def _same(stated: str, expected: str) -> bool:
    return " ".join(stated.split()).casefold() == " ".join(expected.split()).casefold()


def mask_id_number(id_number: str) -> str:
    """The ID number as stored: only its last 4 characters, the rest masked."""
    compact = "".join(ch for ch in id_number if ch.isalnum()).upper()
    return f"{SECRET_PLACEHOLDER}{compact[-4:]}"


def record_arrival(
    *,
    viewer: Viewer,
    booking_id: int,
    name: str,
    organization: str,
    id_number: str,
    now: datetime | None = None,
) -> Booking:
    """The desk checks the visitor against the confirmed booking — the name booked, the
    ticket's organisation, an ID number (4 to 30 letters and digits) — and records the arrival.
    A mismatch is ``Invalid`` naming the field; the ID number is stored masked."""
    _check_agent(viewer)
    booking = queries.get_booking(viewer, booking_id)
    if booking.status != BookingStatus.CONFIRMED:
        _move(booking, BookingStatus.ARRIVED)  # refuses with the booking's status
    expected_name = booking.visitor_name or (
        booking.ticket.requester.name if booking.ticket.requester else ""
    )
    if not name.strip() or (expected_name and not _same(name, expected_name)):
        raise Invalid(
            _("The visitor's name does not match the booking (%(name)s).")
            % {"name": expected_name or "—"},
            field="name",
        )
    expected_org = booking.ticket.organization.name if booking.ticket.organization else ""
    if not organization.strip() or (expected_org and not _same(organization, expected_org)):
        raise Invalid(
            _("The organisation does not match the booking (%(organization)s).")
            % {"organization": expected_org or "—"},
            field="organization",
        )
    compact = "".join(ch for ch in id_number if ch.isalnum())
    if not 4 <= len(compact) <= 30:
        raise Invalid(
            _("Enter the visitor's ID number: 4 to 30 letters and digits."), field="id_number"
        )
    _move(booking, BookingStatus.ARRIVED)
    booking.arrived_at = now or timezone.now()
    booking.arrived_by = viewer.user
    booking.arrived_organization = organization.strip()[:200]
    booking.visitor_id_masked = mask_id_number(compact)
    booking.save(
        update_fields=[
            "status",
            "arrived_at",
            "arrived_by",
            "arrived_organization",
            "visitor_id_masked",
        ]
    )
    return booking


def mark_no_show(*, viewer: Viewer, booking_id: int, now: datetime | None = None) -> Booking:
    """An agent records that the visitor did not come (after the slot has begun)."""
    _check_agent(viewer)
    booking = queries.get_booking(viewer, booking_id)
    now = now or timezone.now()
    if booking.slot is not None and booking.slot > now:
        raise Invalid(
            _("A visit can be marked a no-show only once its time has come."), field="status"
        )
    _move(booking, BookingStatus.NO_SHOW)
    booking.no_show_at = now
    booking.no_show_by = viewer.user
    booking.save(update_fields=["status", "no_show_at", "no_show_by"])
    return booking


def claim_no_show(booking_id: int, now: datetime) -> bool:
    """The worker marks a confirmed visit nobody recorded an arrival for; once."""
    return bool(
        Booking.objects.filter(
            pk=booking_id,
            status=BookingStatus.CONFIRMED,
            arrived_at__isnull=True,
            no_show_due_at__lte=now,
        ).update(status=BookingStatus.NO_SHOW, no_show_at=now)
    )


def claim_reminder(booking_id: int, now: datetime) -> bool:
    """Take the reminder of a confirmed visit; only one worker wins, so it is sent once."""
    return bool(
        Booking.objects.filter(
            pk=booking_id,
            status=BookingStatus.CONFIRMED,
            reminded_at__isnull=True,
            remind_at__lte=now,
        ).update(reminded_at=now)
    )


def send_reminder(booking_id: int) -> None:
    booking = Booking.objects.select_related("ticket__requester", "site").get(pk=booking_id)
    _tell_customer(booking, template="booking_reminder")


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


def _tell_customer(booking: Booking, template: str = "") -> None:
    """Mail the requester the decision (or ``template``), in the ticket's language, threaded on
    the ticket."""
    ticket = booking.ticket
    if ticket.requester is None or not ticket.requester.email:
        return
    mail_ticket(
        ticket,
        template=template or f"booking_{booking.status}",
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
    site_id: int | None = None,
    visitor_name: str = "",
    now: datetime | None = None,
) -> Booking:
    """A customer books a visit in the portal or the API: the site and slot are checked first
    (422 naming ``site`` or ``slot``; when sites are defined a booking names one, at one of its
    slots with room left), then the request goes through the intake pipeline like a mailed one
    and opens its ticket, whose follower opens the booking."""
    if viewer.account is None:
        raise Forbidden(_("Customers book visits; staff confirm them."))
    if not may_create_ticket(viewer, None):
        raise Forbidden(_("You may not create this kind of ticket."))
    topic = topic.strip()
    if not topic:
        raise Invalid(_("Say what the visit is about."), field="topic")
    # At a site its windows say when it receives visitors; without one, the centre's hours.
    rules.check_slot(slot, now=now or timezone.now(), hours=site_id is None)
    assert slot is not None
    with transaction.atomic():
        site = _site_with_room(site_id, slot)
        return _file_visit(
            viewer=viewer,
            channel=channel,
            slot=slot,
            topic=topic,
            place=site.address if site and not place.strip() else place,
            details=details,
            site=site,
            visitor_name=visitor_name.strip()[:120],
        )


def _site_with_room(site_id: int | None, slot: datetime) -> Site | None:
    """The site named, locked while its slot's places are counted; ``Invalid`` when it is
    unknown, missing (sites are defined) or the slot is not one of its, or full."""
    sites = Site.objects.filter(active=True)
    if site_id is None:
        if sites.exists():
            raise Invalid(_("Choose the site you will visit."), field="site")
        return None
    site = sites.select_for_update().filter(pk=site_id).first()
    if site is None:
        raise Invalid(_("Choose one of the sites offered."), field="site")
    taken = Booking.objects.filter(site=site, slot=slot, status__in=HOLDING).count()
    rules.check_site_slot(site, slot, taken=taken)
    return site


def _file_visit(
    *,
    viewer: Viewer,
    channel: str,
    slot: datetime,
    topic: str,
    place: str,
    details: str,
    site: Site | None,
    visitor_name: str,
) -> Booking:
    from kefu.intake import interactive
    from kefu.intake.base import TicketFields

    assert viewer.account is not None
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
    booking.site = site
    booking.visitor_name = visitor_name or viewer.account.user.name
    booking.save(update_fields=["site", "visitor_name"])
    return booking
